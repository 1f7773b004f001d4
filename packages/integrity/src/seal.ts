import { canonicalJson } from './canonical.ts';
import type { SealedEvent } from './envelope.ts';
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
