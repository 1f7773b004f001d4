import type { KeyObject } from 'node:crypto';
import { isDomainError, parseEvent, type ItemEvent, type Side } from '@gdhk/domain';
import { describeJson, isRecord, parseCommitSeal, parseInstant, readSealedEvent, verifyCommitSeal, type CommitSeal, type KeyRing } from '@gdhk/integrity';
import { CHECKPOINT_KIND } from '@gdhk/integrity';
import { inspectCheckpoint, type CheckpointCandidate } from './checkpoint.ts';
import { DEFAULT_LIMITS, limitProblem, nestsDeeperThan, type Limits } from './limits.ts';
import type { QuarantineReason } from './reasons.ts';

/** One record of a side topic as the consumer read it. Nothing in it is trusted. */
export interface SideRecord {
  readonly topic: string;
  readonly partition: number;
  /** decimal, as kafkajs spells offsets */
  readonly offset: string;
  readonly key: string | Buffer | null;
  readonly value: Buffer | string | null;
  /** milliseconds since the epoch, decimal; the broker's append time on side topics (LogAppendTime) */
  readonly timestamp: string;
}

/** What a verifier must know about the log it reads. */
export interface LogShape {
  readonly topics: Readonly<Record<Side, string>>;
  readonly ring: KeyRing;
  /** the plan's items: a record naming anything else is quarantined */
  readonly isItem: (itemId: string) => boolean;
  /** the partition the producers put an item's records on */
  readonly partitionOf: (itemId: string) => number;
  /** how far `occurredAt` may lie from the broker's append time (default 5 minutes) */
  readonly maxSkewMs?: number;
  readonly limits?: Limits;
}

export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;

export interface Where {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

/** A record that verified on its own: the stream it extends is for the ledger to judge. */
export interface Candidate {
  readonly where: Where;
  readonly side: Side;
  readonly itemId: string;
  /** `side/itemId` */
  readonly stream: string;
  readonly version: number;
  readonly prevHash: string;
  readonly hash: string;
  readonly occurredAtMs: number;
  /** parsed and upcast to the current schema */
  readonly event: ItemEvent;
  /** the record's exact text (the stored JSON the hash covers) */
  readonly json: string;
  /** schema version 1: the event's own signature, which `verifySignature` checks; null for later versions */
  readonly signed: { readonly keyId: string; readonly signature: string; readonly publicKey: KeyObject } | null;
  /**
   * schema version 2 and later: `commit.prev`, the previous event of its transaction on its
   * partition (or the partition's previous seal); such an event applies only under its seal.
   * Null for version 1.
   */
  readonly commitPrev: string | null;
}

/** A seal record that verified on its own (shape, where it lies, hash, key, signature, time); its chain and batch are the reader's to judge. */
export interface SealCandidate {
  readonly where: Where;
  readonly side: Side;
  readonly seal: CommitSeal;
}

export interface Quarantine {
  readonly kind: 'quarantined';
  readonly reason: QuarantineReason;
  readonly detail: string;
  readonly where: Where;
  /** the stream the record claims, when it names one (`gd/2019-03`) */
  readonly stream: string | null;
  /** the plan item the record is shown on, when it can be attributed to one */
  readonly itemId: string | null;
  /** the record's text, when it was held for a seal before this verdict (its record is long read) */
  readonly text?: string;
}

export type Inspection =
  | { readonly kind: 'candidate'; readonly candidate: Candidate }
  | { readonly kind: 'seal'; readonly seal: SealCandidate }
  | { readonly kind: 'checkpoint'; readonly checkpoint: CheckpointCandidate }
  | Quarantine;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Everything that can be checked on one record alone, in the contract's order: decode, limits,
 * envelope, attribution (side, key, item, partition), hash, time, key, schema. Never throws.
 * The Ed25519 signature of a version 1 event is left to `verifySignature` (callers may spread it
 * over workers), and the record's place in its stream to the `StreamLedger`. A seal record (one
 * with a `kind`) is checked here on its own — its signature included, one per transaction and
 * partition — and its chain and batch by the `LogReader`.
 */
