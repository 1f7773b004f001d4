import { randomUUID } from 'node:crypto';
import { Consumer, FetchIsolationLevels, ListOffsetTimestamps, type Callback } from '@platformatic/kafka';
import { Kafka, logLevel } from 'kafkajs';

// What is in the log, read the way the services read it (read_committed), up to its end at the
// moment of asking: how a test shows that something was, or was not, written.
//
// "The end" is each partition's high watermark, not its last stable offset: a transaction whose
// commit Kafka has acknowledged gets its commit markers a moment later, and until then the last
// stable offset (what kafkajs' admin lists) stops before it. Reading read_committed up to the high
// watermark waits for those markers, so an event answered 201 just before is always seen.

/** Per `topic/partition`, the offset the next record will get. */
export type LogPositions = ReadonlyMap<string, bigint>;

export interface LoggedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: bigint;
  readonly key: string | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- events are checked by the assertions that read them
  readonly value: any;
  /** the record's timestamp (ms): the broker's append time on side topics */
  readonly timestamp: string;
}

const viaCallback = <T>(start: (done: Callback<T>) => void): Promise<T> =>
  new Promise<T>((resolve, reject) => start((error, result) => (error ? reject(error) : resolve(result as T))));

/** Where each partition of `topics` ends now (high watermarks: transactions still being committed included). */
export async function logPositions(brokers: readonly string[], topics: readonly string[]): Promise<LogPositions> {
  // No group call is ever made; the constructor wants a group id all the same.
  const client = new Consumer({ clientId: 'test-log-positions', groupId: 'test-log-positions-never-joined', bootstrapBrokers: [...brokers], isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED, retries: 3 });
  try {
    const ends = await viaCallback<Map<string, bigint[]>>((done) => client.listOffsets({ topics: [...topics], timestamp: ListOffsetTimestamps.LATEST }, done));
    const positions = new Map<string, bigint>();
    for (const topic of topics) (ends.get(topic) ?? []).forEach((end, partition) => positions.set(`${topic}/${partition}`, end));
    return positions;
  } finally {
    await viaCallback<void>((done) => client.close(true, done)).catch(() => undefined);
  }
}

/** Every committed record of `topics` from the start, read to the ends they have now; rejects after `timeoutMs`. */
export async function readCommitted(brokers: readonly string[], topics: readonly string[], timeoutMs = 30_000): Promise<LoggedRecord[]> {
  const ends = await logPositions(brokers, topics);
  const records: LoggedRecord[] = [];
  const pending = new Set([...ends].filter(([, end]) => end > 0n).map(([key]) => key));
  if (pending.size === 0) return records;
  const kafka = new Kafka({ clientId: 'test-log-reader', brokers: [...brokers], logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `test-log-reader-${randomUUID()}`, readUncommitted: false, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics: [...new Set(topics)], fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`reading ${[...pending].join(', ')} to ${[...ends].map(([key, end]) => `${key}@${end}`).join(', ')} took over ${timeoutMs} ms`)), timeoutMs);
      // Fired for batches of control records too, so a partition ending in a commit marker completes.
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        const key = `${payload.topic}/${payload.partition}`;
        if (BigInt(payload.lastOffset) + 1n >= (ends.get(key) ?? 0n)) pending.delete(key);
        if (pending.size === 0) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer
        .run({
          eachMessage: async ({ topic, partition, message }) => {
            if (BigInt(message.offset) >= (ends.get(`${topic}/${partition}`) ?? 0n)) return;
            records.push({ topic, partition, offset: BigInt(message.offset), key: message.key?.toString() ?? null, value: JSON.parse(message.value?.toString() ?? 'null') as unknown, timestamp: message.timestamp });
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return records.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition || (a.offset < b.offset ? -1 : 1));
}

/** Every committed record at or after `since`, read to the log's current end. */
export async function recordsSince(brokers: readonly string[], since: LogPositions): Promise<LoggedRecord[]> {
  const topics = [...new Set([...since.keys()].map((key) => key.slice(0, key.lastIndexOf('/'))))];
  return (await readCommitted(brokers, topics)).filter((record) => record.offset >= (since.get(`${record.topic}/${record.partition}`) ?? 0n));
}

/**
 * Resolves once no transaction is pending on `topics`: every partition's last stable offset
 * (what kafkajs' admin lists) has reached its high watermark. A reader that stops at the last
 * stable offset then reads everything acknowledged so far.
 */
export async function logSettled(brokers: readonly string[], topics: readonly string[], timeoutMs = 60_000): Promise<void> {
  const admin = new Kafka({ clientId: 'test-log-settled', brokers: [...brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const high = await logPositions(brokers, topics);
      const stable = new Map<string, bigint>();
      for (const topic of topics) for (const { partition, high: lso } of await admin.fetchTopicOffsets(topic)) stable.set(`${topic}/${partition}`, BigInt(lso));
      const pending = [...high].filter(([key, end]) => (stable.get(key) ?? 0n) < end);
      if (pending.length === 0) return;
      if (Date.now() > deadline) throw new Error(`transactions still pending after ${timeoutMs} ms on ${pending.map(([key]) => key).join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    await admin.disconnect();
  }
}
