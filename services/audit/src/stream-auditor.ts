import { compareInstants, evolveSide, initialSideState, type ItemEvent, type Side, type SideItemState } from '@gdhk/domain';
import type { Checkpoint } from '@gdhk/integrity';
import { LogReader, type Candidate, type LogShape, type ReadOptions, type Reason, type SideRecord, type Verdict, type Where } from '@gdhk/verified-log';

/**
 * Beyond the verified log's reasons: a log shorter than the auditor's checkpoint, a checkpoint
 * digest that differs, or a checkpoint of another log (other topic ids).
 */
export type AuditFailureReason = Reason | 'truncated' | 'checkpoint_mismatch' | 'other_log' | 'head_missing' | 'head_differs';

export interface AuditFailure {
  topic: string;
  /** null when the failure is about a whole topic or the log as a whole (another log, a checkpoint digest) */
  partition: number | null;
  offset: string | null;
  /** `gd/2019-03`; `gd/?` when the record names no stream; null for a whole partition or the log */
  stream: string | null;
  reason: AuditFailureReason;
  detail: string;
}

/** A fork the side repaired: the forking record, and the `stream.repaired` event that took its stream back. */
export interface AuditRepair {
  stream: string;
  fork: { topic: string; partition: number; offset: string; hash: string; detail: string };
  repair: { topic: string; partition: number; offset: string; eventId: string; occurredAt: string; userId: string; reason: string };
}

export interface StreamFold {
  side: Side;
  itemId: string;
  /** the stream folded up to `until` */
  state: SideItemState;
  /** the stream folded up to the checkpoint offsets, when the auditor holds a checkpoint */
  atCheckpoint: SideItemState | null;
}

export interface ShardResult {
  /** event records read (seals and cosigned checkpoints not counted) */
  events: number;
  /** seal records read, and how many of them verified */
  seals: { read: number; verified: number };
  /**
   * The verified seals, as runs of consecutive sequences per partition (a verified seal links to
   * the previous one, so a partition read from offset 0 is one run): what cosigned heads are
   * compared with once every shard is done.
   */
  sealRuns: SealRun[];
  /** cosigned checkpoint records read; the verified ones, in log order */
  checkpoints: { read: number; verified: { checkpoint: Checkpoint; where: Where }[] };
  verified: number;
  /** exact copies of a stream's head: no-ops, neither verified again nor failures */
  duplicates: number;
  failures: AuditFailure[];
  /** forks their side repaired: not failures, listed on their own */
  repairs: AuditRepair[];
  streams: StreamFold[];
}

/** Seals `first`, `first` + 1, … of one partition, by hash. */
export interface SealRun {
  topic: string;
  partition: number;
  first: number;
  hashes: string[];
}

export interface StreamAuditorOptions {
  /** include an event iff its occurredAt ≤ until; a stream stops at its first event after it */
  until?: string | undefined;
  /** next offsets per `topic/partition` of the auditor's checkpoint: a second fold stops there */
  checkpoint?: Readonly<Record<string, string>> | undefined;
}

interface Fold {
  side: Side;
  itemId: string;
  state: SideItemState;
  atCheckpoint: SideItemState;
  pastUntil: boolean;
}

/**
 * Verifies the records of some partitions in log order through the verified log — the same
 * pipeline the side services and the projection use — and folds every applied event into its
 * side stream. Every record that is not applied (quarantined, or halting its stream) is a failure
 * of the audit, with its reason, topic, partition and offset; duplicates are counted. A fork its
 * side later repaired (docs/contract.md, "Repairing a halted stream") is listed as a repair instead.
 */
export class StreamAuditor {
  readonly #shape: LogShape;
  readonly #reader: LogReader;
  readonly #until: string | undefined;
  readonly #checkpoint: ReadonlyMap<string, bigint> | undefined;
  readonly #folds = new Map<string, Fold>();
  readonly #failures: AuditFailure[] = [];
  readonly #repairs: AuditRepair[] = [];
  #events = 0;
  #seals = 0;
  #sealsVerified = 0;
  readonly #sealRuns = new Map<string, SealRun[]>();
  #checkpointsRead = 0;
  readonly #checkpoints: { checkpoint: Checkpoint; where: Where }[] = [];
  #verified = 0;
  #duplicates = 0;

  constructor(shape: LogShape, options: StreamAuditorOptions = {}) {
    this.#shape = shape;
    this.#reader = new LogReader(shape);
    this.#until = options.until;
    this.#checkpoint = options.checkpoint === undefined ? undefined : new Map(Object.entries(options.checkpoint).map(([key, offset]) => [key, BigInt(offset)]));
  }

