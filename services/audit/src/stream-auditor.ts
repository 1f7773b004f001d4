import { compareInstants, evolveSide, initialSideState, isDomainError, parseEvent, type Side, type SideItemState } from '@gdhk/domain';
import { streamId, StreamVerifier, type FailureReason, type KeyRing } from '@gdhk/integrity';

/** Beyond the stream checks: a log shorter than the auditor's checkpoint, or a checkpoint digest that differs. */
export type AuditFailureReason = FailureReason | 'truncated' | 'checkpoint_mismatch';

export interface AuditFailure {
  topic: string;
  /** null when the failure is about the log as a whole (a checkpoint digest) */
  partition: number | null;
  offset: string | null;
  /** `gd/2019-03`; `gd/?` when the record names no item; null for a whole partition or the log */
  stream: string | null;
  reason: AuditFailureReason;
  detail: string;
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
  events: number;
  verified: number;
  failures: AuditFailure[];
  streams: StreamFold[];
}

export interface StreamAuditorOptions {
  /** include an event iff its occurredAt ≤ until; a stream stops at its first event after it */
  until?: string | undefined;
  /** next offsets per `topic/partition` of the auditor's checkpoint: a second fold stops there */
  checkpoint?: Readonly<Record<string, string>> | undefined;
}

interface FoldEntry {
  side: Side;
  itemId: string;
  /** undefined while the stream has no event the domain could read */
  fold: { state: SideItemState; atCheckpoint: SideItemState; pastUntil: boolean } | undefined;
  halted: AuditFailure | undefined;
}

/**
 * Verifies the records of some partitions in log order and folds every verified event into its
 * side stream. Integrity is checked on the stored JSON before it is upcast and validated, since
 * upcasting changes the bytes the hash covers. A stream halts at its first failure, whether the
 * seal or the schema failed: later events of it are reported, never folded.
 */
export class StreamAuditor {
  readonly #verifier: StreamVerifier;
  readonly #until: string | undefined;
  readonly #checkpoint: ReadonlyMap<string, bigint> | undefined;
  readonly #folds = new Map<string, FoldEntry>();
  readonly #failures: AuditFailure[] = [];
  #events = 0;
  #verified = 0;

  constructor(ring: KeyRing, options: StreamAuditorOptions = {}) {
    this.#verifier = new StreamVerifier(ring);
    this.#until = options.until;
    this.#checkpoint = options.checkpoint === undefined ? undefined : new Map(Object.entries(options.checkpoint).map(([key, offset]) => [key, BigInt(offset)]));
  }

  feed(record: { topic: string; partition: number; offset: string; side: Side; value: unknown }): void {
    this.#events += 1;
    const { topic, partition, offset, side, value } = record;
    const verdict = this.#verifier.verify({ topic, partition, offset, expectedSide: side, value });
    if (!verdict.ok) {
      this.#failures.push({ ...verdict.failure });
      return;
    }
    const stream = streamId(side, verdict.event.itemId);
    const fail = (reason: AuditFailureReason, detail: string): AuditFailure => {
      const failure: AuditFailure = { topic, partition, offset, stream, reason, detail };
      this.#failures.push(failure);
      return failure;
    };
    const entry = this.#folds.get(stream) ?? { side, itemId: verdict.event.itemId, fold: undefined, halted: undefined };
    this.#folds.set(stream, entry);
    if (entry.halted) {
      const { halted } = entry;
      fail('stream_halted', `stream ${stream} halted at ${halted.topic}/${halted.partition}@${halted.offset} (${halted.reason})`);
      return;
    }
    try {
      const event = parseEvent(value);
      const fold = entry.fold ?? { state: initialSideState(side, event.itemId), atCheckpoint: initialSideState(side, event.itemId), pastUntil: false };
      const before = this.#checkpoint?.get(`${topic}/${partition}`);
      if (before !== undefined && BigInt(offset) < before) fold.atCheckpoint = evolveSide(fold.atCheckpoint, event);
      if (!fold.pastUntil && (this.#until === undefined || compareInstants(event.occurredAt, this.#until) <= 0)) {
        fold.state = evolveSide(fold.state, event);
      } else {
        fold.pastUntil = true;
      }
      entry.fold = fold;
    } catch (error) {
      if (!isDomainError(error)) throw error;
      const issues = error.details?.issues;
      const listed = Array.isArray(issues) ? ` (${issues.map((issue: { path?: string; message?: string }) => `${issue.path ?? ''}: ${issue.message ?? ''}`).join('; ')})` : '';
      entry.halted = fail('malformed', `the sealed event does not read as a domain event: ${error.message}${listed}`);
      return;
    }
    this.#verified += 1;
  }

  result(): ShardResult {
    const streams: StreamFold[] = [];
    for (const { side, itemId, fold } of this.#folds.values()) {
      if (fold === undefined) continue;
      streams.push({ side, itemId, state: fold.state, atCheckpoint: this.#checkpoint === undefined ? null : fold.atCheckpoint });
    }
    return { events: this.#events, verified: this.#verified, failures: [...this.#failures], streams };
  }
}
