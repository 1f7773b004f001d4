import { Admin } from '@platformatic/kafka';

/**
 * Which log the topics are: each topic's Kafka topic id (a UUID the cluster gives a topic when it
 * is created, KIP-516). A topic deleted and created again under the same name gets a new id, so a
 * reader that recorded the id with its offsets knows its offsets no longer describe this log.
 * (kafkajs' metadata request predates topic ids; @platformatic/kafka's reports them.)
 */
export async function logIdentity(brokers: readonly string[], topics: readonly string[]): Promise<Record<string, string>> {
  const admin = new Admin({ clientId: 'gdhk-log-identity', bootstrapBrokers: [...brokers], connectTimeout: 3000, retries: 3, retryDelay: 300 });
  try {
    const metadata = await admin.metadata({ topics: [...topics] });
    const identity: Record<string, string> = {};
    for (const topic of topics) {
      const id = metadata.topics.get(topic)?.id;
      if (!id) throw new Error(`topic ${topic} has no topic id (does it exist?)`);
      identity[topic] = id;
    }
    return identity;
  } finally {
    await admin.close();
  }
}
