import type { BatchObserver } from '@gdhk/eventlog';
import { GENESIS_HASH, hashCommittedEvent, type CommitSeal, type CommitSealInput, type Side } from '@gdhk/integrity';
import type { Logger } from 'pino';

/** The part of a kafkajs transactional producer the writer uses. */
export interface TransactionalProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  transaction(): Promise<LogTransaction>;
  /**
   * Whether the epoch this producer holds is still its transactional id's, asked without fencing
   * anyone (the patched kafkajs: InitProducerId version 3 with the id and epoch, KIP-360): rejects
   * with a fencing error (INVALID_PRODUCER_EPOCH) if another producer initialized since. The producer is discarded after.
   */
  probeEpoch?(): Promise<unknown>;
}

export interface LogTransaction {
  sendBatch(batch: { topicMessages: { topic: string; messages: { key: string; value: string; partition: number }[] }[]; acks: number; timeout?: number }): Promise<unknown>;
  commit(): Promise<unknown>;
  abort(): Promise<unknown>;
}

/** Why a write cannot be accepted now; `fenced` when a newer instance of this side took over. */
export class WriterUnavailable extends Error {
  override readonly name = 'WriterUnavailable';
  readonly fenced: boolean;
  constructor(message: string, fenced: boolean) {
    super(message);
    this.fenced = fenced;
  }
}

/**
 * Records of a transaction that can never commit: they were queued behind a batch that failed
 * or offered to a broken session (`queued`: never sent), or their transaction failed before its
 * commit was requested (`uncommitted`: only an EndTxn(commit) makes transactional records
 * visible, and none was sent; the coordinator aborts the transaction). Nothing of them is, or
 * will ever be, in the log as read_committed readers see it.
 */
export class NotWritten extends Error {
  override readonly name = 'NotWritten';
  readonly stage: 'queued' | 'uncommitted';
  readonly reason: Error;
  constructor(stage: 'queued' | 'uncommitted', reason: Error) {
    super(`not written (${stage}): ${reason.message}`, { cause: reason });
    this.stage = stage;
    this.reason = reason;
  }
}

/**
 * 768 KiB: one transaction's records, all on one partition at worst, stay below the 1 MiB
 * `max.message.bytes` of the side topics (docs/contract.md, "Limits") with room for batch overhead.
 */
export const MAX_BATCH_BYTES = 768 * 1024;

/**
 * The record key of a seal record. Seals are sent to an explicit partition, so the key routes
 * nothing; it only has to be unmistakable for an item id (item ids are catalogue ids such as
 * "2019-03"): readers tell a seal by its `kind` and never take its key for an item.
 */
export const SEAL_RECORD_KEY = 'gdhk.seal';

/**
 * Room a version 2 event takes beyond its draft's JSON: `prevHash`, `commit` and `hash` members.
 * Seals (one per partition, well under 1 KiB each) fit in the room between MAX_BATCH_BYTES and
 * the topic's 1 MiB max.message.bytes.
 */
const HASHED_FIELDS_BYTES = 240;

/**
 * The events of one command on one stream, not yet hashed: an event's hash depends on its place
 * in its transaction (`commit.prev`), so it is computed by the group commit that sends it.
 */
export interface EventDrafts {
  readonly topic: string;
  /** the item id: the record key, and what the partition is chosen by */
  readonly key: string;
  /** the hash of the stream's head, which the first event chains to (`prevHash`) */
  readonly prevHash: string;
  /** the events without `prevHash`, `commit` and `hash`, in stream order */
  readonly events: readonly Record<string, unknown>[];
  /** Told each event's exact JSON just before its transaction is sent (the log may echo it back before the commit is acknowledged). */
  readonly onSending?: (values: readonly string[]) => void;
}

/** How a session seals its transactions (docs/contract.md, "Seals, proofs and checkpoints"). */
export interface CommitSealing {
  readonly side: Side;
  /** the item partitioner: where an item's events go (sent with this explicit partition) */
  readonly partitionOf: (itemId: string) => number;
  /**
   * The partition's last seal as the model read it from the log. Asked once per partition in each
   * session, at its first transaction on the partition (after the session's resync, so it holds
   * everything committed under older epochs); the session then advances it itself.
   */
  readonly sealHead: (topic: string, partition: number) => { readonly sequence: number; readonly hash: string } | undefined;
  /** Builds and signs one seal (one signature per partition per transaction). */
  readonly sealCommit: (input: CommitSealInput) => Promise<CommitSeal>;
  readonly now: () => string;
}

