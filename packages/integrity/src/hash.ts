import { hash } from 'node:crypto';
import { canonicalJsonOmitting } from './canonical.ts';

/** The `prevHash` of the first event of every stream. */
export const GENESIS_HASH = '0'.repeat(64);

const hexHash = /^[0-9a-f]{64}$/;

export function isHexHash(value: unknown): value is string {
  return typeof value === 'string' && hexHash.test(value);
}

/** Lowercase hex SHA-256; strings are hashed as their UTF-8 bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  // One-shot: no Hash object per digest (every event and seal is hashed once on read).
  return hash('sha256', data, 'hex');
}

/** SHA-256 of the RFC 8785 canonical JSON of the event without its `hash` and `signature`. */
export function eventHash(event: object): string {
  return contentHash(event);
}

/**
 * The `hash` of every signed record of the ledger (events, seals, checkpoints): SHA-256 of the
 * RFC 8785 canonical JSON of the record without its `hash` and `signature` members.
 */
export function contentHash(record: object): string {
  return sha256Hex(canonicalJsonOmitting(record, NOT_HASHED));
}

/** The members a record's `hash` does not cover. */
export const NOT_HASHED: ReadonlySet<string> = new Set(['hash', 'signature']);
