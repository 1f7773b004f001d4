import type { ItemEvent, ItemEventOf } from '@gdhk/domain';
import { GENESIS_HASH, verifyHashSignature } from '@gdhk/integrity';
import type { Checkpoint, CommitSeal } from '@gdhk/integrity';
import type { Candidate, Quarantine, Where } from './inspect.ts';
import type { HaltReason } from './reasons.ts';

/** Where a stream stands: its last applied event, or version 0 and the genesis hash. */
export interface StreamHead {
  readonly version: number;
  readonly hash: string;
  /** of the last applied event; -Infinity before the first */
  readonly occurredAtMs: number;
  readonly halted?: StreamHalt | undefined;
}

export interface StreamHalt {
  readonly reason: HaltReason;
  readonly detail: string;
  readonly where: Where;
  /** the forking event's `hash`: a repair names it */
  readonly hash: string;
}

export type Verdict =
  | { readonly kind: 'applied'; readonly candidate: Candidate; readonly event: ItemEvent }
  /** the exact event already at the head of its stream: a counted no-op */
  | { readonly kind: 'duplicate'; readonly candidate: Candidate }
  | Quarantine
  /** this record halted its stream */
  | { readonly kind: 'halted'; readonly halt: StreamHalt; readonly stream: string; readonly itemId: string }
  /** a `stream.repaired` event of the side took its halted stream back: applied, and `halt` is over */
  | { readonly kind: 'repaired'; readonly candidate: Candidate; readonly event: ItemEventOf<'stream.repaired'>; readonly halt: StreamHalt }
  /** a schema version 2 event that verified on its own, held until its seal (its final verdict comes then) */
  | { readonly kind: 'pending'; readonly candidate: Candidate }
  /**
   * a seal that verified: the events it covers (`covered`, in log order, the Merkle tree's leaves)
   * got their verdicts just before it
   */
  | { readonly kind: 'sealed'; readonly seal: CommitSeal; readonly where: Where; readonly covered: readonly Candidate[] }
  /** a cosigned checkpoint of the topic's side that verified, its chain link included; it applies to no stream */
  | { readonly kind: 'checkpoint'; readonly checkpoint: Checkpoint; readonly where: Where };

/**
 * The Ed25519 check of a version 1 candidate; callers that checked in bulk (workers) pass their
 * answer instead. False for later versions, which have no signature of their own (their seal's is
 * checked by the `LogReader`).
 */
export function verifySignature(candidate: Candidate): boolean {
  if (candidate.signed === null) return false;
  try {
    return verifyHashSignature(candidate.hash, candidate.signed.signature, candidate.signed.publicKey);
  } catch {
    return false;
  }
}

function quarantine(candidate: Candidate, reason: Quarantine['reason'], detail: string): Quarantine {
  return { kind: 'quarantined', reason, detail, where: candidate.where, stream: candidate.stream, itemId: candidate.itemId };
}

function timeRegression(candidate: Candidate, head: StreamHead): Quarantine {
  return quarantine(candidate, 'time_regression', `occurredAt ${candidate.event.occurredAt} is before the previous event's ${new Date(head.occurredAtMs).toISOString()}`);
}

const GENESIS: StreamHead = { version: 0, hash: GENESIS_HASH, occurredAtMs: Number.NEGATIVE_INFINITY };

/**
 * Places verified candidates in their streams, in log order, and decides each one's fate. The
 * rules (docs/contract.md, "Hostile records"):
 * - the next version, chained to the head, correctly signed, in time order, accepted by the
 *   domain → applied;
 * - the very event at the head again (same version and hash) → duplicate, a no-op;
 * - correctly signed by the side's own valid key yet forking the chain (the next version on
 *   another previous hash, or another event at the head's version) → the stream halts: only the
 *   signer can do that;
 * - anything else → quarantined; it changes nothing and the genuine next event still applies.
 * A halted stream takes only its repair: a correctly signed `stream.repaired` event, the next
 * version chained to the head before the fork, naming the forking record's hash → repaired, and
 * the stream goes on from it. A repair of a stream that is not halted is `rejected`.
 */
export class StreamLedger {
  readonly #heads = new Map<string, StreamHead>();

