import type { EventEnvelope } from './envelope.ts';
import { describeJson, isRecord, readSealedEvent } from './envelope.ts';
import { GENESIS_HASH, isHexHash } from './hash.ts';
import type { KeyRing, Side } from './keys.ts';
import { checkSeal, isFailureReason } from './verify.ts';
import type { FailureReason, SignatureChecking } from './verify.ts';

/** One Kafka record of a side topic, as the consumer saw it. */
export type StreamRecord = {
  topic: string;
  partition: number;
  /** kafkajs spells offsets as decimal strings; they are only echoed back. */
  offset: string;
  /** The side whose topic this is. */
  expectedSide: Side;
  value: unknown;
};

export type VerificationFailure = {
  reason: FailureReason;
  detail: string;
  /** `side/itemId`, e.g. "gd/2019-03"; `side/?` when the record names no item. */
  stream: string;
  topic: string;
  partition: number;
  offset: string;
};

export type StreamVerification =
  | { ok: true; event: EventEnvelope }
  | { ok: false; failure: VerificationFailure };

export type StreamHalt = Omit<VerificationFailure, 'stream'>;

/** The last verified event of a stream (version 0 and GENESIS_HASH before the first). */
export type StreamPosition = {
  lastVersion: number;
  lastHash: string;
  halted?: StreamHalt;
};

export type VerifierSnapshot = { streams: Record<string, StreamPosition> };

export type StreamVerifierOptions = {
  /** Resume from a snapshot taken with `snapshot()`. */
  snapshot?: VerifierSnapshot;
  /**
   * `'defer'` skips only the Ed25519 check (key lookup still runs) for callers that verify
   * signatures themselves in bulk with verifySignatureBatch. Defaults to `'verify'`.
   */
  signatures?: SignatureChecking;
};

export function streamId(side: Side, itemId: string): string {
  return `${side}/${itemId}`;
}

/**
 * Verifies events fed in log order, keeping the last version and hash of every
 * (side, item) stream. The first failure halts its stream: every later event of it fails
 * with `stream_halted`, while other streams go on. Each record must be fed once; a
 * redelivered record reads as a duplicate (`version_gap`).
 */
export class StreamVerifier {
  readonly #ring: KeyRing;
  readonly #signatures: SignatureChecking;
  readonly #streams = new Map<string, StreamPosition>();

  constructor(ring: KeyRing, options: StreamVerifierOptions = {}) {
    this.#ring = ring;
    this.#signatures = options.signatures ?? 'verify';
    if (options.snapshot !== undefined) {
      for (const [stream, position] of Object.entries(parseSnapshot(options.snapshot).streams)) {
        this.#streams.set(stream, position);
      }
    }
  }