  // One closure for every record, and each stream's fold changed in place: no allocation per event the fold does not need.
  readonly #accept = (event: ItemEvent, candidate: Candidate): undefined => {
    const { topic, partition, offset } = candidate.where;
    const before = this.#checkpoint?.get(`${topic}/${partition}`);
    const fold = this.#folds.get(candidate.stream);
    const current = fold ?? { side: event.side, itemId: event.itemId, state: initialSideState(event.side, event.itemId), atCheckpoint: initialSideState(event.side, event.itemId), pastUntil: false };
    const atCheckpoint = before !== undefined && BigInt(offset) < before ? evolveSide(current.atCheckpoint, event) : current.atCheckpoint;
    const included = !current.pastUntil && (this.#until === undefined || compareInstants(event.occurredAt, this.#until) <= 0);
    const state = included ? evolveSide(current.state, event) : current.state;
    // Only once both folds are computed (a throw changes nothing).
    current.atCheckpoint = atCheckpoint;
    current.state = state;
    current.pastUntil = !included;
    if (fold === undefined) this.#folds.set(candidate.stream, current);
    return undefined;
  };
  readonly #options: ReadOptions = { accept: this.#accept };

  feed(record: SideRecord): void {
    const verdicts = this.#reader.read(record, this.#options);
    const own = verdicts.at(-1);
    // The record read is a seal when its own verdict says so (sealed, or a bad seal).
    const ownReason = own?.kind === 'quarantined' && own.where.offset === record.offset ? own.reason : undefined;
    if (own?.kind === 'sealed' || ownReason === 'bad_seal') this.#seals += 1;
    else if (own?.kind === 'checkpoint' || ownReason === 'bad_checkpoint') this.#checkpointsRead += 1;
    else this.#events += 1;
    for (const verdict of verdicts) this.#judged(verdict);
  }

  /** The log was read to its end: what is still held for a seal never got one. */
  finish(): void {
    for (const verdict of this.#reader.finish()) this.#judged(verdict);
  }

  #judged(verdict: Verdict): void {
    switch (verdict.kind) {
      case 'applied':
        this.#verified += 1;
        return;
      case 'duplicate':
        this.#duplicates += 1;
        return;
      case 'pending':
        return;
      case 'sealed': {
        this.#sealsVerified += 1;
        const { topic, partition } = verdict.where;
        const runs = this.#sealRuns.get(`${topic}/${partition}`) ?? [];
        const run = runs.at(-1);
        if (run && run.first + run.hashes.length === verdict.seal.sequence) run.hashes.push(verdict.seal.hash);
        else runs.push({ topic, partition, first: verdict.seal.sequence, hashes: [verdict.seal.hash] });
        this.#sealRuns.set(`${topic}/${partition}`, runs);
        return;
      }
      case 'checkpoint':
        this.#checkpoints.push({ checkpoint: verdict.checkpoint, where: verdict.where });
        return;
      case 'quarantined': {
        const { topic, partition, offset } = verdict.where;
        const side = topic === this.#shape.topics.hk ? 'hk' : 'gd';
        this.#failures.push({ topic, partition, offset, stream: verdict.stream ?? `${side}/?`, reason: verdict.reason, detail: verdict.detail });
        return;
      }
      case 'halted': {
        const { topic, partition, offset } = verdict.halt.where;
        this.#failures.push({ topic, partition, offset, stream: verdict.stream, reason: verdict.halt.reason, detail: verdict.halt.detail });
        return;
      }
      case 'repaired': {
        // The fork is answered by its own side: it moves from the failures to the repairs.
        this.#verified += 1;
        const { halt, event } = verdict;
        const at = halt.where;
        const { topic, partition, offset } = verdict.candidate.where;
        const index = this.#failures.findIndex((failure) => failure.reason === 'fork' && failure.topic === at.topic && failure.partition === at.partition && failure.offset === at.offset);
        if (index >= 0) this.#failures.splice(index, 1);
        this.#repairs.push({
          stream: verdict.candidate.stream,
          fork: { ...at, hash: halt.hash, detail: halt.detail },
          repair: { topic, partition, offset, eventId: event.eventId, occurredAt: event.occurredAt, userId: event.actor.userId, reason: event.data.reason },
        });
        return;
      }
      default: {
        const _exhaustive: never = verdict;
        return _exhaustive;
      }
    }
  }

  result(): ShardResult {
    const streams: StreamFold[] = [...this.#folds.values()].map(({ side, itemId, state, atCheckpoint }) => ({ side, itemId, state, atCheckpoint: this.#checkpoint === undefined ? null : atCheckpoint }));
    return {
      events: this.#events,
      seals: { read: this.#seals, verified: this.#sealsVerified },
      sealRuns: [...this.#sealRuns.values()].flat(),
      checkpoints: { read: this.#checkpointsRead, verified: [...this.#checkpoints] },
      verified: this.#verified, duplicates: this.#duplicates, failures: [...this.#failures], repairs: [...this.#repairs], streams };
  }
}