export function inspectRecord(record: SideRecord, shape: LogShape): Inspection {
  try {
    return inspect(record, shape);
  } catch (error) {
    // A defect of ours, not of the record; still the record's outcome, never an exception.
    return quarantine(record, 'malformed', `the record could not be inspected: ${(error as Error).message}`, null, null);
  }
}

function inspect(record: SideRecord, shape: LogShape): Inspection {
  const limits = shape.limits ?? DEFAULT_LIMITS;
  const side: Side | undefined = record.topic === shape.topics.gd ? 'gd' : record.topic === shape.topics.hk ? 'hk' : undefined;
  const recordKey = typeof record.key === 'string' ? record.key : record.key === null ? null : decode(record.key);
  // Until the envelope names its item, a record is shown on the item its key names, if any.
  const keyItem = recordKey !== null && recordKey !== undefined && shape.isItem(recordKey) ? recordKey : null;
  const fail = (reason: QuarantineReason, detail: string, stream: string | null = null, itemId: string | null = keyItem) => quarantine(record, reason, detail, stream, itemId);
  if (side === undefined) return fail('side_mismatch', `${record.topic} is not a side topic`);

  if (record.value === null) return fail('not_json', 'the record has no value (a tombstone)');
  const bytes = typeof record.value === 'string' ? Buffer.byteLength(record.value) : record.value.length;
  if (bytes > limits.recordBytes) return fail('over_limit', `the record is ${bytes} bytes (limit ${limits.recordBytes})`);
  const text = typeof record.value === 'string' ? record.value : decode(record.value);
  if (text === undefined) return fail('not_json', 'the record is not UTF-8');
  if (nestsDeeperThan(text, limits.depth)) return fail('over_limit', `the record nests deeper than ${limits.depth}`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return fail('not_json', `not JSON: ${(error as Error).message}`);
  }
  const overLimit = limitProblem(value, limits);
  if (overLimit !== undefined) return fail('over_limit', overLimit);

  if (isRecord(value) && 'kind' in value) return value.kind === CHECKPOINT_KIND ? inspectCheckpoint(record, recordKey, value, side, shape) : inspectSeal(record, value, side, shape);

  const named = isRecord(value) && typeof value.itemId === 'string' && value.itemId.length > 0 ? value.itemId : undefined;
  const claimed = named === undefined ? null : `${side}/${named}`;
  const shownOn = keyItem ?? (named !== undefined && shape.isItem(named) ? named : null);
  const reading = readSealedEvent(value);
  if (!reading.ok) return fail('malformed', isRecord(value) ? reading.detail : `expected a JSON object, got ${describeJson(value)}`, claimed, shownOn);
  const { event, computedHash } = reading;
  const stream = `${event.side}/${event.itemId}`;

  if (event.side !== side) return fail('side_mismatch', `a ${event.side} event on the ${side} topic ${record.topic}`, claimed, shownOn);
  if (!shape.isItem(event.itemId)) return fail('unknown_item', `no item ${JSON.stringify(event.itemId)} in the plan`, stream, shownOn);
  if (recordKey !== event.itemId) return fail('key_mismatch', `the record key ${JSON.stringify(recordKey ?? null)} is not the event's item ${event.itemId}`, stream, shownOn);
  const home = shape.partitionOf(event.itemId);
  if (home !== record.partition) return fail('wrong_partition', `item ${event.itemId} belongs on partition ${home}, not ${record.partition}`, stream, shownOn);
  if (event.hash !== computedHash) return fail('bad_hash', `hash ${event.hash} does not match the content, which hashes to ${computedHash}`, stream, shownOn);

  const occurredAtMs = parseInstant(event.occurredAt) ?? Number.NaN;
  const appendedAt = /^\d{1,16}$/.test(record.timestamp) ? Number(record.timestamp) : Number.NaN;
  const skew = shape.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (!Number.isFinite(appendedAt)) return fail('clock_skew', `the record has no broker timestamp (${JSON.stringify(record.timestamp)})`, stream, shownOn);
  if (Math.abs(occurredAtMs - appendedAt) > skew) {
    return fail('clock_skew', `occurredAt ${event.occurredAt} is ${Math.round((occurredAtMs - appendedAt) / 1000)} s from the broker's append time ${new Date(appendedAt).toISOString()} (allowed ±${skew / 1000} s)`, stream, shownOn);
  }

  let signed: Candidate['signed'] = null;
  if (event.signature !== undefined) {
    const key = shape.ring.lookup(event.signature.keyId, { side: event.side, occurredAt: event.occurredAt });
    if (!key.ok) return fail(key.problem, key.detail, stream, shownOn);
    signed = { keyId: event.signature.keyId, signature: event.signature.value, publicKey: key.publicKey };
  }

  let parsed: ItemEvent;
  try {
    parsed = parseEvent(value);
  } catch (error) {
    if (!isDomainError(error)) throw error;
    const issues = error.details?.issues;
    const listed = Array.isArray(issues) ? ` (${issues.map((issue: { path?: string; message?: string }) => `${issue.path ?? ''}: ${issue.message ?? ''}`).join('; ')})` : '';
    return fail('schema', `${error.message}${listed}`, stream, shownOn);
  }
  return {
    kind: 'candidate',
    candidate: {
      where: { topic: record.topic, partition: record.partition, offset: record.offset },
      side,
      itemId: event.itemId,
      stream,
      version: event.streamVersion,
      prevHash: event.prevHash,
      hash: event.hash,
      occurredAtMs,
      event: parsed,
      json: text,
      signed,
      commitPrev: event.commit?.prev ?? null,
    },
  };
}

