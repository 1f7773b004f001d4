import type { ItemEvent } from '@gdhk/domain';
import { checkChainLink, checkSealedBatch, GENESIS_HASH, type Checkpoint } from '@gdhk/integrity';
import { CheckpointChains } from './checkpoint.ts';
import { inspectRecord, type Candidate, type LogShape, type Quarantine, type SealCandidate, type SideRecord } from './inspect.ts';
import { StreamLedger, verifySignature, type Verdict } from './ledger.ts';
import { inspectOwn, type OwnRecords } from './own.ts';

/**
 * How many schema version 2 records one partition may hold while no seal covers them (docs/contract.md,
 * "Sealed commits"): above either bound the oldest held record is quarantined `unsealed`. Both lie
 * above the largest transaction a side writes on one partition (`WRITE_BATCH_MAX` ≤ 10,000 records,
 * 768 KiB of keys and values), so only records no seal will ever cover are pushed out.
 */
export const DEFAULT_PENDING_LIMIT: PendingLimit = { records: 10_000, bytes: 2 * 1024 * 1024 };

export interface PendingLimit {
  readonly records: number;
  /** of the records' values */
  readonly bytes: number;
}

export interface ReadOptions {
  /** the Ed25519 check of a version 1 event, when the caller checked it elsewhere (workers) */
  readonly signed?: (candidate: Candidate) => boolean;
  /** applies the event to the caller's state, or says why the domain refuses it (then it is `rejected`) */
  readonly accept?: (event: ItemEvent, candidate: Candidate) => string | undefined;
  /** records this process wrote, by their exact text: what the text alone decides is not checked again (`inspectOwn`) */
  readonly own?: OwnRecords;
}

export interface SealHead {
  readonly sequence: number;
  readonly hash: string;
}

interface Held {
  readonly candidate: Candidate;
  readonly bytes: number;
}

interface PartitionState {
  /** verified on their own, waiting for a seal, in log order */
  held: Held[];
  bytes: number;
  /** the last seal that verified; undefined before the first */
  head: SealHead | undefined;
  /**
   * false while the reader does not know the partition's previous seal: it did not start at
   * offset 0 (a consumer resuming from a stored offset, a log whose front was deleted), so the
   * first seal that verifies otherwise is taken as the chain's anchor
   */
  anchored: boolean;
}

/**
 * Reads the records of side topics in log order (per partition) and gives each its verdict
 * (docs/contract.md, "Hostile records" and "Sealed commits"):
 * - a version 1 event (its own signature) is judged at once by the `StreamLedger`, as always;
 * - a version 2 event that verifies on its own is held (`pending`) — except an exact copy of its
 *   stream's head (`duplicate`) or an older version (`stale_version`), which no seal can change;
 * - at a seal that verifies on its own, the reader checks its link in the partition's seal chain,
 *   walks back from `seal.last` through the held events' `commit.prev`, exactly `count` events,
 *   to `seal.prevHash`, and checks the Merkle root over the walked hashes in log order. Then the
 *   walked events get their verdicts from the `StreamLedger` in log order (a sealed fork halts its
 *   stream), every other held record is quarantined `unsealed`, and the seal is `sealed`. A seal
 *   that fails any check is `bad_seal` and changes nothing: its events stay held, so the next good
 *   seal of the partition quarantines them (`unsealed`) unless they are on its own walk;
 * - held records above the pending limit are quarantined `unsealed`, oldest first.
 * Verdicts of records held earlier come back with the record that decided them, in log order.
 */
export class LogReader {
  readonly ledger: StreamLedger;
  readonly #shape: LogShape;
  readonly #limit: PendingLimit;
  readonly #partitions = new Map<string, PartitionState>();
  /** cosigned checkpoints (docs/contract.md, "Checkpoint"): checked on arrival, never held, never a stream's */
  readonly #checkpoints = new CheckpointChains();

