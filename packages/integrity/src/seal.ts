import { canonicalJson } from './canonical.ts';
import type { CommittedEvent, SealedEvent } from './envelope.ts';
import { isHexHash, sha256Hex } from './hash.ts';
import type { SigningKey } from './keys.ts';
import { signHash } from './signature.ts';

/**
 * Chains an event to its predecessor and signs it with its side's key: sets `prevHash`,
 * then `hash` over the canonical JSON of everything but `hash` and `signature`, then
 * `signature` over the hash. Any `prevHash`, `hash` or `signature` already present is replaced.
 */
export function sealEvent<T extends object>(unsealed: T, prevHash: string, key: SigningKey): SealedEvent<T> {
  if (!isHexHash(prevHash)) throw new TypeError(`sealEvent: prevHash must be 64 lowercase hex digits, got ${JSON.stringify(prevHash)}`);
  const { hash: _hash, signature: _signature, ...fields } = unsealed as Record<string, unknown>;
  if ('side' in fields && fields.side !== key.side) {
    throw new TypeError(`sealEvent: a ${String(fields.side)} event cannot be signed with ${key.side} key ${key.keyId}`);
  }
  const hashed = { ...fields, prevHash };
  const hash = sha256Hex(canonicalJson(hashed));
  const signature = { keyId: key.keyId, alg: 'Ed25519' as const, value: signHash(hash, key.privateKey) };
  return { ...hashed, hash, signature } as SealedEvent<T>;
}

/**
 * A schema version 2 event (issue 12): sets `prevHash` (its stream's previous event) and
 * `commit.prev` (the previous event of its transaction on its partition, or the partition's
 * previous seal), then `hash` over the canonical JSON of everything but `hash`. No signature: the
 * seal that ends the transaction on the partition signs it. Any `signature` present is dropped.
 */
export function hashCommittedEvent<T extends object>(unhashed: T, prevHash: string, commitPrev: string): CommittedEvent<T> {
  if (!isHexHash(prevHash)) throw new TypeError(`hashCommittedEvent: prevHash must be 64 lowercase hex digits, got ${JSON.stringify(prevHash)}`);
  if (!isHexHash(commitPrev)) throw new TypeError(`hashCommittedEvent: commit.prev must be 64 lowercase hex digits, got ${JSON.stringify(commitPrev)}`);
  const { hash: _hash, signature: _signature, ...fields } = unhashed as Record<string, unknown>;
  const hashed = { ...fields, prevHash, commit: { prev: commitPrev } };
  return { ...hashed, hash: sha256Hex(canonicalJson(hashed)) } as CommittedEvent<T>;
}
