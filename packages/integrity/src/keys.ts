import { Buffer } from 'node:buffer';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { parseInstant } from './instant.ts';

export type Side = 'gd' | 'hk';

export function isSide(value: unknown): value is Side {
  return value === 'gd' || value === 'hk';
}

export type SigningKey = {
  readonly keyId: string;
  readonly side: Side;
  readonly privateKey: KeyObject;
};

/** `validFrom` is inclusive, `validUntil` exclusive; an absent bound is open. */
export type KeyValidity = {
  validFrom?: string;
  validUntil?: string;
};

export type PublicKeyEntry = KeyValidity & {
  keyId: string;
  side: Side;
  alg: 'Ed25519';
  /** base64url (no padding) of the raw 32-byte Ed25519 public key, i.e. the JWK `x`. */
  publicKey: string;
};

export type KeySet = { keys: PublicKeyEntry[] };

export class KeySetError extends Error {
  override readonly name = 'KeySetError';
}

export function generateSigningKey(keyId: string, side: Side): SigningKey {
  assertKeyIdentity(keyId, side);
  const { privateKey } = generateKeyPairSync('ed25519');
  return { keyId, side, privateKey };
}

/** PKCS#8 PEM of the private key. */
export function exportPrivateKeyPem(key: SigningKey): string {
  return key.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export function signingKeyFromPem(keyId: string, side: Side, pem: string): SigningKey {
  assertKeyIdentity(keyId, side);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch (error) {
    throw new KeySetError(`signing key ${keyId}: not a readable PEM private key`, { cause: error });
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new KeySetError(`signing key ${keyId}: expected an Ed25519 key, got ${privateKey.asymmetricKeyType ?? 'unknown'}`);
  }
  return { keyId, side, privateKey };
}

export function publicKeyEntry(key: SigningKey, validity: KeyValidity = {}): PublicKeyEntry {
  const { x } = createPublicKey(key.privateKey).export({ format: 'jwk' });
  const entry: PublicKeyEntry = { keyId: key.keyId, side: key.side, alg: 'Ed25519', publicKey: x ?? '' };
  if (validity.validFrom !== undefined) entry.validFrom = validity.validFrom;
  if (validity.validUntil !== undefined) entry.validUntil = validity.validUntil;
  return parseEntry(entry, `key ${key.keyId}`).entry;
}

/** Validates an untrusted key set (e.g. a parsed JSON file) and returns a clean copy. */
export function parseKeySet(json: unknown): KeySet {
  return { keys: parseEntries(json).map(({ entry }) => entry) };
}

type RingKey = {
  entry: PublicKeyEntry;
  publicKey: KeyObject;
  from: number;
  until: number;
};

export type KeyLookup =
  | { ok: true; publicKey: KeyObject }
  | { ok: false; problem: KeyProblem; detail: string };

/** Why a key does not vouch for an event: not in the ring, the other side's, or not valid at that time. */
export type KeyProblem = 'unknown_key' | 'foreign_key' | 'key_not_valid';

/** Public keys by id, for verifiers: a key only vouches for its own side within its validity. */
export class KeyRing {
  readonly #keys = new Map<string, RingKey>();

  constructor(keySet: KeySet) {
    for (const key of parseEntries(keySet)) this.#keys.set(key.entry.keyId, key);
  }

  static fromJson(json: unknown): KeyRing {
    return new KeyRing(parseKeySet(json));
  }

  get keyIds(): string[] {
    return [...this.#keys.keys()];
  }

  entry(keyId: string): PublicKeyEntry | undefined {
    const key = this.#keys.get(keyId);
    return key === undefined ? undefined : { ...key.entry };
  }

  /** The key for an event of `side` that occurred at `occurredAt`, or why there is none. */
  lookup(keyId: string, use: { side: Side; occurredAt: string }): KeyLookup {
    const key = this.#keys.get(keyId);
    if (key === undefined) return { ok: false, problem: 'unknown_key', detail: `key ${JSON.stringify(keyId)} is not in the key ring` };
    if (key.entry.side !== use.side) {
      return { ok: false, problem: 'foreign_key', detail: `key ${keyId} belongs to side ${key.entry.side}, not ${use.side}` };
    }
    const at = parseInstant(use.occurredAt);
    if (at === undefined) return { ok: false, problem: 'key_not_valid', detail: `occurredAt ${JSON.stringify(use.occurredAt)} is not an ISO-8601 instant` };
    if (at < key.from || at >= key.until) {
      return { ok: false, problem: 'key_not_valid', detail: `key ${keyId} is not valid at ${use.occurredAt} (${describeValidity(key.entry)})` };
    }
    return { ok: true, publicKey: key.publicKey };
  }

  /** The key regardless of side and validity: for callers that checked those already. */
  publicKey(keyId: string): KeyLookup {
    const key = this.#keys.get(keyId);
    if (key === undefined) return { ok: false, problem: 'unknown_key', detail: `key ${JSON.stringify(keyId)} is not in the key ring` };
    return { ok: true, publicKey: key.publicKey };
  }
}

function describeValidity(entry: PublicKeyEntry): string {
  return `valid from ${entry.validFrom ?? 'the beginning'} until ${entry.validUntil ?? 'further notice'}`;
}

function parseEntries(json: unknown): RingKey[] {
  if (!isRecord(json)) throw new KeySetError('key set: expected an object { keys: [...] }');
  const { keys } = json;
  if (!Array.isArray(keys)) throw new KeySetError('key set: "keys" must be an array');
  const parsed = keys.map((entry: unknown, index) => parseEntry(entry, `key set: keys[${index}]`));
  const seenIds = new Set<string>();
  const seenKeys = new Map<string, string>();
  for (const { entry } of parsed) {
    if (seenIds.has(entry.keyId)) throw new KeySetError(`key set: keyId ${JSON.stringify(entry.keyId)} appears twice`);
    seenIds.add(entry.keyId);
    const owner = seenKeys.get(entry.publicKey);
    if (owner !== undefined) {
      throw new KeySetError(`key set: keys ${owner} and ${entry.keyId} share one public key; a key pair belongs to one id and one side`);
    }
    seenKeys.set(entry.publicKey, entry.keyId);
  }
  return parsed;
}

const base64url = /^[A-Za-z0-9_-]+$/;

function parseEntry(json: unknown, where: string): RingKey {
  if (!isRecord(json)) throw new KeySetError(`${where}: expected an object`);
  const { keyId, side, alg, publicKey, validFrom, validUntil } = json;
  if (typeof keyId !== 'string' || keyId.length === 0) throw new KeySetError(`${where}.keyId: expected a non-empty string`);
  if (!isSide(side)) throw new KeySetError(`${where}.side: expected "gd" or "hk"`);
  if (alg !== 'Ed25519') throw new KeySetError(`${where}.alg: expected "Ed25519"`);
  if (typeof publicKey !== 'string' || !base64url.test(publicKey)
    || Buffer.from(publicKey, 'base64url').toString('base64url') !== publicKey
    || Buffer.from(publicKey, 'base64url').length !== 32) {
    throw new KeySetError(`${where}.publicKey: expected the raw 32-byte Ed25519 key in unpadded base64url (43 characters)`);
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
  } catch (error) {
    throw new KeySetError(`${where}.publicKey: not a valid Ed25519 public key`, { cause: error });
  }
  const from = parseBound(validFrom, `${where}.validFrom`) ?? -Infinity;
  const until = parseBound(validUntil, `${where}.validUntil`) ?? Infinity;
  if (from >= until) throw new KeySetError(`${where}: validFrom must be before validUntil`);
  const entry: PublicKeyEntry = { keyId, side, alg, publicKey };
  if (typeof validFrom === 'string') entry.validFrom = validFrom;
  if (typeof validUntil === 'string') entry.validUntil = validUntil;
  return { entry, publicKey: key, from, until };
}

function parseBound(value: unknown, where: string): number | undefined {
  if (value === undefined) return undefined;
  const instant = typeof value === 'string' ? parseInstant(value) : undefined;
  if (instant === undefined) throw new KeySetError(`${where}: expected an ISO-8601 date-time with offset, e.g. 2025-01-01T00:00:00Z`);
  return instant;
}

function assertKeyIdentity(keyId: string, side: Side): void {
  if (typeof keyId !== 'string' || keyId.length === 0) throw new KeySetError('signing key: keyId must be a non-empty string');
  if (!isSide(side)) throw new KeySetError(`signing key ${keyId}: side must be "gd" or "hk"`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
