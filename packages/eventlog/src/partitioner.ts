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
  // Asked once per record by every verifier: remembered per item (a plan has dozens), bounded so
  // that keys nobody checked first cannot grow it without end.
  const known = new Map<string, number>();
  return (itemId) => {
    const remembered = known.get(itemId);
    if (remembered !== undefined) return remembered;
    const partition = partitioner({ topic: 'side', partitionMetadata, message: { key: itemId, value: null } });
    if (known.size < PARTITIONS_REMEMBERED) known.set(itemId, partition);
    return partition;
  };
}

const PARTITIONS_REMEMBERED = 4096;

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
