import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { topicNames } from '@gdhk/config';
import type { Side } from '@gdhk/domain';
import { KeySetError, readKeySetFile, type KeySet } from '@gdhk/integrity';
import { SideLog, type PartitionRange, type RecordChunk } from '@gdhk/eventlog';
import { digestMismatch, holdCheckpoint, truncatedBelowCheckpoint, type Checkpoint } from './checkpoint.ts';
import { buildReport, type AuditReport } from './report.ts';
import { packChunk, type FromShard, type ShardInit, type ToShard } from './shard-protocol.ts';
import type { AuditFailure, ShardResult } from './stream-auditor.ts';
import { witness } from './witness.ts';

export interface ReplayOptions {
  brokers: readonly string[];
  topicPrefix: string;
  keySetFile: string;
  until?: string | undefined;
  item?: string | undefined;
  checkpoint?: Checkpoint | undefined;
  /** verification threads; defaults to one per core */
  workers?: number | undefined;
  /** how far occurredAt may lie from a record's broker timestamp (default 5 min) */
  maxSkewMs?: number | undefined;
  onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  events: number;
  /** records (control records included) accounted for, of `total` */
  done: bigint;
  total: bigint;
}

export interface ReplayContext {
  topics: Record<Side, string>;
  brokers: readonly string[];
  until: string | null;
  item: string | null;
  startedAt: string;
  finishedAt: string;
  workers: number;
}

export interface ReplayResult {
  report: AuditReport;
  context: ReplayContext;
}

// How many records a worker may have queued before the reader waits for it.
const IN_FLIGHT_LIMIT = 50_000;

// The worker module is TypeScript, run as it is by Node's type stripping like every other module.
function startWorker(init: ShardInit): Worker {
  return new Worker(new URL('./shard-worker.ts', import.meta.url), { workerData: init });
}

/** Longest partitions first onto the least loaded worker: whole partitions only, so each stream stays on one thread. */
export function assignPartitions(ranges: readonly PartitionRange[], workers: number): Map<string, number> {
  const load = Array.from({ length: workers }, () => 0n);
  const assignment = new Map<string, number>();
  const bySize = [...ranges].sort((a, b) => (b.end - b.start > a.end - a.start ? 1 : b.end - b.start < a.end - a.start ? -1 : 0));
  for (const range of bySize) {
    let target = 0;
    load.forEach((value, index) => {
      if (value < (load[target] ?? 0n)) target = index;
    });
    assignment.set(`${range.topic}/${range.partition}`, target);
    load[target] = (load[target] ?? 0n) + (range.end - range.start);
  }
  return assignment;
}

class ShardPool {
  readonly #workers: Worker[];
  readonly #inFlight: number[];
  readonly #waiting: (() => void)[][];
  readonly #results: Promise<ShardResult[]>;
  /** per chunk in flight: the offsets it spans, for the progress */
  readonly #accounted = new Map<number, bigint>();
  #seq = 0;
  #crashed: Error | undefined;

  /** `onAck` gets the events a worker finished and the offsets (control records included) they span. */
  constructor(count: number, init: ShardInit, onAck: (events: number, offsets: bigint) => void) {
    this.#inFlight = Array.from({ length: count }, () => 0);
    this.#waiting = Array.from({ length: count }, () => []);
    this.#workers = Array.from({ length: count }, () => startWorker(init));
    const results = this.#workers.map(
      (worker, index) =>
        new Promise<ShardResult>((resolve, reject) => {
          worker.on('message', (message: FromShard) => {
            if (message.kind === 'result') return resolve(message.result);
            this.#inFlight[index] = (this.#inFlight[index] ?? 0) - message.events;
            for (const wake of this.#waiting[index]?.splice(0) ?? []) wake();
            const offsets = this.#accounted.get(message.seq) ?? 0n;
            this.#accounted.delete(message.seq);
            onAck(message.events, offsets);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => reject(new Error(`verification worker ${index} exited with code ${code}`)));
        }),
    );
    this.#results = Promise.all(results);
    // A crashed worker fails the replay even while the reader waits on another worker.
    this.#results.catch((error: unknown) => {
      this.#crashed = error instanceof Error ? error : new Error(String(error));
      for (const waiting of this.#waiting) for (const wake of waiting.splice(0)) wake();
    });
  }

