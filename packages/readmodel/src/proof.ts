import { Buffer } from 'node:buffer';

// How the read model keeps what an inclusion proof needs (keys.ts: proofSeals, proofEvents):
// per seal its JSON and its events' hashes, per sealed event a pointer to its seal, its leaf and
// the feed entry holding its JSON. joint-api builds the proof from it (packages/integrity).

const HASH_BYTES = 32;
const NEWLINE = 0x0a;

/** A seal's entry: its JSON (which never holds a raw newline), a newline, then each hash's 32 bytes. */
export function encodeSealEntry(sealJson: string, hashes: readonly string[]): Buffer {
  if (sealJson.includes('\n')) throw new TypeError('encodeSealEntry: a seal JSON with a raw newline');
  const leaves = Buffer.alloc(hashes.length * HASH_BYTES);
  hashes.forEach((hash, index) => {
    if (!/^[0-9a-f]{64}$/.test(hash)) throw new TypeError(`encodeSealEntry: not a hash: ${JSON.stringify(hash)}`);
    leaves.write(hash, index * HASH_BYTES, 'hex');
  });
  return Buffer.concat([Buffer.from(sealJson, 'utf8'), Buffer.of(NEWLINE), leaves]);
}

/** The seal's JSON and its events' hashes (hex, in log order), or undefined when `entry` is not one. */
export function decodeSealEntry(entry: Buffer): { seal: string; hashes: string[] } | undefined {
  const newline = entry.indexOf(NEWLINE);
  if (newline < 0) return undefined;
  const leaves = entry.subarray(newline + 1);
  if (leaves.length === 0 || leaves.length % HASH_BYTES !== 0) return undefined;
  const hashes: string[] = [];
  for (let at = 0; at < leaves.length; at += HASH_BYTES) hashes.push(leaves.toString('hex', at, at + HASH_BYTES));
  return { seal: entry.toString('utf8', 0, newline), hashes };
}

/** What the served generation holds for an event id. */
export type StoredProof =
  /** no sealed event of this id (not in the log, not read yet, held for a seal, or never sealed) */
  | { readonly kind: 'unknown' }
  /** an event of schema version 1: signed on its own, no seal covers it */
  | { readonly kind: 'version-one' }
  | {
    readonly kind: 'sealed';
    /** `<side>/<partition>@<offset>` of the seal record */
    readonly ref: string;
    readonly leafIndex: number;
    /** the seal's JSON */
    readonly seal: string;
    /** the sealed events' hashes in log order */
    readonly hashes: readonly string[];
    /** the event's JSON as the log holds it */
    readonly event: string;
  };

/** The reply of the proof read (reader.ts) as a stored proof; throws when the read model is inconsistent. */
export function storedProofOf(reply: readonly (Buffer | null)[], eventId: string): StoredProof {
  const [kind, ref, leaf, sealEntry, event] = reply;
  const tag = kind?.toString('utf8');
  if (tag === 'unknown') return { kind: 'unknown' };
  if (tag === 'v1') return { kind: 'version-one' };
  const inconsistent = (what: string) => new Error(`the read model's proof of event ${eventId} is inconsistent: ${what}`);
  if (tag !== 'sealed' || !ref || !leaf) throw inconsistent('its pointer is not one');
  if (!sealEntry || sealEntry.length === 0) throw inconsistent(`its seal ${ref.toString('utf8')} is missing`);
  const seal = decodeSealEntry(sealEntry);
  if (!seal) throw inconsistent(`its seal ${ref.toString('utf8')} is not a seal entry`);
  if (!event || event.length === 0) throw inconsistent('its feed entry is gone');
  const leafIndex = Number(leaf.toString('utf8'));
  if (!Number.isSafeInteger(leafIndex) || leafIndex >= seal.hashes.length) throw inconsistent(`leaf ${leaf.toString('utf8')} of a seal of ${seal.hashes.length}`);
  return { kind: 'sealed', ref: ref.toString('utf8'), leafIndex, seal: seal.seal, hashes: seal.hashes, event: event.toString('utf8') };
}

/** Reads an event's pointer, its seal and its JSON in one step, from one generation (reader.ts runs it in the MULTI that checks the generation is live). */
export const proofReadScript = `
local pointer = redis.call('HGET', KEYS[1], ARGV[1])
if not pointer then return {'unknown'} end
if pointer == 'v1' then return {'v1'} end
local ref, leaf, at = string.match(pointer, '^(%S+) (%d+) (.*)$')
if not ref then return {'broken'} end
local seal = redis.call('HGET', KEYS[2], ref) or ''
local event = ''
if string.sub(at, 1, 1) == '=' then
  event = string.sub(at, 2)
else
  local entries = redis.call('XRANGE', KEYS[3], at, at)
  local fields = entries[1] and entries[1][2] or {}
  for f = 1, #fields, 2 do
    if fields[f] == 'e' then event = fields[f + 1] end
  end
end
return {'sealed', ref, leaf, seal, event}
`;
