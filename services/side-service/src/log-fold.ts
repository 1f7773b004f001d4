import { parseEvent, type ItemEvent, type Side } from '@gdhk/domain';
import type { LogRecord } from '@gdhk/eventlog';
import { GENESIS_HASH, StreamVerifier, streamId, verifySignatureBatch, type KeyRing, type SignatureBatchItem } from '@gdhk/integrity';
import type { Logger } from 'pino';
import type { LogPosition, WriteModel } from './write-model.ts';

export interface LogFoldOptions {
  /** the side this process writes */
  readonly side: Side;
  readonly topics: Readonly<Record<Side, string>>;
  readonly ring: KeyRing;
  readonly model: WriteModel;
  readonly logger: Logger;
}

/**
 * Folds records of both side topics into the write model, verifying each as the auditors do:
 * envelope, side, contiguous version, hash chain, content hash, key, signature. A record that
 * fails halts its stream (and the item takes no more writes).
 *
 * Catching up at start-up, only the last event of each stream has its Ed25519 signature checked
 * (in `finishCatchUp`, before the service is ready); every event still has its envelope, version,
 * chain, content hash and key checked. Each hash covers the previous event's hash, so a valid
 * signature over a stream's head vouches for the whole chain below it: one forged event anywhere
 * breaks the chain or the head's signature. The audit checks every signature; this is what lets
 * a long log fold within a minute (Ed25519 verification is most of the cost).
 *
 * Live, the one shortcut: a record whose bytes are exactly those of an event this process sealed
 * and sent, and which extends the verified chain where it stands, is taken as verified — every
 * check would only re-prove our own hash and signature over our own bytes.
 */
export class LogFold {
  private readonly verifier: StreamVerifier;
  private readonly halted = new Set<string>();
  /** the exact JSON of events this process is writing, not yet read back */
  private readonly echoes = new Map<string, ItemEvent>();
  /** ids of events this process sent without an acknowledgement: if they land, they are still ours */
  private readonly unacknowledged = new Set<string>();
  private foreign = 0;
  /** while catching up: each stream's last event, whose signature `finishCatchUp` checks */
  private heads: Map<string, { item: SignatureBatchItem; itemId: string; where: { topic: string; partition: number; offset: string } }> | undefined = new Map();

  private readonly options: LogFoldOptions;

  constructor(options: LogFoldOptions) {
    this.options = options;
    this.verifier = new StreamVerifier(options.ring, { signatures: 'defer' });
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

  /** Checks the signature of every stream's head folded so far and verifies each event from now on. */
  finishCatchUp(): { streams: number; failed: number } {
    const heads = [...(this.heads ?? new Map()).entries()];
    this.heads = undefined;
    const checks = verifySignatureBatch(
      heads.map(([, head]) => head.item),
      this.options.ring,
    );
    let failed = 0;
    heads.forEach(([stream, head], index) => {
      const check = checks[index];
      if (check?.ok) return;
      failed += 1;
      this.haltStream(stream, head.itemId, check ? `${check.reason}: ${check.detail} (the head of the stream, so some event up to it is not what its side signed)` : 'signature not checked', head.where);
    });
    return { streams: heads.length, failed };
  }

  private haltStream(stream: string, itemId: string, reason: string, where: { topic: string; partition: number; offset: string }): void {
    this.halted.add(stream);
    this.options.model.halt(itemId, reason);
    this.options.logger.error({ failure: { reason, stream, ...where } }, 'event failed verification; its stream is halted');
  }

  get pendingEchoes(): number {
    return this.echoes.size;
  }

  /**
   * Takes an echo of our own write when it continues its stream's verified chain. It may arrive
   * before the write path has seen the acknowledgement; read_committed means it is committed, so
   * the model may take it now (the write path's own apply then finds it applied).
   */
  private takeEcho(json: string, expectedSide: Side, position: LogPosition): boolean {
    const event = this.echoes.get(json);
    if (!event) return false;
    this.echoes.delete(json);
    const stream = streamId(event.side, event.itemId);
    const at = this.verifier.position(stream);
    if (event.side !== expectedSide || at?.halted || this.halted.has(stream) || (at?.lastVersion ?? 0) !== event.streamVersion - 1 || (at?.lastHash ?? GENESIS_HASH) !== event.prevHash) return false;
    this.verifier.seed(stream, { version: event.streamVersion, hash: event.hash });
    this.options.model.apply(event, json, position);
    return true;
  }

  readonly onRecords = (records: readonly LogRecord[]): void => {
    const { model, ring, topics, logger } = this.options;
    for (const record of records) {
      const expectedSide: Side = record.topic === topics.gd ? 'gd' : 'hk';
      const text = record.value?.toString() ?? 'null';
      const position = { partition: record.partition, offset: record.offset };
      if (this.echoes.size > 0 && this.takeEcho(text, expectedSide, position)) continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        value = text;
      }
      const verdict = this.verifier.verify({ topic: record.topic, partition: record.partition, offset: record.offset, expectedSide, value });
      if (!verdict.ok) {
        const { failure } = verdict;
        if (typeof record.key === 'string') model.halt(record.key, `${failure.reason}: ${failure.detail}`);
        logger.error({ failure }, 'event failed verification; its stream is halted');
        continue;
      }
      const { event } = verdict;
      const stream = streamId(event.side, event.itemId);
      if (this.halted.has(stream)) continue;
      const signature: SignatureBatchItem = { hash: event.hash, keyId: event.signature.keyId, signature: event.signature.value, use: { side: event.side, occurredAt: event.occurredAt } };
      const where = { topic: record.topic, partition: record.partition, offset: record.offset };
      if (this.heads) {
        this.heads.set(stream, { item: signature, itemId: event.itemId, where });
      } else {
        const [check] = verifySignatureBatch([signature], ring);
        if (!check?.ok) {
          this.haltStream(stream, event.itemId, check ? `${check.reason}: ${check.detail}` : 'signature not checked', where);
          continue;
        }
      }
      if (!this.heads && event.side === this.options.side && !this.unacknowledged.delete(event.eventId)) this.foreign += 1;
      model.apply(parseEvent(value), text, position);
    }
  };
}
