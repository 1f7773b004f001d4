import type { EventEnvelope } from './envelope.ts';
import { readSealedEvent } from './envelope.ts';
import type { KeyRing } from './keys.ts';
import { verifyHashSignature } from './signature.ts';

export type SealFailureReason = 'malformed' | 'bad_hash' | 'unknown_key' | 'bad_signature';

export type EventCheck =
  | { ok: true; event: EventEnvelope }
  | { ok: false; reason: SealFailureReason; detail: string };

/**
 * Checks one sealed event on its own — envelope shape, hash, key (side and validity) and
 * signature — for tools that hold a single event (key files, proofs). Records read from a topic
 * go through `@gdhk/verified-log`, which also judges their place in the stream.
 */
export function verifyEventSignature(value: unknown, ring: KeyRing): EventCheck {
  const reading = readSealedEvent(value);
  if (!reading.ok) return { ok: false, reason: 'malformed', detail: reading.detail };
  const { event, computedHash } = reading;
  if (event.hash !== computedHash) {
    return { ok: false, reason: 'bad_hash', detail: `hash ${event.hash} does not match the content, which hashes to ${computedHash}` };
  }
  if (event.signature === undefined) return { ok: false, reason: 'malformed', detail: `a schema version ${event.schemaVersion} event has no signature of its own: its seal signs it` };
  const key = ring.lookup(event.signature.keyId, { side: event.side, occurredAt: event.occurredAt });
  if (!key.ok) return { ok: false, reason: 'unknown_key', detail: key.detail };
  if (!verifyHashSignature(event.hash, event.signature.value, key.publicKey)) {
    return { ok: false, reason: 'bad_signature', detail: `signature does not verify with key ${event.signature.keyId}` };
  }
  return { ok: true, event };
}
