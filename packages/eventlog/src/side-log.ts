import { Consumer, FetchIsolationLevels, ListOffsetTimestamps, type ClusterMetadata, type RecordsBatch } from '@platformatic/kafka';
import { topicIdsOf } from './identity.ts';

type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

/** One partition of a side topic, with the range this replay reads: [start, end). */
export interface PartitionRange {
  readonly topic: string;
  readonly partition: number;
  /** the log start offset: 0 unless records were deleted */
  readonly start: bigint;
  /** the last stable offset when the replay began: the next offset to read */
  readonly end: bigint;
}

/** Data records of one partition in log order, values untouched (aborted transactions and control records left out). */
export interface RecordChunk {
  readonly topic: string;
  readonly partition: number;
  readonly offsets: readonly bigint[];
  readonly values: readonly (Buffer | null)[];
  /** the record keys, as the producer set them */
  readonly keys: readonly (Buffer | null)[];
  /** each record's timestamp in milliseconds: the broker's append time on a LogAppendTime topic */
  readonly timestamps: readonly bigint[];
  /** the offset after the last record this chunk accounts for, control records included */
  readonly next: bigint;
}

export class LogUnavailableError extends Error {
  override readonly name = 'LogUnavailableError';
}

export interface SideLogOptions {
  readonly brokers: readonly string[];
  readonly topics: readonly string[];
  readonly clientId?: string;
  /** bytes per fetch response; a batch larger than this still comes whole (KIP-74) */
  readonly maxBytes?: number;
}

// Record batch attributes (KIP-98): bit 4 transactional, bit 5 control.
const TRANSACTIONAL = 1 << 4;
const CONTROL = 1 << 5;
const LOG_APPEND_TIME = 1 << 3;
const EMPTY_FETCHES_ALLOWED = 100;

function describeError(error: unknown): string {
  const messages: string[] = [];
  const visit = (value: unknown, depth: number): void => {
    if (!(value instanceof Error) || depth > 4) return;
    const message = value.message.replace(/\.+$/, '');
    if (!messages.includes(message)) messages.push(message);
    const nested = (value as Error & { errors?: unknown[] }).errors;
    if (Array.isArray(nested)) nested.slice(0, 1).forEach((inner) => visit(inner, depth + 1));
    visit(value.cause, depth + 1);
  };
  visit(error, 0);
  return messages.join(': ') || String(error);
}

/**
 * Reads the side topics from their first offset to the last stable offset they had when the
 * reader opened, with no consumer group: Metadata, ListOffsets and Fetch only, so the audit
 * leaves no committed offset, member or group behind. Only committed records are handed on:
 * fetches read uncommitted and every transaction's batches wait for its own marker (COMMIT hands
 * them on, ABORT drops them; `CommittedRecords`). The markers in the log are the ground truth;
 * the broker's aborted-transaction list is not used, and neither is the client's read_committed
 * filter, which keeps one aborted range per producer per response and so, with several aborted
 * transactions of one producer in a response, can drop the committed records between them.
 */
export class SideLog {
  readonly #consumer: Consumer;
  readonly #options: SideLogOptions;
  #metadata: ClusterMetadata | undefined;
  #ranges: PartitionRange[] = [];
  #topicIds: Record<string, string> = {};

