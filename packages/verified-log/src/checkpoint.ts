import { checkChainLink, parseCheckpoint, verifyCheckpoint, type Checkpoint } from '@gdhk/integrity';
import type { Side } from '@gdhk/domain';
import { skewProblem, type LogShape, type Quarantine, type SideRecord, type Where } from './inspect.ts';

/**
 * The record key of a cosigned checkpoint (docs/contract.md, "Checkpoint"): like a seal's, it
 * routes nothing (checkpoints go to partition 0 explicitly) and no item id can be it.
 */
export const CHECKPOINT_RECORD_KEY = 'gdhk.checkpoint';

/** The partition of its own side topic a side writes its checkpoints to: one chain, in one log order. */
export const CHECKPOINT_PARTITION = 0;

/** A checkpoint that verified on its own (shape, where it lies, time, hash, key, signature); its chain is the reader's to judge. */
export interface CheckpointCandidate {
  readonly where: Where;
  readonly checkpoint: Checkpoint;
}

/**
 * A record with `kind: "gdhk.checkpoint"`: a candidate, or `bad_checkpoint` naming the first
 * check that failed: malformed, the record key, the partition, another side than the topic's,
 * clock skew of `observedAt`, bad hash, key (unknown, foreign, not valid at `observedAt`), signature.
 */
export function inspectCheckpoint(record: SideRecord, recordKey: string | null | undefined, value: Record<string, unknown>, side: Side, shape: LogShape): { readonly kind: 'checkpoint'; readonly checkpoint: CheckpointCandidate } | Quarantine {
  const where: Where = { topic: record.topic, partition: record.partition, offset: record.offset };
  const fail = (check: string, detail: string): Quarantine => badCheckpoint(where, `${check}: ${detail}`);
  const parsed = parseCheckpoint(value);
  if (!parsed.ok) return fail('malformed', parsed.detail);
  const checkpoint = parsed.value;
  if (recordKey !== CHECKPOINT_RECORD_KEY) return fail('key_mismatch', `the record key ${JSON.stringify(recordKey ?? null)} is not ${JSON.stringify(CHECKPOINT_RECORD_KEY)}`);
  if (record.partition !== CHECKPOINT_PARTITION) return fail('wrong_partition', `a checkpoint on partition ${record.partition}, not ${CHECKPOINT_PARTITION}`);
  if (checkpoint.side !== side) return fail('side_mismatch', `a ${checkpoint.side} checkpoint on the ${side} topic ${record.topic}`);
  const skewed = skewProblem('observedAt', checkpoint.observedAt, record, shape);
  if (skewed !== undefined) return fail('clock_skew', skewed);
  const check = verifyCheckpoint(checkpoint, shape.ring);
  if (!check.ok) return fail(check.reason, check.detail);
  return { kind: 'checkpoint', checkpoint: { where, checkpoint } };
}

interface ChainState {
  head: Checkpoint | undefined;
  /** false while the reader does not know the chain's start (it did not read partition 0 from offset 0) */
  anchored: boolean;
}

/**
 * The checkpoint chain of each side topic, as a `LogReader` reads it: a checkpoint must follow the
 * topic's last good one (`sequence` + 1, `prevHash` = its hash; 1 and GENESIS for the first). A
 * reader that did not start the topic's checkpoint partition at offset 0 takes the first
 * checkpoint that verifies as the anchor. A checkpoint that does not link is `bad_checkpoint` and
 * changes nothing.
 */
export class CheckpointChains {
  readonly #chains = new Map<string, ChainState>();

  /** The checkpoint's link in its topic's chain: it becomes the head, or is `bad_checkpoint`. */
  judge(candidate: CheckpointCandidate): { readonly kind: 'checkpoint'; readonly checkpoint: Checkpoint; readonly where: Where } | Quarantine {
    const { where, checkpoint } = candidate;
    const state = this.#state(where.topic, where.offset);
    if (state.anchored) {
      const link = checkChainLink(state.head, checkpoint);
      if (!link.ok) return badCheckpoint(where, `${link.reason}: ${link.detail}`);
    }
    state.head = checkpoint;
    state.anchored = true;
    return { kind: 'checkpoint', checkpoint, where };
  }

  /** The topic's last checkpoint that verified, chain included. */
  head(topic: string): Checkpoint | undefined {
    return this.#chains.get(topic)?.head;
  }

  /** The reader starts over on this partition: if it carries checkpoints, their chain starts over too. */
  reset(topic: string, partition: number): void {
    if (partition === CHECKPOINT_PARTITION) this.#chains.delete(topic);
  }

  /** The reader starts reading a partition at `offset`: on the checkpoint partition, offset 0 anchors the chain at GENESIS. */
  seen(topic: string, partition: number, offset: string): void {
    if (partition === CHECKPOINT_PARTITION) this.#state(topic, offset);
  }

  #state(topic: string, offset: string): ChainState {
    let state = this.#chains.get(topic);
    if (!state) {
      state = { head: undefined, anchored: offset === '0' };
      this.#chains.set(topic, state);
    }
    return state;
  }
}

function badCheckpoint(where: Where, detail: string): Quarantine {
  return { kind: 'quarantined', reason: 'bad_checkpoint', detail, where, stream: null, itemId: null };
}