export type WriterStatus = 'starting' | 'ready' | 'recovering' | 'fenced' | 'closed';

export interface SideLogWriterOptions {
  /** A fresh kafkajs producer with this side's transactionalId; one per session, never reused. */
  readonly newProducer: () => TransactionalProducer;
  /** Resolves once the write model holds every event now committed to this side's topic. */
  readonly resync: () => Promise<void>;
  readonly sealing: CommitSealing;
  readonly logger: Logger;
  readonly maxBatchRecords?: number;
  /** Bytes (values and keys) per transaction: a partition's batch stays under the topic's max.message.bytes. */
  readonly maxBatchBytes?: number;
  /** Bound on connect + fence + resync, so a request never hangs on a dead broker. */
  readonly acquireTimeoutMs?: number;
  /** After a failed acquisition, requests fail fast for this long instead of queueing up on Kafka. */
  readonly acquireBackoffMs?: number;
  readonly onBatch?: BatchObserver;
  /** Called once a session holds the epoch and the model has read the log. */
  readonly onAcquired?: () => void;
  /**
   * After a session broke without a fencing error: has another instance of this side written
   * since this one's session was acquired? Then it owns the side, and re-acquiring would fence it.
   */
  readonly takenOver?: () => Promise<boolean>;
  /**
   * The producers' transaction timeout. A transaction open longer than this may have been aborted
   * by its coordinator, which bumps the epoch: the epoch error that follows is then no proof of a
   * newer instance, and the writer asks `takenOver` before stepping down.
   */
  readonly transactionTimeoutMs?: number;
}

interface Pending {
  readonly drafts: EventDrafts;
  resolve(values: string[]): void;
  reject(error: unknown): void;
}

/**
 * The side's only way into Kafka: one fenced transactional producer at a time, with group commit.
 *
 * Fencing: acquiring a session initialises the transactional id, which bumps its epoch — every
 * older writer of this side (another instance, or our own previous session) can no longer commit,
 * and the coordinator has completed or aborted its open transaction. Only then does the write
 * model read the log to its end. So every event a session writes was decided on a model that
 * holds everything committed under older epochs, and anything committed under a newer epoch
 * fences this session first: two writers can never both extend a stream from the same version.
 *
 * Failure: a batch that fails breaks its session — queued batches are refused unsent, the
 * producer is dropped (kafkajs leaves a transactional producer unusable after a failed commit or
 * abort anyway) and the next write acquires a new session, which also settles whether the failed
 * transaction landed. A session fenced by a newer epoch means another instance owns the side:
 * this one steps down and stays read-only until restarted. An epoch error on a transaction that
 * outlived the transaction timeout is ambiguous (the coordinator aborts such a transaction with an
 * epoch bump): the writer steps down only if the log shows another instance's writes. Any other
 * failure within the timeout is ambiguous too (a newer instance's InitProducerId may be what made
 * it fail, before that instance has written anything): the writer asks the coordinator whether
 * its epoch is still current (`probeEpoch`) and steps down if it is not, instead of fencing the
 * newer instance by taking a new epoch.
 */
export class SideLogWriter {
  private current: WriterSession | undefined;
  private acquiring: Promise<WriterSession> | undefined;
  private fencedBy: Error | undefined;
  /** the producer of a session that broke ambiguously within the transaction timeout: its epoch is probed before the side is taken back */
  private suspect: TransactionalProducer | undefined;
  /** the last failed acquisition: requests fail fast for the back-off after it */
  private lastFailure: { at: number; message: string } | undefined;
  /** why the writer last broke or failed to acquire, for readiness */
  private lastProblem: string | undefined;
  /** an acquisition that timed out but may still be talking to Kafka */
  private settling: Promise<void> | undefined;
  private state: WriterStatus = 'starting';
  private sessions = 0;
  /** batches failed since the last one committed: a writer that keeps failing is not ready */
  private failedInARow = 0;
  private recoveryTimer: NodeJS.Timeout | undefined;

