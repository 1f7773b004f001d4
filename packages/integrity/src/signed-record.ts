import { z } from 'zod';
import type { EventSignature } from './envelope.ts';
import { contentHash, GENESIS_HASH, isHexHash } from './hash.ts';
import { parseInstant } from './instant.ts';
import type { KeyProblem, KeyRing, Side, SigningKey } from './keys.ts';
import { isSignatureValue, signHash, verifyHashSignature } from './signature.ts';

// What seals and checkpoints share with the event envelope: `prevHash` chaining, `hash` over the
// canonical JSON of everything but `hash` and `signature`, and an Ed25519 `signature` over the hash.

export const hexHashSchema = z.string().refine(isHexHash, '64 lowercase hex digits');
export const instantSchema = z.string().refine((text) => parseInstant(text) !== undefined, 'an ISO-8601 date-time with seconds and an offset');
export const sideSchema = z.enum(['gd', 'hk']);
/** A Kafka partition number (an int32). */
export const partitionSchema = z.int().min(0).max(2 ** 31 - 1);
export const signatureSchema = z.strictObject({
  keyId: z.string().min(1),
  alg: z.literal('Ed25519'),
  value: z.string().refine(isSignatureValue, 'a 64-byte Ed25519 signature in unpadded base64url'),
});

/** The first record of a chain has sequence 1 and `prevHash` "0"×64; no other record does. */
export function startsChainOnlyAtOne(record: { sequence: number; prevHash: string }): boolean {
  return (record.sequence === 1) === (record.prevHash === GENESIS_HASH);
}
export const genesisRule = { message: 'sequence 1 and only sequence 1 has prevHash "0"×64', path: ['prevHash'] };

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: 'malformed'; detail: string };

/** Never throws: the first issue zod found, with its path. */
export function parseWith<T>(schema: z.ZodType<T>, json: unknown, what: string): Parsed<T> {
  const result = schema.safeParse(json);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0];
  const path = issue === undefined ? '' : issue.path.map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${String(segment)}`)).join('');
  return { ok: false, reason: 'malformed', detail: `${what}${path}: ${issue?.message ?? 'invalid'}` };
}

/**
 * Hashes and signs a record with its side's key, then holds it to its own parser: a builder
 * never hands out a record that readers would reject. Throws a TypeError on such input.
 */
export function buildSignedRecord<T>(schema: z.ZodType<T>, fields: { side: Side }, key: SigningKey, builder: string): T {
  if (fields.side !== key.side) throw new TypeError(`${builder}: a ${fields.side} record cannot be signed with ${key.side} key ${key.keyId}`);
  const hash = contentHash(fields);
  const signature: EventSignature = { keyId: key.keyId, alg: 'Ed25519', value: signHash(hash, key.privateKey) };
  return assertParses(schema, { ...fields, hash, signature }, builder);
}

/** Refuses input that would make a record its own parser rejects. */
export function assertParses<T>(schema: z.ZodType<T>, record: unknown, builder: string): T {
  const parsed = parseWith(schema, record, builder);
  if (!parsed.ok) throw new TypeError(parsed.detail);
  return parsed.value;
}

export type RecordCheck = { ok: true } | { ok: false; reason: 'bad_hash' | KeyProblem | 'bad_signature'; detail: string };

/** Hash, then key (listed, of `side`, valid `at`), then signature: the first that fails names the reason. */
export function verifySignedRecord(
  record: { hash: string; signature: EventSignature },
  use: { side: Side; at: string },
  ring: KeyRing,
): RecordCheck {
  const computed = contentHash(record);
  if (computed !== record.hash) return { ok: false, reason: 'bad_hash', detail: `hash ${record.hash} does not match the content, which hashes to ${computed}` };
  const key = ring.lookup(record.signature.keyId, { side: use.side, occurredAt: use.at });
  if (!key.ok) return { ok: false, reason: key.problem, detail: key.detail };
  if (!verifyHashSignature(record.hash, record.signature.value, key.publicKey)) {
    return { ok: false, reason: 'bad_signature', detail: `signature does not verify with key ${record.signature.keyId}` };
  }
  return { ok: true };
}

export type ChainLinkCheck = { ok: true } | { ok: false; reason: 'sequence_gap' | 'prev_mismatch'; detail: string };

/**
 * Whether `next` directly follows `previous` (undefined: `next` should open the chain) in one
 * chain of seals (one partition) or of checkpoints (one side).
 */
export function checkChainLink(
  previous: { sequence: number; hash: string } | undefined,
  next: { sequence: number; prevHash: string },
): ChainLinkCheck {
  const expected = previous === undefined ? 1 : previous.sequence + 1;
  if (next.sequence !== expected) return { ok: false, reason: 'sequence_gap', detail: `sequence ${next.sequence} where ${expected} was due` };
  const prevHash = previous === undefined ? GENESIS_HASH : previous.hash;
  if (next.prevHash !== prevHash) {
    return { ok: false, reason: 'prev_mismatch', detail: `sequence ${next.sequence} chains to ${next.prevHash}, not to ${prevHash}` };
  }
  return { ok: true };
}