  private constructor(options: SideLogOptions) {
    this.#options = options;
    this.#consumer = new Consumer({
      clientId: options.clientId ?? 'gdhk-audit',
      // Required by the constructor; never sent, because no group call is ever made.
      groupId: 'gdhk-audit-never-joined',
      bootstrapBrokers: [...options.brokers],
      autocreateTopics: false,
      connectTimeout: 3000,
      retries: 3,
      retryDelay: 300,
      maxWaitTime: 500,
      // LATEST is then the last stable offset: the end of what is committed when the replay opens.
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    });
  }

  /** Connects and fixes the range to read; a clear LogUnavailableError when it cannot. */
  static async open(options: SideLogOptions): Promise<SideLog> {
    const log = new SideLog(options);
    try {
      await log.#discover();
    } catch (error) {
      await log.close();
      throw error;
    }
    return log;
  }

  get ranges(): readonly PartitionRange[] {
    return this.#ranges;
  }

  /**
   * Which log the ranges are of: topic → Kafka topic id (KIP-516), as the cluster reported it when
   * the reader opened. A topic deleted and created again under its name has another id.
   */
  get topicIds(): Readonly<Record<string, string>> {
    return this.#topicIds;
  }

  async #discover(): Promise<void> {
    const { brokers, topics } = this.#options;
    const tried = `Kafka at ${brokers.join(', ')}`;
    let metadata: ClusterMetadata;
    try {
      metadata = await this.#consumer.metadata({ topics: [...topics], autocreateTopics: false });
    } catch (error) {
      const detail = describeError(error);
      if (/unknown topic/i.test(detail)) {
        throw new LogUnavailableError(`${tried} lacks a side topic: tried ${topics.map((topic) => `'${topic}'`).join(' and ')} (${detail}); check GDHK_TOPIC_PREFIX or --prefix`);
      }
      throw new LogUnavailableError(`cannot read the side topics ${topics.join(', ')} from ${tried} (KAFKA_BROKERS): ${detail}`);
    }
    this.#metadata = metadata;
    this.#topicIds = topicIdsOf(metadata, topics);
    const [earliest, latest] = await Promise.all(
      [ListOffsetTimestamps.EARLIEST, ListOffsetTimestamps.LATEST].map((timestamp) =>
        this.#consumer.listOffsets({ topics: [...topics], timestamp }).catch((error: unknown) => {
          throw new LogUnavailableError(`cannot list the offsets of ${topics.join(', ')} on ${tried}: ${describeError(error)}`);
        }),
      ),
    );
    this.#ranges = topics.flatMap((topic) => {
      const starts = earliest?.get(topic) ?? [];
      const ends = latest?.get(topic) ?? [];
      const count = metadata.topics.get(topic)?.partitionsCount ?? 0;
      return Array.from({ length: count }, (_, partition) => ({ topic, partition, start: starts[partition] ?? 0n, end: ends[partition] ?? 0n }));
    });
  }

  /**
   * Hands every data record of the fixed range to `onChunk`, partition order kept; the next
   * fetch waits for `onChunk`, which is the back-pressure.
   */
  async read(onChunk: (chunk: RecordChunk) => void | Promise<void>): Promise<void> {
    const metadata = this.#metadata;
    if (metadata === undefined) throw new Error('SideLog.read before open');
    const positions = new Map<string, { range: PartitionRange; next: bigint; empty: number }>();
    for (const range of this.#ranges) {
      if (range.end > range.start) positions.set(`${range.topic}/${range.partition}`, { range, next: range.start, empty: 0 });
    }
    // One fetch loop per leader: a fetch session (KIP-227) is per broker, so two loops on one broker would undo each other.
    const byLeader = new Map<number, string[]>();
    for (const [key, { range }] of positions) {
      const leader = metadata.topics.get(range.topic)?.partitions[range.partition]?.leader ?? -1;
      byLeader.set(leader, [...(byLeader.get(leader) ?? []), key]);
    }
    await Promise.all([...byLeader].map(([leader, keys]) => this.#readFrom(leader, keys, positions, onChunk)));
  }

  async #readFrom(
    leader: number,
    keys: string[],
    positions: Map<string, { range: PartitionRange; next: bigint; empty: number }>,
    onChunk: (chunk: RecordChunk) => void | Promise<void>,
  ): Promise<void> {
    const metadata = this.#metadata as ClusterMetadata;
    const topicIds = new Map([...metadata.topics].map(([name, topic]) => [topic.id, name]));
    const partitionMaxBytes = Math.max(1 << 20, Math.floor((this.#options.maxBytes ?? 16 << 20) / Math.max(1, keys.length)));
    const filters = new Map<string, CommittedRecords>();
    for (const key of keys) {
      const position = positions.get(key);
      if (position) filters.set(key, new CommittedRecords(position.range.topic, position.range.partition, position.range.start, position.range.end));
    }
    let active = keys.filter((key) => positions.has(key));
    while (active.length > 0) {
      const wanted = new Map<string, { partition: number; fetchOffset: bigint }[]>();
      for (const key of active) {
        const position = positions.get(key);
        const filter = filters.get(key);
        if (!position || !filter) continue;
        const topicId = metadata.topics.get(position.range.topic)?.id ?? position.range.topic;
        wanted.set(topicId, [...(wanted.get(topicId) ?? []), { partition: position.range.partition, fetchOffset: filter.fetchOffset }]);
      }
      let response: FetchResponse;
      try {
        response = await this.#consumer.fetch({
          node: leader,
          maxBytes: this.#options.maxBytes ?? 16 << 20,
          // Uncommitted: a transaction's marker may lie past the last stable offset, and markers decide.
          isolationLevel: FetchIsolationLevels.READ_UNCOMMITTED,
          topics: [...wanted].map(([topicId, partitions]) => ({
            topicId,
            partitions: partitions.map(({ partition, fetchOffset }) => ({ partition, fetchOffset, partitionMaxBytes, currentLeaderEpoch: -1, lastFetchedEpoch: -1 })),
          })),
        });
      } catch (error) {
        throw new LogUnavailableError(`fetching ${active.join(', ')} from broker ${leader} failed: ${describeError(error)}`);
      }
      for (const topicResponse of response.responses) {
        const topic = topicIds.get(topicResponse.topicId) ?? topicResponse.topicId;
        for (const partitionResponse of topicResponse.partitions) {
          const key = `${topic}/${partitionResponse.partitionIndex}`;
          const position = positions.get(key);
          const filter = filters.get(key);
          if (!position || !filter) continue;
          if (partitionResponse.errorCode !== 0) {
            throw new LogUnavailableError(`fetching ${key} from broker ${leader} failed with Kafka error code ${partitionResponse.errorCode}`);
          }
          const fetchedFrom = filter.fetchOffset;
          for (const batch of partitionResponse.records ?? []) filter.add(batch);
          const chunk = filter.take();
          if (filter.fetchOffset === fetchedFrom) {
            position.empty += 1;
            if (position.empty > EMPTY_FETCHES_ALLOWED) {
              const waiting = filter.pendingSince === undefined ? '' : `, a transaction from offset ${filter.pendingSince} still without its marker`;
              throw new LogUnavailableError(`${key} returned nothing at offset ${filter.fetchOffset} ${position.empty} times although the log ends at ${position.range.end}${waiting}`);
            }
            continue;
          }
          position.empty = 0;
          position.next = chunk.next;
          if (chunk.offsets.length > 0 || chunk.next >= position.range.end) await onChunk(chunk);
          if (position.next >= position.range.end) positions.delete(key);
        }
      }
      active = active.filter((key) => positions.has(key));
    }
  }

  async close(): Promise<void> {
    await this.#consumer.close(true).catch(() => undefined);
  }
}

interface QueuedBatch {
  readonly firstOffset: bigint;
  readonly lastOffset: bigint;
  readonly records: readonly { offset: bigint; key: Buffer | null; value: Buffer | null; timestamp: bigint }[];
  /** undefined once decided: handed on (committed or not transactional) or dropped */
  pendingOn: bigint | undefined;
  dropped: boolean;
}

/**
 * The committed data records of one partition within [start, end), from its batches read
 * uncommitted in log order (KIP-98): a non-transactional batch is committed as it comes; a
 * transactional batch waits for its producer's next marker — COMMIT hands it on, ABORT drops it.
 * Records leave in log order, so a batch waits for every transaction before it to be decided;
 * control batches are never handed on. Every transaction with a record below `end` (a last
 * stable offset) was decided by then, so its marker is in the log, perhaps past `end`.
 */
export class CommittedRecords {
  #fetchOffset: bigint;
  #next: bigint;
  readonly #queue: QueuedBatch[] = [];
  readonly #pending = new Map<bigint, QueuedBatch[]>();
  readonly topic: string;
  readonly partition: number;
  readonly end: bigint;

  constructor(topic: string, partition: number, start: bigint, end: bigint) {
    this.topic = topic;
    this.partition = partition;
    this.end = end;
    this.#fetchOffset = start;
    this.#next = start;
  }

  /** Where the next fetch starts: past every batch added, markers included. */
  get fetchOffset(): bigint {
    return this.#fetchOffset;
  }

  /** The first offset of the oldest batch still waiting for its marker, if any. */
  get pendingSince(): bigint | undefined {
    return this.#queue.find((batch) => batch.pendingOn !== undefined)?.firstOffset;
  }

  add(batch: RecordsBatch): void {
    const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    // A fetch starts at the batch holding its offset: what was added before is not added twice.
    if (lastOffset < this.#fetchOffset) return;
    this.#fetchOffset = lastOffset + 1n;
    if (batch.attributes & CONTROL) {
      // A control record's key is (version int16, type int16): type 0 aborts, 1 commits.
      const type = batch.records[0]?.key?.readInt16BE(2);
      const decided = this.#pending.get(batch.producerId) ?? [];
      this.#pending.delete(batch.producerId);
      for (const waiting of decided) {
        waiting.pendingOn = undefined;
        waiting.dropped = type !== 1;
      }
      this.#queue.push({ firstOffset: batch.firstOffset, lastOffset, records: [], pendingOn: undefined, dropped: true });
      return;
    }
    // LogAppendTime (attribute bit 3): the broker stamped the whole batch with its maxTimestamp.
    const appendTime = (batch.attributes & LOG_APPEND_TIME) !== 0;
    const records = batch.records.map((record) => ({
      offset: batch.firstOffset + BigInt(record.offsetDelta),
      key: record.key,
      value: record.value,
      timestamp: appendTime ? batch.maxTimestamp : batch.firstTimestamp + record.timestampDelta,
    }));
    const transactional = (batch.attributes & TRANSACTIONAL) !== 0;
    const queued: QueuedBatch = { firstOffset: batch.firstOffset, lastOffset, records, pendingOn: transactional ? batch.producerId : undefined, dropped: false };
    this.#queue.push(queued);
    if (transactional) this.#pending.set(batch.producerId, [...(this.#pending.get(batch.producerId) ?? []), queued]);
  }

  /** The records decided since the last call, in log order, within [start, end). */
  take(): RecordChunk {
    const offsets: bigint[] = [];
    const values: (Buffer | null)[] = [];
    const keys: (Buffer | null)[] = [];
    const timestamps: bigint[] = [];
    while (this.#queue.length > 0 && this.#next < this.end) {
      const head = this.#queue[0];
      if (!head) break;
      // Past the range: nothing there is read, whatever its transaction turns out to be.
      if (head.firstOffset >= this.end) {
        this.#next = this.end;
        break;
      }
      if (head.pendingOn !== undefined) break;
      this.#queue.shift();
      if (!head.dropped) {
        for (const record of head.records) {
          if (record.offset < this.#next || record.offset >= this.end) continue;
          offsets.push(record.offset);
          values.push(record.value);
          keys.push(record.key);
          timestamps.push(record.timestamp);
        }
      }
      this.#next = head.lastOffset + 1n > this.end ? this.end : head.lastOffset + 1n;
    }
    return { topic: this.topic, partition: this.partition, offsets, values, keys, timestamps, next: this.#next };
  }
}