  async send(worker: number, chunk: RecordChunk, offsets: bigint): Promise<void> {
    while ((this.#inFlight[worker] ?? 0) >= IN_FLIGHT_LIMIT) {
      if (this.#crashed) throw this.#crashed;
      await new Promise<void>((resolve) => this.#waiting[worker]?.push(resolve));
    }
    if (this.#crashed) throw this.#crashed;
    this.#seq += 1;
    this.#accounted.set(this.#seq, offsets);
    const { message, transfer } = packChunk(chunk, this.#seq);
    this.#inFlight[worker] = (this.#inFlight[worker] ?? 0) + chunk.offsets.length;
    this.#workers[worker]?.postMessage(message satisfies ToShard, transfer);
  }

  finish(): Promise<ShardResult[]> {
    for (const worker of this.#workers) worker.postMessage({ kind: 'finish' } satisfies ToShard);
    return this.#results;
  }

  async close(): Promise<void> {
    for (const worker of this.#workers) worker.removeAllListeners('exit');
    await Promise.all(this.#workers.map((worker) => worker.terminate()));
  }
}

/** Side topics are kept forever: a partition whose log starts past offset 0 lost records. */
function truncatedStarts(ranges: readonly PartitionRange[], sideOf: (topic: string) => Side): AuditFailure[] {
  return ranges
    .filter((range) => range.start > 0n)
    .map((range) => ({ topic: range.topic, partition: range.partition, offset: '0', stream: `${sideOf(range.topic)}/?`, reason: 'truncated', detail: `the log of ${range.topic}/${range.partition} starts at offset ${range.start}: records before it were deleted, and side topics are kept forever` }));
}

export function readKeySet(file: string): KeySet {
  try {
    return readKeySetFile(file);
  } catch (error) {
    if (error instanceof KeySetError) throw error;
    throw new KeySetError(`cannot read the key set ${file}: ${(error as Error).message} (pass --keys FILE or set GDHK_KEYS_DIR)`);
  }
}

/**
 * Reads both side topics from their first offset with no consumer group, verifies every record,
 * folds the verified events, and returns the report. Writes nothing anywhere.
 */
export async function replay(options: ReplayOptions): Promise<ReplayResult> {
  const startedAt = new Date().toISOString();
  const keySet = readKeySet(options.keySetFile);
  const topics = topicNames(options.topicPrefix).side;
  const sides: Record<string, Side> = { [topics.gd]: 'gd', [topics.hk]: 'hk' };
  const sideOf = (topic: string): Side => sides[topic] ?? 'gd';

  const log = await SideLog.open({ brokers: options.brokers, topics: [topics.gd, topics.hk] });
  const offsets = Object.fromEntries(log.ranges.map((range) => [`${range.topic}/${range.partition}`, Number(range.end)]));
  // A checkpoint of another log (other topic ids) is never compared with this one.
  const held = holdCheckpoint(options.checkpoint, log.topicIds, [topics.gd, topics.hk]);
  const failures = [...held.failures, ...truncatedStarts(log.ranges, sideOf), ...truncatedBelowCheckpoint(log.ranges, held.compared)];
  const withData = log.ranges.filter((range) => range.end > range.start);
  const workers = withData.length === 0 ? 0 : Math.max(1, Math.min(options.workers ?? availableParallelism(), withData.length));
  const assignment = assignPartitions(withData, workers);
  const total = withData.reduce((sum, range) => sum + (range.end - range.start), 0n);

  const results: ShardResult[] = [];
  let pool: ShardPool | undefined;
  try {
    if (workers > 0) {
      let events = 0;
      let done = 0n;
      const position = new Map<string, bigint>(withData.map((range) => [`${range.topic}/${range.partition}`, range.start]));
      const partitionCount = log.ranges.filter((range) => range.topic === topics.gd).length;
      const init: ShardInit = { keySet, sides, partitionCount, maxSkewMs: options.maxSkewMs, until: options.until, checkpoint: held.compared?.offsets };
      const activePool = new ShardPool(workers, init, (acked, offsets) => {
        events += acked;
        done += offsets;
        options.onProgress?.({ events, done, total });
      });
      pool = activePool;
      await log.read(async (chunk) => {
        const key = `${chunk.topic}/${chunk.partition}`;
        const spanned = chunk.next - (position.get(key) ?? chunk.next);
        position.set(key, chunk.next);
        if (chunk.offsets.length > 0) await activePool.send(assignment.get(key) ?? 0, chunk, spanned);
        else done += spanned;
      });
      results.push(...(await activePool.finish()));
      options.onProgress?.({ events, done: total, total });
    }
  } finally {
    await pool?.close();
    await log.close();
  }

  const streams = results.flatMap((result) => result.streams);
  const mismatch = failures.some((failure) => failure.reason === 'truncated') ? undefined : digestMismatch(held.compared, streams, topics);
  if (mismatch) failures.push(mismatch);
  // Cosigned heads span partitions (checkpoints on partition 0, seals everywhere): compared here, after every shard.
  const witnessed = witness({
    topics,
    read: results.reduce((sum, result) => sum + result.checkpoints.read, 0),
    sealRuns: results.flatMap((result) => result.sealRuns),
    checkpoints: results.flatMap((result) => result.checkpoints.verified),
  });
  failures.push(...witnessed.failures);
  const report = buildReport({
    events: results.reduce((sum, result) => sum + result.events, 0),
    verified: results.reduce((sum, result) => sum + result.verified, 0),
    duplicates: results.reduce((sum, result) => sum + result.duplicates, 0),
    seals: { read: results.reduce((sum, result) => sum + result.seals.read, 0), verified: results.reduce((sum, result) => sum + result.seals.verified, 0) },
    witness: witnessed.summary,
    failures: [...failures, ...results.flatMap((result) => result.failures)],
    repairs: results.flatMap((result) => result.repairs),
    streams,
    offsets,
    log: log.topicIds,
    checkpoint: held.check,
    item: options.item,
  });
  return {
    report,
    context: { topics, brokers: options.brokers, until: options.until ?? null, item: options.item ?? null, startedAt, finishedAt: new Date().toISOString(), workers },
  };
}
