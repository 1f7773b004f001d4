import type { EventEnvelope } from './envelope.ts';
import { readSealedEvent } from './envelope.ts';
import type { KeyRing, Side } from './keys.ts';
import { verifyHashSignature } from './signature.ts';

/** In the order the checks run; `stream_halted` is reported for everything after a stream's first failure. */
export const FAILURE_REASONS = [
  'stream_halted',
  'malformed',
  'side_mismatch',
  'version_gap',
  'broken_chain',
  'bad_hash',
  'unknown_key',
  'bad_signature',
] as const;

export type FailureReason = (typeof FAILURE_REASONS)[number];

export function isFailureReason(value: unknown): value is FailureReason {
  return (FAILURE_REASONS as readonly unknown[]).includes(value);
}

export type SealFailureReason = Extract<FailureReason, 'malformed' | 'bad_hash' | 'unknown_key' | 'bad_signature'>;

export type EventCheck =
  | { ok: true; event: EventEnvelope }
  | { ok: false; reason: SealFailureReason; detail: string };

/**
 * Checks one event on its own — envelope shape, hash, key (side and validity) and
 * signature — but not its place in the stream; that is StreamVerifier's job.
 */
export function verifyEventSignature(value: unknown, ring: KeyRing): EventCheck {
  const reading = readSealedEvent(value);
  if (!reading.ok) return { ok: false, reason: 'malformed', detail: reading.detail };
  const failure = checkSeal(reading.event, reading.computedHash, ring, 'verify');
  return failure ?? { ok: true, event: reading.event };
}

export type SignatureChecking = 'verify' | 'defer';

export function checkSeal(
  event: EventEnvelope,
  computedHash: string,
  ring: KeyRing,
  signatures: SignatureChecking,
): { ok: false; reason: Exclude<SealFailureReason, 'malformed'>; detail: string } | undefined {
  if (event.hash !== computedHash) {
    return { ok: false, reason: 'bad_hash', detail: `hash ${event.hash} does not match the content, which hashes to ${computedHash}` };
  }
  const { keyId, value } = event.signature;
  const key = ring.lookup(keyId, { side: event.side, occurredAt: event.occurredAt });
  if (!key.ok) return { ok: false, reason: 'unknown_key', detail: key.detail };
  if (signatures === 'verify' && !verifyHashSignature(event.hash, value, key.publicKey)) {
    return { ok: false, reason: 'bad_signature', detail: `signature does not verify with key ${keyId}` };
  }
  return undefined;
}

export type SignatureBatchItem = {
  hash: string;
  keyId: string;
  /** The `signature.value` of the event. */
  signature: string;
  /** When given, the key must also belong to this side and be valid at this instant. */
  use?: { side: Side; occurredAt: string };
};

export type SignatureCheck =
  | { ok: true }
  | { ok: false; reason: 'unknown_key' | 'bad_signature'; detail: string };

/**
 * Signature checks only, one result per item in order: the expensive half of verification,
 * split off so the audit can spread it over workers after a StreamVerifier pass with
 * `signatures: 'defer'`.
 */
export function verifySignatureBatch(items: readonly SignatureBatchItem[], ring: KeyRing): SignatureCheck[] {
  return items.map(({ hash, keyId, signature, use }): SignatureCheck => {
    const key = use === undefined ? ring.publicKey(keyId) : ring.lookup(keyId, use);
    if (!key.ok) return { ok: false, reason: 'unknown_key', detail: key.detail };
    if (!verifyHashSignature(hash, signature, key.publicKey)) {
      return { ok: false, reason: 'bad_signature', detail: `signature does not verify with key ${keyId}` };
    }
    return { ok: true };
  });
}
