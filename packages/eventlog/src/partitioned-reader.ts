import type { Admin, Consumer, Kafka, Producer } from 'kafkajs';
import type { Logger } from 'pino';
import { coPartitionAssigner } from './co-partition-assigner.ts';
import { type LogRecord, recordsOf } from './follower.ts';

/** One fetched batch of one topic partition, as a reader that keeps its own offsets needs it. */
export interface PartitionBatch {
  readonly topic: string;
  readonly partition: number;
  /** the offset the fetch asked for (records before it were not delivered) */
  readonly fetchedOffset: string;
  readonly lastOffset: string;
  readonly records: readonly LogRecord[];
}

export interface PartitionedReaderOptions {
  readonly kafka: Kafka;
  readonly groupId: string;
  readonly topics: readonly string[];
  readonly logger: Logger;
  readonly maxBytesPerPartition: number;
  readonly sessionTimeoutMs: number;
  /** how many partitions are handled at once */
  readonly concurrency: number;
  /** the partition numbers this member was given (the same number of every topic: co-partitioned) */
  readonly onAssigned: (partitions: readonly number[]) => void;
  /** one batch of one partition; the partition's next batch waits for it */
  readonly onBatch: (batch: PartitionBatch) => Promise<void>;
  /** a fetch that held only control records (transaction markers): the reader may move past them */
  readonly onControlOnly: (topic: string, partition: number, firstOffset: string, lastOffset: string) => void;
}

/**
 * A consumer-group member that shares co-partitioned topics with the other members of its group
 * and keeps no offsets in Kafka: the reader stores what it applied elsewhere (the projection, in
 * Redis with its read model) and `seek`s there when a partition is assigned or reloaded.
 */
export class PartitionedReader {
  readonly #options: PartitionedReaderOptions;
  readonly #consumer: Consumer;
  #crashed: Error | undefined;

  constructor(options: PartitionedReaderOptions) {
    this.#options = options;
    this.#consumer = options.kafka.consumer({
      groupId: options.groupId,
      partitionAssigners: [coPartitionAssigner],
      maxWaitTimeInMs: 20,
      maxBytesPerPartition: options.maxBytesPerPartition,
      sessionTimeout: options.sessionTimeoutMs,
      heartbeatInterval: Math.min(3000, Math.floor(options.sessionTimeoutMs / 5)),
    });
  }

  /** Why the consumer stopped for good (kafkajs gave up restarting it); undefined while it runs. */
  get crashed(): Error | undefined {
    return this.#crashed;
  }

  async start(): Promise<void> {
    const consumer = this.#consumer;
    const { logger } = this.#options;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (payload.restart) return void logger.warn({ err: payload.error }, 'partitioned reader restarting after an error');
      this.#crashed = payload.error;
      logger.error({ err: payload.error }, 'partitioned reader stopped');
    });
    // The reader's own store holds the applied offsets; Kafka's committed offsets are never used to resume.
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.#options.onAssigned([...new Set(Object.values(payload.memberAssignment).flat())]));
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.batchSize === 0) this.#options.onControlOnly(payload.topic, payload.partition, payload.firstOffset, payload.lastOffset);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.#options.topics], fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: this.#options.concurrency,
      eachBatch: async ({ batch, isStale, heartbeat }) => {
        if (isStale()) return;
        // kafkajs keeps the fetch offset on the batch without typing it.
        const fetchedOffset = 'fetchedOffset' in batch ? String(batch.fetchedOffset) : (batch.firstOffset() ?? batch.lastOffset());
        await this.#options.onBatch({ topic: batch.topic, partition: batch.partition, fetchedOffset, lastOffset: batch.lastOffset(), records: recordsOf(batch.topic, batch.partition, batch.messages) });
        await heartbeat();
      },
    });
  }

  /** The next fetch of the partition starts at `offset`; a partition not assigned (any more) is logged and left. */
  seek(topic: string, partition: number, offset: string): void {
    try {
      this.#consumer.seek({ topic, partition, offset });
    } catch (error) {
      this.#options.logger.warn({ err: error, topic, partition, offset }, 'could not seek');
    }
  }

  async stop(): Promise<void> {
    await this.#consumer.disconnect();
  }
}

/** Keys and values per produce request: well under the brokers' default `max.message.bytes` (1 MiB). */
const MAX_REQUEST_BYTES = 512 * 1024;

/**
 * Appends records to topics outside any transaction (idempotent, acknowledged by every in-sync
 * replica): the projection's dead letters and joint changes.
 */
export class TopicPublisher {
  readonly #producer: Producer;

  constructor(kafka: Kafka) {
    this.#producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  async connect(): Promise<void> {
    await this.#producer.connect();
  }

  /**
   * Sends the records in requests of at most `MAX_REQUEST_BYTES` of keys and values, so a flood
   * of records never makes one request the broker refuses (`max.message.bytes`, 1 MiB by default).
   */
  async publish(topic: string, records: readonly { key: string; value: string }[]): Promise<void> {
    let chunk: { key: string; value: string }[] = [];
    let bytes = 0;
    for (const record of records) {
      const size = Buffer.byteLength(record.key) + Buffer.byteLength(record.value);
      if (chunk.length > 0 && bytes + size > MAX_REQUEST_BYTES) {
        await this.#producer.send({ topic, acks: -1, messages: chunk });
        chunk = [];
        bytes = 0;
      }
      chunk.push({ key: record.key, value: record.value });
      bytes += size;
    }
    if (chunk.length > 0) await this.#producer.send({ topic, acks: -1, messages: chunk });
  }

  async close(): Promise<void> {
    await this.#producer.disconnect();
  }
}

/** Where topics end: one admin connection for the reader's life. */
export class TopicEnds {
  readonly #admin: Admin;

  constructor(kafka: Kafka) {
    this.#admin = kafka.admin();
  }

  async connect(): Promise<void> {
    await this.#admin.connect();
  }

  /** The topic's partition count; throws for a topic without partitions. */
  async partitionCount(topic: string): Promise<number> {
    const count = (await this.#admin.fetchTopicMetadata({ topics: [topic] })).topics[0]?.partitions.length ?? 0;
    if (count === 0) throw new Error(`topic ${topic} has no partitions`);
    return count;
  }

  /** Each partition's high watermark: `topic/partition` → the next offset to be written. */
  async highWatermarks(topics: readonly string[]): Promise<Record<string, string>> {
    const ends: Record<string, string> = {};
    for (const topic of topics) for (const { partition, high } of await this.#admin.fetchTopicOffsets(topic)) ends[`${topic}/${partition}`] = high;
    return ends;
  }

  /** The partition's first offset still in the log (its low watermark): records before it were deleted. */
  async logStart(topic: string, partition: number): Promise<string> {
    const found = (await this.#admin.fetchTopicOffsets(topic)).find((offsets) => offsets.partition === partition);
    if (!found) throw new Error(`topic ${topic} has no partition ${partition}`);
    return found.low;
  }

  async close(): Promise<void> {
    await this.#admin.disconnect();
  }
}