  constructor(shape: LogShape, options: { ledger?: StreamLedger; pendingLimit?: PendingLimit } = {}) {
    this.#shape = shape;
    this.ledger = options.ledger ?? new StreamLedger();
    this.#limit = options.pendingLimit ?? DEFAULT_PENDING_LIMIT;
  }

  /** One record, then every verdict it decided: its own last (`pending` while it is held). */
  read(record: SideRecord, options: ReadOptions = {}): Verdict[] {
    const state = this.#partition(record.topic, record.partition, record.offset);
    const inspection = (options.own && inspectOwn(record, this.#shape, options.own)) ?? inspectRecord(record, this.#shape);
    switch (inspection.kind) {
      case 'quarantined':
        return [inspection];
      case 'seal':
        return this.#seal(state, inspection.seal, options);
      case 'candidate':
        return this.#event(state, inspection.candidate, record, options);
      case 'checkpoint':
        return [this.#checkpoints.judge(inspection.checkpoint)];
      default: {
        const _exhaustive: never = inspection;
        return _exhaustive;
      }
    }
  }

  /** The first offset of the partition still held for a seal: where a consumer that stops must read again. */
  firstPending(topic: string, partition: number): string | undefined {
    return this.#partitions.get(`${topic}/${partition}`)?.held[0]?.candidate.where.offset;
  }

  /** How many records all partitions hold for a seal. */
  get pending(): number {
    let count = 0;
    for (const state of this.#partitions.values()) count += state.held.length;
    return count;
  }

  /** The partition's last seal that verified. */
  sealHead(topic: string, partition: number): SealHead | undefined {
    return this.#partitions.get(`${topic}/${partition}`)?.head;
  }

  /** The topic's last cosigned checkpoint that verified, its chain link included: where its side's next one chains on. */
  checkpointHead(topic: string): Checkpoint | undefined {
    return this.#checkpoints.head(topic);
  }

  /** Forgets what the reader held and knew of a partition's seals (and checkpoints): the consumer reads it again from elsewhere. */
  reset(topic: string, partition: number): void {
    this.#partitions.delete(`${topic}/${partition}`);
    this.#checkpoints.reset(topic, partition);
  }

  /** The log ends here (a replay read it to its end): every record still held is `unsealed`. */
  finish(): Quarantine[] {
    const verdicts: Quarantine[] = [];
    for (const state of this.#partitions.values()) {
      for (const { candidate } of state.held) verdicts.push(unsealed(candidate, 'the log ends before any seal covers it'));
      state.held = [];
      state.bytes = 0;
    }
    return verdicts;
  }

  #partition(topic: string, partition: number, offset: string): PartitionState {
    const key = `${topic}/${partition}`;
    let state = this.#partitions.get(key);
    if (!state) {
      state = { held: [], bytes: 0, head: undefined, anchored: offset === '0' };
      this.#partitions.set(key, state);
      this.#checkpoints.seen(topic, partition, offset);
    }
    return state;
  }

  #admit(candidate: Candidate, signed: (candidate: Candidate) => boolean, options: ReadOptions): Verdict {
    try {
      return this.ledger.admit(candidate, signed, options.accept && ((event) => options.accept?.(event, candidate)));
    } catch (error) {
      // `accept` is the caller's; a throw there is a refusal, never an escape.
      return { kind: 'quarantined', reason: 'rejected', detail: `the event could not be applied: ${(error as Error).message}`, where: candidate.where, stream: candidate.stream, itemId: candidate.itemId };
    }
  }

  #event(state: PartitionState, candidate: Candidate, record: SideRecord, options: ReadOptions): Verdict[] {
    if (candidate.commitPrev === null) return [this.#admit(candidate, options.signed ?? verifySignature, options)];
    // What no seal can change is said at once: the head again, or a version behind it.
    const head = this.ledger.head(candidate.stream);
    if (!head.halted && candidate.version === head.version && candidate.hash === head.hash) return [{ kind: 'duplicate', candidate }];
    if (!head.halted && candidate.version < head.version) {
      return [{ kind: 'quarantined', reason: 'stale_version', detail: `version ${candidate.version} is behind the stream's head, version ${head.version}`, where: candidate.where, stream: candidate.stream, itemId: candidate.itemId }];
    }
    const bytes = record.value === null ? 0 : typeof record.value === 'string' ? Buffer.byteLength(record.value) : record.value.length;
    state.held.push({ candidate, bytes });
    state.bytes += bytes;
    const verdicts: Verdict[] = [];
    while (state.held.length > this.#limit.records || (state.bytes > this.#limit.bytes && state.held.length > 1)) {
      const oldest = state.held.shift();
      if (!oldest) break;
      state.bytes -= oldest.bytes;
      verdicts.push(unsealed(oldest.candidate, `held without a seal beyond the pending limit of ${this.#limit.records} records or ${this.#limit.bytes} bytes on ${record.topic}/${record.partition}`));
    }
    if (state.held.at(-1)?.candidate === candidate) verdicts.push({ kind: 'pending', candidate });
    return verdicts;
  }

  #seal(state: PartitionState, sealed: SealCandidate, options: ReadOptions): Verdict[] {
    const { seal, where } = sealed;
    const bad = (check: string, detail: string): Verdict[] => [{ kind: 'quarantined', reason: 'bad_seal', detail: `${check}: ${detail}`, where, stream: null, itemId: null }];
    if (state.anchored) {
      const link = checkChainLink(state.head, seal);
      if (!link.ok) return bad(link.reason, link.detail);
    }
    const walk = walkBack(state.held, seal.last, seal.count, seal.prevHash);
    if (typeof walk === 'string') return bad('count_mismatch', walk);
    const batch = checkSealedBatch(seal, walk.map((index) => state.held[index]?.candidate.hash ?? ''));
    if (!batch.ok) return bad(batch.reason, batch.detail);

    const covered = new Set(walk);
    const leaves = walk.flatMap((index) => state.held[index]?.candidate ?? []);
    const verdicts: Verdict[] = state.held.map(({ candidate }, index) =>
      covered.has(index) ? this.#admit(candidate, () => true, options) : unsealed(candidate, `not among the ${seal.count} events of seal ${seal.sequence} at ${where.topic}/${where.partition}@${where.offset}`),
    );
    state.held = [];
    state.bytes = 0;
    state.head = { sequence: seal.sequence, hash: seal.hash };
    state.anchored = true;
    verdicts.push({ kind: 'sealed', seal, where, covered: leaves });
    return verdicts;
  }
}

/**
 * The held records a seal covers, as indexes in log order: from the latest record whose hash is
 * `last`, back through `commit.prev` to earlier held records, `count` of them, the first linked to
 * `prevHash`. A string says why there is no such walk.
 */
function walkBack(held: readonly Held[], last: string, count: number, prevHash: string): number[] | string {
  const byHash = new Map<string, number[]>();
  held.forEach(({ candidate }, index) => {
    const indexes = byHash.get(candidate.hash) ?? [];
    indexes.push(index);
    byHash.set(candidate.hash, indexes);
  });
  const walked: number[] = [];
  let before = held.length;
  let wanted = last;
  for (let step = 0; step < count; step += 1) {
    const indexes = byHash.get(wanted) ?? [];
    let found = -1;
    for (let at = indexes.length - 1; at >= 0; at -= 1) {
      const index = indexes[at] ?? -1;
      if (index < before) {
        found = index;
        break;
      }
    }
    if (found < 0) return `the seal counts ${count} events, but only ${step} chain back from its last event ${last} among the ${held.length} records held`;
    walked.push(found);
    before = found;
    wanted = held[found]?.candidate.commitPrev ?? GENESIS_HASH;
  }
  if (wanted !== prevHash) return `${count} events back from its last event the chain goes on to ${wanted}, not to the seal's prevHash ${prevHash}`;
  return walked.reverse();
}

function unsealed(candidate: Candidate, detail: string): Quarantine {
  return { kind: 'quarantined', reason: 'unsealed', detail, where: candidate.where, stream: candidate.stream, itemId: candidate.itemId, text: candidate.json };
}

