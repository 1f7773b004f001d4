import { Partitioners, type Kafka } from 'kafkajs';

/**
 * Where the side services' producers put an item's records: kafkajs' default partitioner
 * (Java-compatible murmur2 of the key, the item id) over `partitionCount` partitions. Every reader
 * that checks a record is on its item's partition asks this, so they agree with the writers.
 */
export function itemPartitioner(partitionCount: number): (itemId: string) => number {
  if (!Number.isSafeInteger(partitionCount) || partitionCount < 1) throw new RangeError(`a side topic has at least one partition, got ${partitionCount}`);
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: partitionCount }, (_, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  // Every record read and written asks this, and a plan has a few hundred items at most: their
  // answers are remembered. Only short keys are, and the memory starts again when full, so what
  // any caller asks costs at most 4,096 entries of 64 characters.
  const known = new Map<string, number>();
  return (itemId) => {
    let partition = known.get(itemId);
    if (partition === undefined) {
      partition = partitioner({ topic: 'side', partitionMetadata, message: { key: itemId, value: null } });
      if (itemId.length > 64) return partition;
      if (known.size >= MAX_REMEMBERED_KEYS) known.clear();
      known.set(itemId, partition);
    }
    return partition;
  };
}

const MAX_REMEMBERED_KEYS = 4096;

/** How many partitions a topic has (the side topics share one count); fails for a topic without any. */
export async function topicPartitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const count = (await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.length ?? 0;
    if (count === 0) throw new Error(`topic ${topic} has no partitions`);
    return count;
  } finally {
    await admin.disconnect();
  }
}
