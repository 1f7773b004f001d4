import { otherSide, type Side } from '@gdhk/domain';
import { GENESIS_HASH, type Checkpoint, type CheckpointHead, type CheckpointInput } from '@gdhk/integrity';
import { CHECKPOINT_PARTITION, CHECKPOINT_RECORD_KEY, type SealHead } from '@gdhk/verified-log';
import type { Logger } from 'pino';

/** The part of a writer session the witness writes through: one record in a transaction of its own. */
export interface AloneWriter {
  writeAlone(record: { topic: string; partition: number; key: string; value: string }): Promise<void>;
}

export interface WitnessOptions {
  readonly side: Side;
  /** this side's topic: where its checkpoints go (partition 0) */
  readonly topic: string;
  /** partitions of the other side's topic */
  readonly partitions: number;
  /** how often to look at the other side's heads (ms); 0 disables the witness */
  readonly intervalMs: number;
  /** the other side's last verified seal of a partition, as the fold read it */
  readonly otherSealHead: (partition: number) => SealHead | undefined;
  /** this side's last verified checkpoint, as the fold read it from its own topic */
  readonly checkpointHead: () => Checkpoint | undefined;
  /** the live writer session (fenced, resynced): rejects when there is none */
  readonly session: () => Promise<AloneWriter>;
  readonly sign: (input: CheckpointInput) => Promise<Checkpoint>;
  readonly now: () => string;
  readonly logger: Logger;
  readonly onWritten?: (checkpoint: Checkpoint) => void;
}

const sameHeads = (a: readonly CheckpointHead[], b: readonly CheckpointHead[]): boolean =>
  a.length === b.length && a.every((head, index) => head.partition === b[index]?.partition && head.sequence === b[index]?.sequence && head.sealHash === b[index]?.sealHash);

/**
 * Cosigns the other side's log (docs/contract.md, "Checkpoint"): every `intervalMs`, if the other
 * side's latest verified seals differ from those of this side's last checkpoint (and none is
 * behind it: the fold may still be reading the other side's topic), signs a
 * checkpoint of them and writes it to partition 0 of this side's topic, in a transaction of its
 * own. The chain goes on from the last checkpoint this session wrote, or, in a new session (after
 * a restart or a failed write, once the session's resync has read the log), from the one the fold
 * read: a failed or fenced write is never chained on, so the chain never forks.
 */
export class Witness {
  readonly #options: WitnessOptions;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;
  /** the last checkpoint written, and the session that wrote it */
  #last: { session: AloneWriter; checkpoint: Checkpoint } | undefined;
  #running: Promise<void> | undefined;

  constructor(options: WitnessOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#options.intervalMs <= 0) return;
    this.#schedule();
  }

  /** Waits for a checkpoint being written, and writes no more. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** One look at the other side's heads: the checkpoint written, or undefined when none was due (or it failed). */
  async tick(): Promise<Checkpoint | undefined> {
    const { side, topic, partitions, logger } = this.#options;
    const heads: CheckpointHead[] = [];
    for (let partition = 0; partition < partitions; partition += 1) {
      const head = this.#options.otherSealHead(partition);
      if (head) heads.push({ partition, sequence: head.sequence, sealHash: head.hash });
    }
    if (heads.length === 0) return undefined;
    let session: AloneWriter;
    try {
      session = await this.#options.session();
    } catch (error) {
      logger.debug({ err: error }, 'no writer session: no cosigned checkpoint this time');
      return undefined;
    }
    const tip = this.#last?.session === session ? this.#last.checkpoint : this.#options.checkpointHead();
    if (tip && sameHeads(tip.heads, heads)) return undefined;
    // A fold still reading the other side's topic would cosign less than the side already did: wait for it.
    const now = new Map(heads.map((head) => [head.partition, head.sequence]));
    if (tip?.heads.some((head) => (now.get(head.partition) ?? 0) < head.sequence)) return undefined;
    try {
      const checkpoint = await this.#options.sign({ side, observedSide: otherSide(side), sequence: (tip?.sequence ?? 0) + 1, prevHash: tip?.hash ?? GENESIS_HASH, observedAt: this.#options.now(), heads });
      await session.writeAlone({ topic, partition: CHECKPOINT_PARTITION, key: CHECKPOINT_RECORD_KEY, value: JSON.stringify(checkpoint) });
      this.#last = { session, checkpoint };
      this.#options.onWritten?.(checkpoint);
      logger.debug({ sequence: checkpoint.sequence, heads: heads.length }, 'cosigned checkpoint written');
      return checkpoint;
    } catch (error) {
      // Landed or not, the next session's resync says: its fold is where the chain goes on.
      this.#last = undefined;
      logger.warn({ err: error }, 'could not write a cosigned checkpoint; the next one chains on what the log holds');
      return undefined;
    }
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#running = this.tick()
        .then(() => undefined)
        .finally(() => {
          this.#running = undefined;
          this.#schedule();
        });
    }, this.#options.intervalMs);
    this.#timer.unref();
  }
}
