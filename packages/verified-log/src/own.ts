import type { ItemEvent, Side } from '@gdhk/domain';
import { parseInstant, type CommitSeal } from '@gdhk/integrity';
import { DEFAULT_MAX_SKEW_MS, type Inspection, type LogShape, type SideRecord } from './inspect.ts';
import { DEFAULT_LIMITS, limitProblem } from './limits.ts';

/**
 * The records this process wrote itself, by their exact text, as it built them: an event as
 * `parseEvent` gives it, a seal as it was signed. A writer reading its own topic back meets them
 * again; parsing, hashing and checking the signature of bytes it produced would only repeat its
 * own work.
 */
export interface OwnRecords {
  event(text: string): ItemEvent | undefined;
  seal(text: string): CommitSeal | undefined;
}

/**
 * A fast path of `inspectRecord` for records whose exact text this process wrote (`own`). It only
 * ever says yes: it skips what the text alone decides (JSON parse, envelope and schema, canonical
 * form and hash, a seal's signature), which the writer's bytes passed when it made them, and still
 * checks everything the log decides — the topic's side, the record key, item and partition, the
 * limits, the broker's timestamp against the event's or seal's instant, the key's validity then.
 * On any doubt it returns undefined, and the record goes through the full inspection, which names
 * the problem. Never throws.
 */
export function inspectOwn(record: SideRecord, shape: LogShape, own: OwnRecords): Inspection | undefined {
  try {
    return inspectOwnRecord(record, shape, own);
  } catch {
    return undefined;
  }
}

function inspectOwnRecord(record: SideRecord, shape: LogShape, own: OwnRecords): Inspection | undefined {
  const side: Side | undefined = record.topic === shape.topics.gd ? 'gd' : record.topic === shape.topics.hk ? 'hk' : undefined;
  if (side === undefined || record.value === null) return undefined;
  // Decoded as the full inspection decodes (fatal): bytes that are not UTF-8 are never our text,
  // even where a lenient decoder would turn them into the very replacement characters it holds.
  const text = typeof record.value === 'string' ? record.value : decodeUtf8(record.value);
  if (text === undefined) return undefined;
  const limits = shape.limits ?? DEFAULT_LIMITS;
  const appendedAt = /^\d{1,16}$/.test(record.timestamp) ? Number(record.timestamp) : Number.NaN;
  const skew = shape.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  const where = { topic: record.topic, partition: record.partition, offset: record.offset };

  const seal = own.seal(text);
  if (seal !== undefined) {
    if (seal.side !== side || seal.topic !== record.topic || seal.partition !== record.partition) return undefined;
    if (!(Math.abs((parseInstant(seal.sealedAt) ?? Number.NaN) - appendedAt) <= skew)) return undefined;
    if (!shape.ring.lookup(seal.signature.keyId, { side, occurredAt: seal.sealedAt }).ok) return undefined;
    return { kind: 'seal', seal: { where, side, seal } };
  }

  const event = own.event(text);
  // Only events under sealed commits: a version 1 event's own signature is for the full path.
  if (event === undefined || event.commit === null) return undefined;
  const recordKey = typeof record.key === 'string' ? record.key : record.key === null ? null : decodeUtf8(record.key);
  if (event.side !== side || !shape.isItem(event.itemId) || recordKey !== event.itemId || shape.partitionOf(event.itemId) !== record.partition) return undefined;
  // The parsed event's own walk checks nesting too (the text's bracket count guards only the parser).
  if (Buffer.byteLength(text) > limits.recordBytes || limitProblem(event, limits) !== undefined) return undefined;
  // A schema-valid instant (UTC, seconds): Date.parse reads it as parseInstant would.
  const occurredAtMs = Date.parse(event.occurredAt);
  if (!(Math.abs(occurredAtMs - appendedAt) <= skew)) return undefined;
  return {
    kind: 'candidate',
    candidate: {
      where,
      side,
      itemId: event.itemId,
      stream: `${side}/${event.itemId}`,
      version: event.streamVersion,
      prevHash: event.prevHash,
      hash: event.hash,
      occurredAtMs,
      event,
      json: text,
      signed: null,
      commitPrev: event.commit.prev,
    },
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
