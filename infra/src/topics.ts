import { Kafka, logLevel, type Admin, type ITopicConfig } from 'kafkajs';
import { topicNames } from '@gdhk/config';

export interface TopicLayout {
  readonly prefix: string;
  /** Both side topics get the same count, so an item's GD and HK streams share a partition number. */
  readonly partitions: number;
  readonly replicationFactor: number;
}

/** The topics of the contract and their settings: side topics and the DLQ keep everything forever. */
export function contractTopics(layout: TopicLayout): ITopicConfig[] {
  const names = topicNames(layout.prefix);
  const minInsync = String(layout.replicationFactor >= 3 ? 2 : 1);
  const keepForever = [
    { name: 'cleanup.policy', value: 'delete' },
    { name: 'retention.ms', value: '-1' },
    { name: 'retention.bytes', value: '-1' },
    { name: 'min.insync.replicas', value: minInsync },
  ];
  const topic = (name: string, configEntries: { name: string; value: string }[]): ITopicConfig => ({
    topic: name,
    numPartitions: layout.partitions,
    replicationFactor: layout.replicationFactor,
    configEntries,
  });
  // Side topics stamp each record with the broker's append time, a time the writer cannot choose:
  // readers judge key validity at occurredAt only within a skew of it (docs/contract.md).
  const sideTopic = [...keepForever, { name: 'message.timestamp.type', value: 'LogAppendTime' }];
  return [
    topic(names.side.gd, sideTopic),
    topic(names.side.hk, sideTopic),
    topic(names.dlq, keepForever),
    topic(names.jointChanges, [
      { name: 'cleanup.policy', value: 'compact' },
      { name: 'min.insync.replicas', value: minInsync },
    ]),
  ];
}

/** Creates the contract's topics where missing; existing topics are left as they are. */
export async function createContractTopics(brokers: string[], layout: TopicLayout): Promise<string[]> {
  const kafka = new Kafka({ clientId: 'gdhk-infra-topics', brokers, logLevel: logLevel.ERROR });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = contractTopics(layout).filter((topic) => !existing.has(topic.topic));
    if (missing.length > 0) {
      // kafkajs' own wait gives up on a broker that does not know the topic yet: ours polls.
      await admin.createTopics({ topics: missing, waitForLeaders: false });
      await waitForLeaders(admin, missing.map((topic) => topic.topic));
    }
    return missing.map((topic) => topic.topic);
  } finally {
    await admin.disconnect();
  }
}

/**
 * kafkajs' own `waitForLeaders` gives up on the first "This server does not host this
 * topic-partition", which a broker of a three-node cluster answers until the new topic's metadata
 * reaches it (seconds on a loaded machine): poll until every partition has a leader in three answers
 * in a row (each from whichever broker kafkajs asks), or time out.
 */
async function waitForLeaders(admin: Admin, topics: string[], timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  let agreeing = 0;
  while (Date.now() < deadline) {
    try {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics });
      const leaderless = metadata.flatMap((topic) => topic.partitions.filter((partition) => partition.leader < 0).map((partition) => `${topic.name}/${partition.partitionId}`));
      if (metadata.length === topics.length && leaderless.length === 0) {
        agreeing += 1;
        if (agreeing === 3) return;
      } else {
        agreeing = 0;
        last = leaderless.length > 0 ? `no leader yet for ${leaderless.join(', ')}` : 'not every topic is known yet';
      }
    } catch (error) {
      agreeing = 0;
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`topics ${topics.join(', ')} have no leaders after ${timeoutMs} ms (${last})`);
}

/** Deletes every topic with the prefix (tests clean up after themselves with this). */
export async function deleteTopicsWithPrefix(brokers: string[], prefix: string): Promise<void> {
  const kafka = new Kafka({ clientId: 'gdhk-infra-topics', brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(`${prefix}.`));
    if (topics.length > 0) await admin.deleteTopics({ topics, timeout: 30_000 });
  } finally {
    await admin.disconnect();
  }
}
