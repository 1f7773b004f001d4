import { otherSide, SIDES, type ItemEvent, type Side } from '@gdhk/domain';
import type { LogRecord } from '@gdhk/eventlog';
import type { Checkpoint, CommitSeal } from '@gdhk/integrity';
import { LogReader, type LogShape, type OwnRecords, type Reason, type SealHead, type Verdict } from '@gdhk/verified-log';
import type { Logger } from 'pino';
import type { WriteModel } from './write-model.ts';

// Far above the partitions one process seals in the transactions it has in flight; a seal that
// fell out is only checked in full when it comes back.
const MAX_SEAL_ECHOES = 4096;

export interface LogFoldOptions {
  /** the side this process writes */
  readonly side: Side;
  /** the side topics, key ring, plan and partitioner records are verified against */
  readonly shape: LogShape;
  readonly model: WriteModel;
  readonly logger: Logger;
  /** counts records that did not apply, by reason (`fork` halted its stream) */
  readonly onRejected?: (reason: Reason) => void;
}

/**
 * Folds records of both side topics into the write model through the verified log, the same
 * pipeline the projection and the audit use. A quarantined record changes nothing and halts
 * nothing; only a fork by the side's own key halts a stream (the item then takes no writes).
 * Version 2 events apply at their seal (read_committed delivers it in the same transaction); the
 * fold reads from offset 0 at every start, so nothing held is lost across restarts.
 *
 * Events this process sent are recognised by their bytes when they come back, so that an event of
 * this side it did not write counts as another instance's (`foreignWrites`).
 */
export class LogFold {
  private readonly reader: LogReader;
  /** the exact JSON of events this process is writing, not yet read back */
  private readonly echoes = new Map<string, ItemEvent>();
  /** the exact JSON of seals this process signed, not yet read back (a failed transaction's never are: bounded) */
  private readonly sealEchoes = new Map<string, CommitSeal>();
  /** Our own records coming back are not parsed, hashed and signature-checked again (`inspectOwn`). */
  private readonly own: OwnRecords = {
    event: (text) => this.echoes.get(text),
    seal: (text) => {
      const seal = this.sealEchoes.get(text);
      if (seal) this.sealEchoes.delete(text);
      return seal;
    },
  };
  /** ids of events this process sent without an acknowledgement: if they land, they are still ours */
  private readonly unacknowledged = new Set<string>();
  private foreign = 0;
  private caughtUp = false;
  private readonly options: LogFoldOptions;
  private readonly sideOfTopic: ReadonlyMap<string, Side>;

  constructor(options: LogFoldOptions) {
    this.options = options;
    this.reader = new LogReader(options.shape);
    this.sideOfTopic = new Map(SIDES.map((side) => [options.shape.topics[side], side]));
  }

  /**
   * The write path announces what it is about to send (the very bytes), before the log can
   * deliver it back: a read_committed fetch may well overtake the producer's acknowledgement.
   */
  expect(event: ItemEvent, json: string): void {
    this.echoes.set(json, event);
  }

  /** A seal this process signed and is about to send, with its very bytes. */
  expectSeal(seal: CommitSeal): void {
    this.sealEchoes.set(JSON.stringify(seal), seal);
    if (this.sealEchoes.size > MAX_SEAL_ECHOES) {
      const oldest = this.sealEchoes.keys().next();
      if (!oldest.done) this.sealEchoes.delete(oldest.value);
    }
  }

  /** The write failed; if it landed after all, the record is verified like any other. */
  forget(json: string): void {
    const event = this.echoes.get(json);
    if (event) this.unacknowledged.add(event.eventId);
    this.echoes.delete(json);
  }

  /**
   * Live events of this process's side that it did not write: a count that grows only while
   * another instance of the side writes (asked before the writer takes the side back after a failure).
   */
  foreignWrites(): number {
    return this.foreign;
  }

  /** From now on, an event of this side that is not our echo counts as another instance's write. */
  finishCatchUp(): { streams: number } {
    this.caughtUp = true;
    return { streams: [...this.reader.ledger.streams()].length };
  }

  /** The last seal of this side's partition that the fold verified: where the writer's next seal chains on. */
  sealHead(partition: number): SealHead | undefined {
    return this.reader.sealHead(this.options.shape.topics[this.options.side], partition);
  }

  /** The other side's last seal of a partition that the fold verified: what this side's next cosigned checkpoint cosigns. */
  otherSealHead(partition: number): SealHead | undefined {
    return this.reader.sealHead(this.options.shape.topics[otherSide(this.options.side)], partition);
  }

  /** This side's last cosigned checkpoint the fold verified: where its next one chains on. */
  checkpointHead(): Checkpoint | undefined {
    return this.reader.checkpointHead(this.options.shape.topics[this.options.side]);
  }

  get pendingEchoes(): number {
    return this.echoes.size;
  }

  readonly onRecords = (records: readonly LogRecord[]): void => {
    const { model, shape } = this.options;
    const ownTopic = shape.topics[this.options.side];
    for (const record of records) {
      const verdicts = this.reader.read(record, {
        own: this.own,
        accept: (event, candidate) => {
          // Only this side's own events carry a text the model keeps (a replay's response).
          model.apply(event, candidate.where.topic === ownTopic ? candidate.json : undefined, { partition: candidate.where.partition, offset: candidate.where.offset });
          return undefined;
        },
      });
      for (const verdict of verdicts) this.judged(record, verdict);
    }
  };

  private judged(record: LogRecord, verdict: Verdict): void {
    const { model, logger } = this.options;
    switch (verdict.kind) {
      case 'applied': {
        const ours = this.echoes.delete(verdict.candidate.json) || this.unacknowledged.delete(verdict.event.eventId);
        if (this.caughtUp && verdict.event.side === this.options.side && !ours) this.foreign += 1;
        break;
      }
      case 'duplicate':
      case 'pending':
      case 'sealed':
      case 'checkpoint':
        break;
      case 'quarantined':
        this.options.onRejected?.(verdict.reason);
        logger.warn({ failure: { reason: verdict.reason, detail: verdict.detail, stream: verdict.stream, ...verdict.where } }, 'record quarantined: it changes nothing');
        break;
      case 'halted': {
        const { halt } = verdict;
        this.options.onRejected?.(halt.reason);
        // Only a record of a side topic can halt (any other is quarantined as side_mismatch).
        const side = this.sideOfTopic.get(record.topic);
        if (side) model.halt(verdict.itemId, side, { fork: { ...halt.where, hash: halt.hash }, detail: `${halt.reason}: ${halt.detail}` });
        logger.error({ failure: { reason: halt.reason, detail: halt.detail, stream: verdict.stream, hash: halt.hash, ...halt.where } }, 'a correctly signed event forks its stream; the stream is halted');
        break;
      }
      case 'repaired':
        logger.warn({ stream: `${verdict.event.side}/${verdict.event.itemId}`, fork: verdict.event.data.fork, reason: verdict.event.data.reason, actor: verdict.event.actor, ...verdict.candidate.where }, 'a halted stream is repaired; it goes on from the head before the fork');
        break;
      default: {
        const _exhaustive: never = verdict;
        return _exhaustive;
      }
    }
  }
}
