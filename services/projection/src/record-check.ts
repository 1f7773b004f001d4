import { parseEvent, type ItemEvent } from '@gdhk/domain';
import { type KeyRing, verifySignatureBatch } from '@gdhk/integrity';

/** What a worker found about one record, before its place in the stream is known. */
export type RecordCheck =
  | { signature: 'ok'; event: ItemEvent }
  | { signature: 'ok'; schemaProblem: string }
  | { signature: 'bad'; detail: string }
  /** not an envelope at all: the stream verifier names what is wrong */
  | { signature: 'skip' };

export interface CheckRequest {
  readonly id: number;
  readonly values: readonly string[];
}

function record(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The checks that need nothing but the record and the key ring: the Ed25519 signature over the
 * claimed hash (the stream verifier recomputes the hash itself) and the event schema.
 */
export function checkRecords(values: readonly string[], ring: KeyRing): RecordCheck[] {
  return values.map((text): RecordCheck => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return { signature: 'skip' };
    }
    if (!record(value) || !record(value.signature)) return { signature: 'skip' };
    const { hash, side, occurredAt } = value;
    const { keyId, value: signature } = value.signature;
    if (typeof hash !== 'string' || typeof keyId !== 'string' || typeof signature !== 'string' || (side !== 'gd' && side !== 'hk') || typeof occurredAt !== 'string') {
      return { signature: 'skip' };
    }
    const [check] = verifySignatureBatch([{ hash, keyId, signature, use: { side, occurredAt } }], ring);
    if (!check) return { signature: 'skip' };
    // An unknown key is the stream verifier's finding (it looks keys up before signatures).
    if (!check.ok) return check.reason === 'unknown_key' ? { signature: 'skip' } : { signature: 'bad', detail: check.detail };
    try {
      return { signature: 'ok', event: parseEvent(value) };
    } catch (error) {
      return { signature: 'ok', schemaProblem: (error as Error).message };
    }
  });
}