  private readonly options: SideLogWriterOptions;

  constructor(options: SideLogWriterOptions) {
    this.options = options;
  }

  get status(): WriterStatus {
    return this.state;
  }

  /** For readiness: true, or why writes cannot be taken now. */
  health(): true | string {
    if (this.state === 'fenced') return 'fenced by a newer instance of this side';
    if (this.state === 'closed') return 'closed';
    if (this.failedInARow >= 3) return `the last ${this.failedInARow} transactions failed (${this.lastProblem ?? 'unknown'})`;
    if (this.state === 'recovering') return `recovering: ${this.lastProblem ?? 'unknown'}`;
    return true;
  }

  /**
   * Settles every transaction this instance has sent: once it resolves, each is committed or
   * aborted for good and the write model holds exactly what landed. A live instance gets there by
   * acquiring a new session (the epoch bump makes the coordinator finish or abort whatever the
   * old one left open, and the resync reads the log to its end); a fenced one by reading its
   * topic, since the newer writer's epoch bump did the same. Fails when Kafka cannot say by
   * `deadline` (epoch milliseconds): the outcome stays unknown.
   */
  async settle(deadline: number): Promise<void> {
    for (;;) {
      try {
        if (this.fencedBy) {
          await this.options.resync();
        } else {
          await this.session();
        }
        return;
      } catch (error) {
        const fenced = error instanceof WriterUnavailable && error.fenced;
        if (!(error instanceof WriterUnavailable) || this.state === 'closed' || Date.now() >= deadline) throw error;
        if (fenced) continue;
        await new Promise((resolve) => setTimeout(resolve, Math.min(250, Math.max(0, deadline - Date.now()))));
      }
    }
  }

  /** Acquires the first session; `resync` here is the start-up catch-up of the whole log. */
  async start(initialResync: () => Promise<void>): Promise<void> {
    const session = await this.acquire(initialResync, Number.POSITIVE_INFINITY);
    this.current = session;
  }

  /** The live session, acquiring one (fence, then resync) when the last one broke. */
  async session(): Promise<WriterSession> {
    if (this.fencedBy) throw new WriterUnavailable(`this instance was fenced by a newer writer of the side (${this.fencedBy.message})`, true);
    if (this.state === 'closed') throw new WriterUnavailable('the writer is closed', false);
    if (this.current && !this.current.broken) return this.current;
    if (!this.acquiring) {
      // A timed-out attempt could still bump the epoch after a new session had, fencing it: wait.
      if (this.settling) throw new WriterUnavailable('the event log is unavailable (an earlier attempt to reach it has not settled yet)', false);
      const backoff = this.options.acquireBackoffMs ?? 500;
      if (this.lastFailure && Date.now() - this.lastFailure.at < backoff) {
        throw new WriterUnavailable(`the event log is unavailable (${this.lastFailure.message})`, false);
      }
      this.acquiring = this.reacquire()
        .then((session) => {
          this.current = session;
          return session;
        })
        .finally(() => {
          this.acquiring = undefined;
        });
    }
    return this.acquiring;
  }

  private async reacquire(): Promise<WriterSession> {
    // A batch can fail ambiguously (an unknown server error or retries exhausted while the
    // coordinator was aborting our transaction for a newer epoch). Re-acquiring would fence
    // whoever took the epoch meanwhile, so first ask the coordinator whether our epoch is still
    // the current one; a newer instance that has not written yet shows only there.
    const suspect = this.suspect;
    this.suspect = undefined;
    if (suspect) {
      const probed = await this.probe(suspect);
      if (probed === 'fenced') throw new WriterUnavailable(`this instance was fenced by a newer writer of the side (${this.fencedBy?.message ?? ''})`, true);
      if (probed === 'current') return this.acquire(this.options.resync, this.options.acquireTimeoutMs ?? 5000);
    }
    // Past the transaction timeout the coordinator may have bumped the epoch itself, or the
    // probe could not be asked: look at the log before taking the side back.
    if (this.sessions > 0 && this.options.takenOver) {
      let taken: boolean;
      try {
        taken = await this.options.takenOver();
      } catch (error) {
        this.lastFailure = { at: Date.now(), message: (error as Error).message };
        throw new WriterUnavailable(`the event log is unavailable (${(error as Error).message})`, false);
      }
      if (taken) {
        this.stepDown(new Error('another instance of this side has written to its topic since this one last held the epoch'));
        throw new WriterUnavailable(`this instance was fenced by a newer writer of the side (${this.fencedBy?.message ?? ''})`, true);
      }
    }
    return this.acquire(this.options.resync, this.options.acquireTimeoutMs ?? 5000);
  }

