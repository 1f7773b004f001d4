import { Admin, type ClusterMetadata } from '@platformatic/kafka';

// What a broker without topic ids (before KIP-516) reports.
const NULL_TOPIC_ID = '00000000-0000-0000-0000-000000000000';

/** topic → topic id, for the topics the metadata names with an id. */
export function topicIdsOf(metadata: ClusterMetadata, topics: readonly string[]): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const topic of topics) {
    const id = metadata.topics.get(topic)?.id;
    if (id && id !== NULL_TOPIC_ID) ids[topic] = id;
  }
  return ids;
}

/**
 * Which log the topics are: each topic's Kafka topic id (a UUID the cluster gives a topic when it
 * is created, KIP-516). A topic deleted and created again under the same name gets a new id, so a
 * reader that recorded the id with its offsets knows its offsets no longer describe this log.
 * (kafkajs' metadata request predates topic ids; @platformatic/kafka's reports them.)
 *
 * One admin client for the reader's life, closed with `close()`: a process that asks every few
 * seconds keeps one connection rather than opening one per question.
 */
export class LogIdentity {
  readonly #admin: Admin;
  readonly #topics: readonly string[];

  constructor(brokers: readonly string[], topics: readonly string[]) {
    this.#topics = [...topics];
    this.#admin = new Admin({ clientId: 'gdhk-log-identity', bootstrapBrokers: [...brokers], connectTimeout: 3000, retries: 3, retryDelay: 300 });
  }

  /** topic → topic id, as the cluster says now; throws when a topic has none (does it exist?). */
  async read(): Promise<Record<string, string>> {
    // forceUpdate: the client caches metadata, and a re-created topic is exactly what it would hide.
    const identity = topicIdsOf(await this.#admin.metadata({ topics: [...this.#topics], forceUpdate: true }), this.#topics);
    for (const topic of this.#topics) if (!identity[topic]) throw new Error(`topic ${topic} has no topic id (does it exist?)`);
    return identity;
  }

  async close(): Promise<void> {
    await this.#admin.close();
  }
}