/**
 * A record with a `kind`: a seal, or `bad_seal` naming the first check that failed (contract,
 * "Seals, proofs and checkpoints"): malformed, another side, topic or partition than where it
 * lies, clock skew of `sealedAt`, bad hash, key (unknown, foreign, not valid at `sealedAt`), signature.
 */
function inspectSeal(record: SideRecord, value: Record<string, unknown>, side: Side, shape: LogShape): Inspection {
  const fail = (check: string, detail: string): Quarantine => quarantine(record, 'bad_seal', `${check}: ${detail}`, null, null);
  const parsed = parseCommitSeal(value);
  if (!parsed.ok) return fail('malformed', parsed.detail);
  const seal = parsed.value;
  if (seal.side !== side) return fail('side_mismatch', `a ${seal.side} seal on the ${side} topic ${record.topic}`);
  if (seal.topic !== record.topic) return fail('side_mismatch', `a seal of ${seal.topic} on ${record.topic}`);
  if (seal.partition !== record.partition) return fail('wrong_partition', `a seal of partition ${seal.partition} on partition ${record.partition}`);
  const skewed = skewProblem('sealedAt', seal.sealedAt, record, shape);
  if (skewed !== undefined) return fail('clock_skew', skewed);
  const check = verifyCommitSeal(seal, shape.ring);
  if (!check.ok) return fail(check.reason, check.detail);
  return { kind: 'seal', seal: { where: { topic: record.topic, partition: record.partition, offset: record.offset }, side, seal } };
}

/** Why the instant a seal or checkpoint names lies too far from its record's broker append time, if it does. */
export function skewProblem(member: string, instant: string, record: SideRecord, shape: LogShape): string | undefined {
  const atMs = parseInstant(instant) ?? Number.NaN;
  const appendedAt = /^\d{1,16}$/.test(record.timestamp) ? Number(record.timestamp) : Number.NaN;
  const skew = shape.maxSkewMs ?? DEFAULT_MAX_SKEW_MS;
  if (Number.isFinite(appendedAt) && Math.abs(atMs - appendedAt) <= skew) return undefined;
  return `${member} ${instant} is not within ±${skew / 1000} s of the broker's append time (${record.timestamp})`;
}

function decode(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function quarantine(record: SideRecord, reason: QuarantineReason, detail: string, stream: string | null, itemId: string | null): Quarantine {
  return { kind: 'quarantined', reason, detail, where: { topic: record.topic, partition: record.partition, offset: record.offset }, stream, itemId };
}