  /** The broken session's epoch, probed: `fenced` (stepped down), `current`, or `unknown` (could not ask). */
  private async probe(producer: TransactionalProducer): Promise<'fenced' | 'current' | 'unknown'> {
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!producer.probeEpoch) return 'unknown';
      // Bounded like an acquisition: a coordinator on a hung broker must not hold up recovery.
      const limitMs = this.options.acquireTimeoutMs ?? 5000;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the coordinator did not answer the epoch probe within ${limitMs} ms`)), limitMs);
      });
      await Promise.race([producer.probeEpoch(), timedOut]);
      return 'current';
    } catch (error) {
      if (!isFencedError(error)) {
        this.options.logger.warn({ err: error }, 'could not ask the coordinator whether this instance still holds the epoch; looking at the log instead');
        return 'unknown';
      }
      this.stepDown(error as Error);
      return 'fenced';
    } finally {
      clearTimeout(timer);
      void producer.disconnect().catch(() => {});
    }
  }

  private stepDown(reason: Error): void {
    this.fencedBy = reason;
    this.state = 'fenced';
    this.options.logger.error({ err: reason }, 'fenced by a newer writer of this side: stepping down, writes are refused until restart');
  }

  private async acquire(resync: () => Promise<void>, timeoutMs: number): Promise<WriterSession> {
    const producer = this.options.newProducer();
    const id = ++this.sessions;
    let timer: NodeJS.Timeout | undefined;
    const attempt = (async () => {
      await producer.connect();
      // kafkajs initialises the transactional id lazily, at the first transaction, which
      // would fence older writers only after we had read the log. An empty transaction,
      // begun and aborted (no request is sent for it), forces the epoch bump now.
      const transaction = await producer.transaction();
      await transaction.abort();
      await resync();
    })();
    try {
      await Promise.race([
        attempt,
        new Promise<never>((_, reject) => {
          if (Number.isFinite(timeoutMs)) timer = setTimeout(() => reject(new Error(`no writer session within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
    } catch (error) {
      this.settling = (async () => {
        await attempt.catch(() => {});
        await producer.disconnect().catch(() => {});
      })().finally(() => {
        this.settling = undefined;
      });
      this.lastFailure = { at: Date.now(), message: (error as Error).message };
      this.lastProblem = (error as Error).message;
      if (this.state !== 'starting') {
        this.state = 'recovering';
        this.scheduleRecovery();
      }
      this.options.logger.warn({ err: error, session: id }, 'could not acquire a writer session');
      throw new WriterUnavailable(`the event log is unavailable (${(error as Error).message})`, false);
    } finally {
      clearTimeout(timer);
    }
    if (this.state === 'closed') {
      void producer.disconnect().catch(() => {});
      throw new WriterUnavailable('the writer is closed', false);
    }
    this.lastFailure = undefined;
    this.state = 'ready';
    this.options.onAcquired?.();
    this.options.logger.info({ session: id }, 'writer session acquired: older writers of this side are fenced');
    return new WriterSession(id, producer, this.options, (session, error, openMs) => this.sessionBroke(session, error, openMs), () => {
      this.failedInARow = 0;
    });
  }

  private sessionBroke(session: WriterSession, error: unknown, openMs: number): void {
    this.failedInARow += 1;
    if (this.current === session) this.current = undefined;
    const timeout = this.options.transactionTimeoutMs;
    // Within the transaction timeout only a newer InitProducerId can have bumped the epoch: a
    // failure that is not an epoch error is probed before the side is taken back (`reacquire`).
    if (!isFencedError(error) && session.producer.probeEpoch && timeout !== undefined && openMs < timeout && this.state !== 'closed') {
      if (this.suspect && this.suspect !== session.producer) void this.suspect.disconnect().catch(() => {});
      this.suspect = session.producer;
    } else void session.producer.disconnect().catch(() => {});
    if (isFencedError(error)) {
      // Within the transaction timeout only a newer InitProducerId can have bumped the epoch.
      // Past it the coordinator may have (aborting the transaction as timed out): the next
      // acquisition asks the log whether another instance has written (`reacquire`).
      if (timeout === undefined || openMs < timeout || !this.options.takenOver) {
        this.stepDown(error as Error);
        return;
      }
      this.options.logger.warn({ err: error, session: session.id, openMs: Math.round(openMs) }, 'epoch error on a transaction open longer than the transaction timeout: the coordinator may have aborted it; checking the log before stepping down');
    }
    if (this.state !== 'closed') this.state = 'recovering';
    // No back-off here: the writes that failed settle their outcome through a new session at once.
    this.lastProblem = (error as Error).message;
    this.options.logger.warn({ err: error, session: session.id }, 'writer session broke; acquiring a new one');
    this.scheduleRecovery();
  }

  /** A broken writer takes a new session by itself, so it recovers (and says so) without waiting for traffic. */
  private scheduleRecovery(): void {
    if (this.recoveryTimer || this.state === 'closed' || this.fencedBy) return;
    this.recoveryTimer = setTimeout(() => {
      this.recoveryTimer = undefined;
      if (this.current && !this.current.broken) return;
      this.session().catch(() => this.scheduleRecovery());
    }, this.options.acquireBackoffMs ?? 500);
    this.recoveryTimer.unref();
  }

  async close(): Promise<void> {
    this.state = 'closed';
    clearTimeout(this.recoveryTimer);
    const session = this.current;
    this.current = undefined;
    if (session) await session.drain();
    await session?.producer.disconnect().catch(() => {});
    await this.suspect?.disconnect().catch(() => {});
    this.suspect = undefined;
  }
}

