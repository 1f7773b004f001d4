import { Consumer, FetchIsolationLevels, ListOffsetTimestamps, type Callback, type ClusterMetadata, type RecordsBatch } from '@platformatic/kafka';

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
const EMPTY_FETCHES_ALLOWED = 100;

/** The callback form of the client: its promise form needs Promise.withResolvers (Node ≥ 22). */
function viaCallback<T>(start: (done: Callback<T>) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => start((error, result) => (error ? reject(error) : resolve(result as T))));
}

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
 * leaves no committed offset, member or group behind. Read-committed, so records of aborted
 * transactions (a side's failed write) are never seen; they are filtered here per response as
 * the Java consumer does, because the client only drops an aborted range when its marker is in
 * the same response.
 */
export class SideLog {
  readonly #consumer: Consumer;
  readonly #options: SideLogOptions;
  #metadata: ClusterMetadata | undefined;
  #ranges: PartitionRange[] = [];

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
      // LATEST is then the last stable offset, and fetches skip aborted transactions.
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

  async #discover(): Promise<void> {
    const { brokers, topics } = this.#options;
    const tried = `Kafka at ${brokers.join(', ')}`;
    let metadata: ClusterMetadata;
    try {
      metadata = await viaCallback<ClusterMetadata>((done) => this.#consumer.metadata({ topics: [...topics], autocreateTopics: false }, done));
    } catch (error) {
      const detail = describeError(error);
      if (/unknown topic/i.test(detail)) {
        throw new LogUnavailableError(`${tried} lacks a side topic: tried ${topics.map((topic) => `'${topic}'`).join(' and ')} (${detail}); check GDHK_TOPIC_PREFIX or --prefix`);
      }
      throw new LogUnavailableError(`cannot read the side topics ${topics.join(', ')} from ${tried} (KAFKA_BROKERS): ${detail}`);
    }
    this.#metadata = metadata;
    const [earliest, latest] = await Promise.all(
      [ListOffsetTimestamps.EARLIEST, ListOffsetTimestamps.LATEST].map((timestamp) =>
        viaCallback<Map<string, bigint[]>>((done) => this.#consumer.listOffsets({ topics: [...topics], timestamp }, done)).catch((error: unknown) => {
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
    let active = keys.filter((key) => positions.has(key));
    while (active.length > 0) {
      const wanted = new Map<string, { partition: number; fetchOffset: bigint }[]>();
      for (const key of active) {
        const position = positions.get(key);
        if (!position) continue;
        const topicId = metadata.topics.get(position.range.topic)?.id ?? position.range.topic;
        wanted.set(topicId, [...(wanted.get(topicId) ?? []), { partition: position.range.partition, fetchOffset: position.next }]);
      }
      let response: FetchResponse;
      try {
        response = await viaCallback<FetchResponse>((done) =>
          this.#consumer.fetch(
            {
              node: leader,
              maxBytes: this.#options.maxBytes ?? 16 << 20,
              topics: [...wanted].map(([topicId, partitions]) => ({
                topicId,
                partitions: partitions.map(({ partition, fetchOffset }) => ({ partition, fetchOffset, partitionMaxBytes, currentLeaderEpoch: -1, lastFetchedEpoch: -1 })),
              })),
            },
            done,
          ),
        );
      } catch (error) {
        throw new LogUnavailableError(`fetching ${active.join(', ')} from broker ${leader} failed: ${describeError(error)}`);
      }
      for (const topicResponse of response.responses) {
        const topic = topicIds.get(topicResponse.topicId) ?? topicResponse.topicId;
        for (const partitionResponse of topicResponse.partitions) {
          const key = `${topic}/${partitionResponse.partitionIndex}`;
          const position = positions.get(key);
          if (!position) continue;
          if (partitionResponse.errorCode !== 0) {
            throw new LogUnavailableError(`fetching ${key} from broker ${leader} failed with Kafka error code ${partitionResponse.errorCode}`);
          }
          const chunk = committedRecords(topic, partitionResponse.partitionIndex, position.next, position.range.end, partitionResponse.records ?? [], partitionResponse.abortedTransactions ?? []);
          if (chunk.next === position.next) {
            position.empty += 1;
            if (position.empty > EMPTY_FETCHES_ALLOWED) {
              throw new LogUnavailableError(`${key} returned nothing at offset ${position.next} ${position.empty} times although the log ends at ${position.range.end}`);
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
    await viaCallback<void>((done) => this.#consumer.close(true, done)).catch(() => undefined);
  }
}

/**
 * The committed data records of one fetched partition within [from, end): control batches and
 * batches of aborted transactions dropped, following the consumer algorithm of KIP-98.
 */
export function committedRecords(
  topic: string,
  partition: number,
  from: bigint,
  end: bigint,
  batches: readonly RecordsBatch[],
  abortedTransactions: readonly { producerId: bigint; firstOffset: bigint }[],
): RecordChunk {
  const aborted = [...abortedTransactions].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
  const abortedProducers = new Set<bigint>();
  const offsets: bigint[] = [];
  const values: (Buffer | null)[] = [];
  let next = from;
  for (const batch of batches) {
    const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta);
    while (aborted.length > 0 && (aborted[0]?.firstOffset ?? end) <= lastOffset) {
      const first = aborted.shift();
      if (first) abortedProducers.add(first.producerId);
    }
    if (lastOffset < from || batch.firstOffset >= end) continue;
    next = lastOffset + 1n > end ? end : lastOffset + 1n;
    if (batch.attributes & CONTROL) {
      // A control record's key is (version int16, type int16); type 0 ends an aborted transaction.
      if (batch.records[0]?.key?.readInt16BE(2) === 0) abortedProducers.delete(batch.producerId);
      continue;
    }
    if (batch.attributes & TRANSACTIONAL && abortedProducers.has(batch.producerId)) continue;
    for (const record of batch.records) {
      const offset = batch.firstOffset + BigInt(record.offsetDelta);
      if (offset < from || offset >= end) continue;
      offsets.push(offset);
      values.push(record.value);
    }
  }
  return { topic, partition, offsets, values, next };
}