  /** The stream's head; the genesis head for a stream with no event yet. */
  head(stream: string): StreamHead {
    return this.#heads.get(stream) ?? GENESIS;
  }

  /** Continues a stream from a known head (a snapshot, or an event this process wrote and read back). */
  seed(stream: string, head: StreamHead): void {
    this.#heads.set(stream, head);
  }

  streams(): IterableIterator<[string, StreamHead]> {
    return this.#heads.entries();
  }

  /**
   * `signed` is asked only when the verdict depends on it. `accept` applies the event to the
   * caller's state, or says why the domain refuses it (then nothing changed and the record is
   * quarantined as `rejected`).
   */
  admit(candidate: Candidate, signed: (candidate: Candidate) => boolean = verifySignature, accept?: (event: ItemEvent) => string | undefined): Verdict {
    const { stream, version, hash, where } = candidate;
    const head = this.head(stream);
    const quarantined = (reason: Quarantine['reason'], detail: string): Quarantine => quarantine(candidate, reason, detail);
    if (head.halted) return this.#repair(candidate, head, head.halted, signed, accept);
    if (version === head.version && hash === head.hash) return { kind: 'duplicate', candidate };
    if (version < head.version) return quarantined('stale_version', `version ${version} is behind the stream's head, version ${head.version}`);
    if (version > head.version + 1) return quarantined('version_gap', `expected version ${head.version + 1}, got ${version}`);
    if (!signed(candidate)) return quarantined('bad_signature', `the signature does not verify with key ${candidate.signed?.keyId ?? '(none)'}`);
    const halt = (detail: string): Verdict => {
      const halted: StreamHalt = { reason: 'fork', detail, where, hash };
      this.#heads.set(stream, { ...head, halted });
      return { kind: 'halted', halt: halted, stream, itemId: candidate.itemId };
    };
    if (version === head.version) return halt(`a second, correctly signed version ${version} (hash ${hash}, the head's is ${head.hash})`);
    if (candidate.prevHash !== head.hash) return halt(`version ${version} is correctly signed but chains to ${candidate.prevHash}, not to the head ${head.hash}`);
    if (candidate.occurredAtMs < head.occurredAtMs) return timeRegression(candidate, head);
    if (candidate.event.type === 'stream.repaired') return quarantined('rejected', `stream ${stream} is not halted: there is no fork to repair`);
    const refusal = accept?.(candidate.event);
    if (refusal !== undefined) return quarantined('rejected', refusal);
    this.#heads.set(stream, { version, hash, occurredAtMs: candidate.occurredAtMs });
    return { kind: 'applied', candidate, event: candidate.event };
  }

  /** A record of a halted stream: its repair, or `stream_halted`. */
  #repair(candidate: Candidate, head: StreamHead, halt: StreamHalt, signed: (candidate: Candidate) => boolean, accept: ((event: ItemEvent) => string | undefined) | undefined): Verdict {
    const { stream, version, event } = candidate;
    const at = halt.where;
    const held = (detail: string): Quarantine => quarantine(candidate, 'stream_halted', `stream ${stream} is halted since ${at.topic}/${at.partition}@${at.offset} (${halt.reason})${detail}`);
    if (event.type !== 'stream.repaired') return held('');
    const { fork } = event.data;
    if (version !== head.version + 1 || candidate.prevHash !== head.hash) return held(`; a repair must be version ${head.version + 1} chained to ${head.hash}`);
    if (fork.hash !== halt.hash || fork.topic !== at.topic || fork.partition !== at.partition || fork.offset !== at.offset) {
      return held(`; this repair names ${fork.topic}/${fork.partition}@${fork.offset} (hash ${fork.hash}), not the forking record (hash ${halt.hash})`);
    }
    if (!signed(candidate)) return quarantine(candidate, 'bad_signature', `the signature does not verify with key ${candidate.signed?.keyId ?? '(none)'}`);
    if (candidate.occurredAtMs < head.occurredAtMs) return timeRegression(candidate, head);
    const refusal = accept?.(event);
    if (refusal !== undefined) return quarantine(candidate, 'rejected', refusal);
    this.#heads.set(stream, { version, hash: candidate.hash, occurredAtMs: candidate.occurredAtMs });
    return { kind: 'repaired', candidate, event, halt };
  }
}
