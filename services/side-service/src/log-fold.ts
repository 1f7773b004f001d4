import { SIDES, type ItemEvent, type Side } from '@gdhk/domain';
import type { LogRecord } from '@gdhk/eventlog';
import { parseInstant } from '@gdhk/integrity';
import { StreamLedger, verifyRecord, type LogShape, type Reason } from '@gdhk/verified-log';
import type { Logger } from 'pino';
import type { LogPosition, WriteModel } from './write-model.ts';

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
 *
 * Live, the one shortcut: a record whose bytes are exactly those of an event this process sealed
 * and sent, and which extends its stream where it stands, is taken as verified — every check
 * would only re-prove our own hash and signature over our own bytes.
 */
export class LogFold {
  private readonly ledger = new StreamLedger();
  /** the exact JSON of events this process is writing, not yet read back */
  private readonly echoes = new Map<string, ItemEvent>();
  /** ids of events this process sent without an acknowledgement: if they land, they are still ours */
  private readonly unacknowledged = new Set<string>();
  private foreign = 0;
  private caughtUp = false;
  private readonly options: LogFoldOptions;
  private readonly sideOfTopic: ReadonlyMap<string, Side>;

  constructor(options: LogFoldOptions) {
    this.options = options;
    this.sideOfTopic = new Map(SIDES.map((side) => [options.shape.topics[side], side]));
  }

  /**
   * The write path announces what it is about to send (the very bytes), before the log can
   * deliver it back: a read_committed fetch may well overtake the producer's acknowledgement.
   */
  expect(event: ItemEvent, json: string): void {
    this.echoes.set(json, event);
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
    return { streams: [...this.ledger.streams()].length };
  }

  get pendingEchoes(): number {
    return this.echoes.size;
  }

  /**
   * Takes an echo of our own write when it continues its stream. It may arrive before the write
   * path has seen the acknowledgement; read_committed means it is committed, so the model may
   * take it now (the write path's own apply then finds it applied).
   */
  private takeEcho(json: string, record: LogRecord, position: LogPosition): boolean {
    const event = this.echoes.get(json);
    if (!event) return false;
    this.echoes.delete(json);
    const stream = `${event.side}/${event.itemId}`;
    const head = this.ledger.head(stream);
    if (record.topic !== this.options.shape.topics[event.side] || head.halted || head.version !== event.streamVersion - 1 || head.hash !== event.prevHash) return false;
    this.ledger.seed(stream, { version: event.streamVersion, hash: event.hash, occurredAtMs: parseInstant(event.occurredAt) ?? head.occurredAtMs });
    this.options.model.apply(event, json, position);
    return true;
  }

  readonly onRecords = (records: readonly LogRecord[]): void => {
    const { model, shape, logger } = this.options;
    const ownTopic = shape.topics[this.options.side];
    for (const record of records) {
      const position = { partition: record.partition, offset: record.offset };
      // Only this side's own records carry a text the model keeps (a replay's response) or an
      // echo: decoded once here for both; the verified log decodes every record for itself.
      const text = record.topic === ownTopic ? record.value?.toString('utf8') : undefined;
      if (text !== undefined && this.echoes.size > 0 && this.takeEcho(text, record, position)) continue;
      const verdict = verifyRecord(record, shape, this.ledger, {
        accept: (event) => {
          model.apply(event, text, position);
          return undefined;
        },
      });
      switch (verdict.kind) {
        case 'applied':
          if (this.caughtUp && verdict.event.side === this.options.side && !this.unacknowledged.delete(verdict.event.eventId)) this.foreign += 1;
          break;
        case 'duplicate':
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
  };
}
