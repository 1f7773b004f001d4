import { canonicalJsonOmitting, CanonicalJsonError } from './canonical.ts';
import { isHexHash, NOT_HASHED, sha256Hex } from './hash.ts';
import { parseInstant } from './instant.ts';
import { isSide } from './keys.ts';
import type { Side } from './keys.ts';
import { isSignatureValue } from './signature.ts';

export type EventSignature = {
  keyId: string;
  alg: 'Ed25519';
  /** base64url (no padding) of the 64-byte Ed25519 signature. */
  value: string;
};

export type SealFields = {
  prevHash: string;
  hash: string;
  signature: EventSignature;
};

export type SealedEvent<T extends object> = T & SealFields;

/** Schema version 2 (issue 12): no signature of its own, chained to its transaction instead. */
export type CommitLink = {
  /** the hash of the previous event of the same transaction on its partition, or of the partition's previous seal */
  prev: string;
};

export type CommittedFields = {
  prevHash: string;
  commit: CommitLink;
  hash: string;
};

export type CommittedEvent<T extends object> = T & CommittedFields;

/**
 * The envelope fields integrity relies on, checked for presence and type only; `actor` and
 * `data` stay opaque (the domain package owns their schema).
 */
export type EventEnvelope = {
  prevHash: string;
  hash: string;
  /** schema version 1: the event's own signature */
  signature?: EventSignature;
  /** schema version 2 and later: the link to its transaction, which a seal signs */
  commit?: CommitLink;
  eventId: string;
  type: string;
  schemaVersion: number;
  side: Side;
  itemId: string;
  streamVersion: number;
  occurredAt: string;
  actor: Record<string, unknown>;
  commandId: string;
  correlationId: string;
  causationId: string | null;
  data: Record<string, unknown>;
};

export type EnvelopeReading =
  | { ok: true; event: EventEnvelope; computedHash: string }
  | { ok: false; detail: string };

/** Checks the envelope's shape and recomputes its hash; an event that cannot be hashed is malformed. */
export function readSealedEvent(value: unknown): EnvelopeReading {
  if (!isRecord(value)) return { ok: false, detail: `expected a JSON object, got ${describeJson(value)}` };
  const problem = envelopeProblem(value);
  if (problem !== undefined) return { ok: false, detail: problem };
  let computedHash: string;
  try {
    computedHash = sha256Hex(canonicalJsonOmitting(value, NOT_HASHED));
  } catch (error) {
    if (error instanceof CanonicalJsonError) return { ok: false, detail: `not canonicalisable: ${error.message}` };
    throw error;
  }
  return { ok: true, event: value as EventEnvelope, computedHash };
}

const nonEmptyString = (value: unknown) => typeof value === 'string' && value.length > 0;
const positiveInteger = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 1;
/** The envelope's members in the order they are checked: built once, not per record. */
const ENVELOPE_CHECKS: readonly (readonly [field: string, valid: (value: unknown) => boolean, expected: string])[] = [
  ['eventId', nonEmptyString, 'a non-empty string'],
  ['type', nonEmptyString, 'a non-empty string'],
  ['schemaVersion', positiveInteger, 'a positive integer'],
  ['side', isSide, '"gd" or "hk"'],
  ['itemId', nonEmptyString, 'a non-empty string'],
  ['streamVersion', positiveInteger, 'a positive integer'],
  ['occurredAt', (value) => typeof value === 'string' && parseInstant(value) !== undefined, 'an ISO-8601 date-time'],
  ['actor', isRecord, 'an object'],
  ['commandId', nonEmptyString, 'a non-empty string'],
  ['correlationId', nonEmptyString, 'a non-empty string'],
  ['causationId', (value) => value === null || nonEmptyString(value), 'a non-empty string or null'],
  ['data', isRecord, 'an object'],
  ['prevHash', isHexHash, '64 lowercase hex digits'],
  ['hash', isHexHash, '64 lowercase hex digits'],
];

function envelopeProblem(event: Record<string, unknown>): string | undefined {
  for (const [field, valid, expected] of ENVELOPE_CHECKS) {
    const value = event[field];
    if (!valid(value)) {
      return value === undefined ? `${field} is missing` : `${field} must be ${expected}, got ${describeJson(value)}`;
    }
  }
  // Version 1 events carry their own signature; later ones a `commit` link and no signature.
  if ((event.schemaVersion as number) >= 2) {
    if ('signature' in event) return `signature is not part of a schema version ${String(event.schemaVersion)} event (its seal signs it)`;
    const commit = event.commit;
    if (!isRecord(commit)) return commit === undefined ? 'commit is missing' : `commit must be an object { prev }, got ${describeJson(commit)}`;
    if (!isHexHash(commit.prev)) return `commit.prev must be 64 lowercase hex digits, got ${describeJson(commit.prev)}`;
    const extra = Object.keys(commit).find((member) => member !== 'prev');
    if (extra !== undefined) return `commit has a member ${JSON.stringify(extra)} beyond prev`;
    return undefined;
  }
  if ('commit' in event) return 'commit is not part of a schema version 1 event';
  if (!isRecord(event.signature)) return event.signature === undefined ? 'signature is missing' : `signature must be an object { keyId, alg, value }, got ${describeJson(event.signature)}`;
  const signature = event.signature;
  if (!nonEmptyString(signature.keyId)) return `signature.keyId must be a non-empty string, got ${describeJson(signature.keyId)}`;
  if (signature.alg !== 'Ed25519') return `signature.alg must be "Ed25519", got ${describeJson(signature.alg)}`;
  if (!isSignatureValue(signature.value)) {
    return `signature.value must be a 64-byte Ed25519 signature in unpadded base64url, got ${describeJson(signature.value)}`;
  }
  return undefined;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null || Array.isArray(value)) return value === null ? 'null' : 'an array';
  if (typeof value === 'string') return value.length > 40 ? `${JSON.stringify(value.slice(0, 40))}…` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