  verify(record: StreamRecord): StreamVerification {
    const { value, expectedSide } = record;
    const itemId = isRecord(value) && typeof value.itemId === 'string' && value.itemId.length > 0 ? value.itemId : undefined;
    if (itemId === undefined) {
      // Nothing to attribute the record to, so no stream halts.
      const detail = isRecord(value) ? 'itemId is missing or not a non-empty string' : `expected a JSON object, got ${describeJson(value)}`;
      return failed(record, `${expectedSide}/?`, 'malformed', detail);
    }
    const stream = streamId(expectedSide, itemId);
    const position = this.#streams.get(stream) ?? { lastVersion: 0, lastHash: GENESIS_HASH };
    const { halted } = position;
    if (halted !== undefined) {
      return failed(record, stream, 'stream_halted',
        `stream ${stream} halted at ${halted.topic}/${halted.partition}@${halted.offset} (${halted.reason})`);
    }

    const halt = (reason: FailureReason, detail: string): StreamVerification => {
      const result = failed(record, stream, reason, detail);
      const { stream: _stream, ...where } = result.failure;
      this.#streams.set(stream, { ...position, halted: where });
      return result;
    };

    const reading = readSealedEvent(value);
    if (!reading.ok) return halt('malformed', reading.detail);
    const { event } = reading;
    if (event.side !== expectedSide) {
      return halt('side_mismatch', `a ${event.side} event on ${expectedSide} topic ${record.topic}`);
    }
    const expectedVersion = position.lastVersion + 1;
    if (event.streamVersion !== expectedVersion) {
      const kind = event.streamVersion < expectedVersion ? 'a duplicate or out of order' : 'versions missing';
      return halt('version_gap', `expected streamVersion ${expectedVersion}, got ${event.streamVersion} (${kind})`);
    }
    if (event.prevHash !== position.lastHash) {
      return halt('broken_chain', `prevHash ${event.prevHash} is not the hash ${position.lastHash} of version ${position.lastVersion}`);
    }
    const sealFailure = checkSeal(event, reading.computedHash, this.#ring, this.#signatures);
    if (sealFailure !== undefined) return halt(sealFailure.reason, sealFailure.detail);

    this.#streams.set(stream, { lastVersion: event.streamVersion, lastHash: event.hash });
    return { ok: true, event };
  }

  /** Where a stream stands; undefined if no event of it has been seen or seeded. */
  position(stream: string): StreamPosition | undefined {
    const position = this.#streams.get(stream);
    return position === undefined ? undefined : clonePosition(position);
  }

  /** Continue a stream from a known-good event (e.g. the write model's last append); lifts any halt. */
  seed(stream: string, last: { version: number; hash: string }): void {
    this.#streams.set(stream, parsePosition(stream, last.version, last.hash, `seed(${JSON.stringify(stream)})`));
  }

  snapshot(): VerifierSnapshot {
    const streams: Record<string, StreamPosition> = {};
    for (const [stream, position] of this.#streams) streams[stream] = clonePosition(position);
    return { streams };
  }
}

function failed(record: StreamRecord, stream: string, reason: FailureReason, detail: string): { ok: false; failure: VerificationFailure } {
  const { topic, partition, offset } = record;
  return { ok: false, failure: { reason, detail, stream, topic, partition, offset } };
}

function clonePosition(position: StreamPosition): StreamPosition {
  const { halted, ...rest } = position;
  return halted === undefined ? { ...rest } : { ...rest, halted: { ...halted } };
}

const streamPattern = /^(gd|hk)\/.+$/;

function parseSnapshot(snapshot: unknown): VerifierSnapshot {
  if (!isRecord(snapshot) || !isRecord(snapshot.streams)) throw new TypeError('verifier snapshot: expected { streams: { ... } }');
  const streams: Record<string, StreamPosition> = {};
  for (const [stream, value] of Object.entries(snapshot.streams)) {
    const where = `verifier snapshot: streams[${JSON.stringify(stream)}]`;
    if (!isRecord(value)) throw new TypeError(`${where}: expected an object`);
    const position = parsePosition(stream, value.lastVersion, value.lastHash, where);
    if (value.halted !== undefined) position.halted = parseHalt(value.halted, `${where}.halted`);
    streams[stream] = position;
  }
  return { streams };
}

function parsePosition(stream: string, lastVersion: unknown, lastHash: unknown, where: string): StreamPosition {
  if (!streamPattern.test(stream)) throw new TypeError(`${where}: stream must look like "gd/2019-03"`);
  if (!isCount(lastVersion)) throw new TypeError(`${where}: version must be a non-negative integer`);
  if (!isHexHash(lastHash)) throw new TypeError(`${where}: hash must be 64 lowercase hex digits`);
  if ((lastVersion === 0) !== (lastHash === GENESIS_HASH)) {
    throw new TypeError(`${where}: version 0 goes with GENESIS_HASH and only with it`);
  }
  return { lastVersion, lastHash };
}

function parseHalt(value: unknown, where: string): StreamHalt {
  if (!isRecord(value)) throw new TypeError(`${where}: expected an object`);
  const { reason, detail, topic, partition, offset } = value;
  if (!isFailureReason(reason)) throw new TypeError(`${where}.reason: not a failure reason`);
  if (typeof detail !== 'string' || typeof topic !== 'string' || typeof offset !== 'string' || !isCount(partition)) {
    throw new TypeError(`${where}: expected { reason, detail, topic, partition, offset } with string offset`);
  }
  return { reason, detail, topic, partition, offset };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