/** One epoch of this side's transactional producer, committing queued writes in batches. */
export class WriterSession {
  private queue: Pending[] = [];
  /** records each to be sent in a transaction of its own, ahead of the next batch */
  private alone: { record: { topic: string; partition: number; key: string; value: string }; resolve(): void; reject(error: unknown): void }[] = [];
  private flushing: Promise<void> | undefined;
  private active = false;
  private failure: Error | undefined;
  /** per topic/partition, the last seal this session knows: read from the model at first use, then its own */
  private readonly sealTips = new Map<string, { sequence: number; hash: string }>();
  readonly id: number;
  readonly producer: TransactionalProducer;
  private readonly options: SideLogWriterOptions;
  /** `openMs`: how long the failed batch's transaction had been open, at most. */
  private readonly onBroken: (session: WriterSession, error: unknown, openMs: number) => void;
  private readonly onCommitted: () => void;

  constructor(
    id: number,
    producer: TransactionalProducer,
    options: SideLogWriterOptions,
    onBroken: (session: WriterSession, error: unknown, openMs: number) => void,
    onCommitted: () => void,
  ) {
    this.id = id;
    this.producer = producer;
    this.options = options;
    this.onBroken = onBroken;
    this.onCommitted = onCommitted;
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Resolves, with each event's JSON exactly as written, once the events are committed with
   * acks=all, seals included. Events offered while a batch is in flight leave together in the
   * next transaction, in the order offered, so a stream's events keep their order however many
   * streams share a batch.
   */
  publish(drafts: EventDrafts): Promise<string[]> {
    if (this.failure) return Promise.reject(new NotWritten('queued', this.failure));
    return new Promise<string[]>((resolve, reject) => {
      this.queue.push({ drafts, resolve, reject });
      if (!this.active) this.flushing = this.flush();
    });
  }

  async drain(): Promise<void> {
    await this.flushing;
  }

  /**
   * One record in a transaction of its own (a cosigned checkpoint: it carries its own signature and
   * needs no seal), sent before the next batch however busy the session is. Resolves once
   * committed with acks=all. A failure breaks the session like a failed batch: whether it landed is
   * for the next session's resync to read.
   */
  writeAlone(record: { topic: string; partition: number; key: string; value: string }): Promise<void> {
    if (this.failure) return Promise.reject(new NotWritten('queued', this.failure));
    return new Promise<void>((resolve, reject) => {
      this.alone.push({ record, resolve, reject });
      if (!this.active) this.flushing = this.flush();
    });
  }

  private async flush(): Promise<void> {
    // Cleared synchronously when the loop ends, so a write offered by a continuation of this
    // batch's callers starts a new flush instead of waiting in the queue for nobody.
    this.active = true;
    const max = this.options.maxBatchRecords ?? 2000;
    const maxBytes = this.options.maxBatchBytes ?? MAX_BATCH_BYTES;
    while ((this.queue.length > 0 || this.alone.length > 0) && !this.failure) {
      const alone = this.alone.shift();
      if (alone) {
        const started = performance.now();
        try {
          await this.send([{ topic: alone.record.topic, messages: [{ key: alone.record.key, value: alone.record.value, partition: alone.record.partition }] }]);
          this.onCommitted();
          alone.resolve();
        } catch (error) {
          this.failure = error instanceof Error ? error : new Error(String(error));
          alone.reject(this.failure);
          this.onBroken(this, error, performance.now() - started);
        }
        continue;
      }
      const batch: Pending[] = [];
      let size = 0;
      let bytes = 0;
      while (this.queue.length > 0) {
        const next = this.queue[0];
        if (!next) break;
        const nextBytes = next.drafts.events.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)) + HASHED_FIELDS_BYTES + Buffer.byteLength(next.drafts.key), 0);
        if (batch.length > 0 && (size + next.drafts.events.length > max || bytes + nextBytes > maxBytes)) break;
        batch.push(next);
        size += next.drafts.events.length;
        bytes += nextBytes;
        this.queue.shift();
      }
      const started = performance.now();
      try {
        const written = await this.commit(batch);
        this.options.onBatch?.({ size, seconds: (performance.now() - started) / 1000, ok: true });
        this.onCommitted();
        batch.forEach((pending, index) => pending.resolve(written[index] ?? []));
      } catch (error) {
        this.options.onBatch?.({ size, seconds: (performance.now() - started) / 1000, ok: false });
        this.failure = error instanceof Error ? error : new Error(String(error));
        for (const pending of batch) pending.reject(this.failure);
        this.onBroken(this, error, performance.now() - started);
      }
    }
    // Whatever was queued behind a failed batch was decided on a model that may miss that
    // batch's events: it must be decided again in a new session, never sent in this one.
    const refused = this.failure ? [...this.queue.splice(0), ...this.alone.splice(0)] : [];
    this.active = false;
    const failure = this.failure;
    for (const pending of refused) pending.reject(new NotWritten('queued', failure ?? new Error('the session broke')));
  }

  /**
   * One transaction: hashes the batch's events in the order they are sent, each chained to its
   * stream (`prevHash`) and to the previous event of the transaction on its partition
   * (`commit.prev`; the first to the partition's last seal), ends every partition it touched with
   * one seal, sends it all with acks=all and commits. Returns each pending's event JSON. The seal
   * chains advance only once the commit is acknowledged; a session whose transaction failed is
   * broken, and the next one reads the chains again from the log.
   */
  private async commit(batch: readonly Pending[]): Promise<string[][]> {
    const { sealing } = this.options;
    const partitions = new Map<string, { topic: string; partition: number; tip: { sequence: number; hash: string }; prev: string; hashes: string[]; messages: { key: string; value: string; partition: number }[] }>();
    const written: string[][] = [];
    let sealed: { key: string; topic: string; partition: number; sequence: number; hash: string; value: string }[];
    try {
      for (const { drafts } of batch) {
        const partition = sealing.partitionOf(drafts.key);
        const id = `${drafts.topic}/${partition}`;
        let open = partitions.get(id);
        if (!open) {
          const tip = this.tipOf(drafts.topic, partition);
          open = { topic: drafts.topic, partition, tip, prev: tip.hash, hashes: [], messages: [] };
          partitions.set(id, open);
        }
        let streamPrev = drafts.prevHash;
        const values: string[] = [];
        for (const draft of drafts.events) {
          const event = hashCommittedEvent(draft, streamPrev, open.prev);
          streamPrev = event.hash;
          open.prev = event.hash;
          open.hashes.push(event.hash);
          const value = JSON.stringify(event);
          values.push(value);
          open.messages.push({ key: drafts.key, value, partition });
        }
        written.push(values);
      }
      const sealedAt = sealing.now();
      sealed = await Promise.all(
        [...partitions.values()].map(async (open) => {
          const seal = await sealing.sealCommit({ side: sealing.side, topic: open.topic, partition: open.partition, sequence: open.tip.sequence + 1, prevHash: open.tip.hash, eventHashes: open.hashes, sealedAt });
          return { key: `${open.topic}/${open.partition}`, topic: open.topic, partition: open.partition, sequence: seal.sequence, hash: seal.hash, value: JSON.stringify(seal) };
        }),
      );
      batch.forEach((pending, index) => pending.drafts.onSending?.(written[index] ?? []));
    } catch (error) {
      throw new NotWritten('queued', error instanceof Error ? error : new Error(String(error)));
    }
    const byTopic = new Map<string, { key: string; value: string; partition: number }[]>();
    // Per partition: its events in order, then its seal, the partition's last record of the transaction.
    for (const open of partitions.values()) byTopic.set(open.topic, [...(byTopic.get(open.topic) ?? []), ...open.messages]);
    for (const seal of sealed) byTopic.get(seal.topic)?.push({ key: SEAL_RECORD_KEY, value: seal.value, partition: seal.partition });
    await this.send([...byTopic].map(([topic, messages]) => ({ topic, messages })));
    for (const seal of sealed) this.sealTips.set(seal.key, { sequence: seal.sequence, hash: seal.hash });
    return written;
  }

  /** One transaction of these records, acks=all, committed; NotWritten when it failed before its commit was asked. */
  private async send(topicMessages: { topic: string; messages: { key: string; value: string; partition: number }[] }[]): Promise<void> {
    let transaction: LogTransaction | undefined;
    try {
      transaction = await this.producer.transaction();
      // The broker answers within `timeout` (below the client's request timeout) even while it waits for replicas.
      await transaction.sendBatch({ topicMessages, acks: -1, timeout: 8000 });
    } catch (error) {
      await transaction?.abort().catch(() => {});
      throw new NotWritten('uncommitted', error instanceof Error ? error : new Error(String(error)));
    }
    try {
      await transaction.commit();
    } catch (error) {
      // The commit may have reached the coordinator: whether it landed is for the log to say.
      await transaction.abort().catch(() => {});
      throw error;
    }
  }

  /** The partition's last seal: this session's own once it sealed there, else what the model read from the log. */
  private tipOf(topic: string, partition: number): { sequence: number; hash: string } {
    const key = `${topic}/${partition}`;
    const own = this.sealTips.get(key);
    if (own) return own;
    const head = this.options.sealing.sealHead(topic, partition);
    const tip = head ? { sequence: head.sequence, hash: head.hash } : { sequence: 0, hash: GENESIS_HASH };
    this.sealTips.set(key, tip);
    return tip;
  }
}

// INVALID_PRODUCER_EPOCH (47) is what Kafka answers kafkajs' request versions; PRODUCER_FENCED
// (90) is newer than kafkajs 2.2.4, which reports it as "Unknown error code 90".
const FENCED_TYPES = new Set(['INVALID_PRODUCER_EPOCH', 'PRODUCER_FENCED']);
const FENCED_CODES = new Set([47, 90]);

/** kafkajs wraps protocol errors in retry errors; the fencing error may sit anywhere in the chain. */
export function isFencedError(error: unknown): boolean {
  for (let cause: unknown = error, depth = 0; cause && depth < 8; depth += 1) {
    const { type, code, message } = cause as { type?: unknown; code?: unknown; message?: unknown };
    if ((typeof type === 'string' && FENCED_TYPES.has(type)) || (typeof code === 'number' && FENCED_CODES.has(code))) return true;
    if (type === 'KAFKAJS_UNKNOWN_ERROR_CODE' && typeof message === 'string' && /\bcode 90\b/.test(message)) return true;
    cause = (cause as { cause?: unknown; originalError?: unknown }).cause ?? (cause as { originalError?: unknown }).originalError;
  }
  return false;
}
