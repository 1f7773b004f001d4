import { Buffer } from 'node:buffer';
import { sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCommitSeal,
  buildInclusionProof,
  canonicalJson,
  contentHash,
  generateSigningKey,
  GENESIS_HASH,
  KeyRing,
  parseKeySet,
  publicKeyEntry,
  sha256Hex,
  verifyInclusionProof,
} from '../src/index.ts';
import type { CommitSeal, InclusionProof, InclusionProofFailure, PublicKeyEntry, SigningKey } from '../src/index.ts';
import { commitChain, gdKey, hkKey, ring } from './fixtures.ts';

const gdEntry = publicKeyEntry(gdKey);

/** Events of one transaction on one partition, their seal, and a proof for each event. */
function sealedBatch(count: number, options: { key?: SigningKey; entry?: PublicKeyEntry; events?: Record<string, unknown>[] } = {}) {
  const events = options.events ?? commitChain(count);
  const eventHashes = events.map((event) => event.hash as string);
  const key = options.key ?? gdKey;
  const seal = buildCommitSeal({
    side: key.side,
    topic: 'gdhk.gd.events',
    partition: 5,
    sequence: 1,
    prevHash: GENESIS_HASH,
    eventHashes,
    sealedAt: '2025-03-01T03:00:00.000Z',
  }, key);
  const entry = options.entry ?? publicKeyEntry(key);
  const proofs = events.map((event) => buildInclusionProof({ event, eventHashes, seal, key: entry }));
  return { events, eventHashes, seal, proofs };
}

const roundTrip = (proof: unknown): unknown => JSON.parse(JSON.stringify(proof));

function reasonOf(json: unknown, keys: KeyRing = ring): InclusionProofFailure | 'verified' {
  const check = verifyInclusionProof(json, keys);
  return check.ok ? 'verified' : check.reason;
}

describe('inclusion proofs', () => {
  it.each([1, 2, 3, 4, 5, 7, 8, 9, 16, 31, 33, 100])('prove every event of a transaction of %i, after a JSON round trip', (count) => {
    const { proofs, events } = sealedBatch(count);
    proofs.forEach((proof, index) => {
      expect(proof.leafIndex).toBe(index);
      expect(proof.treeSize).toBe(count);
      expect(proof.event).toBe(events[index]);
      const check = verifyInclusionProof(roundTrip(proof), ring);
      if (!check.ok) throw new Error(`event ${index} of ${count}: ${check.reason}: ${check.detail}`);
    });
  });

  it('verify against nothing but the key set file\'s contents', () => {
    const { proofs } = sealedBatch(3);
    const keySetFile = JSON.stringify({ keys: [gdEntry] });
    expect(verifyInclusionProof(roundTrip(proofs[1]), KeyRing.fromJson(JSON.parse(keySetFile)))).toMatchObject({ ok: true });
    expect(parseKeySet(JSON.parse(keySetFile)).keys[0]).toEqual(proofs[1]?.key);
  });

  it('are refused for an event the seal does not cover, or a seal the events do not match', () => {
    const { eventHashes, seal, events } = sealedBatch(3);
    const stranger = commitChain(1, { start: 9 })[0] as Record<string, unknown>;
    expect(() => buildInclusionProof({ event: stranger, eventHashes, seal, key: gdEntry })).toThrowError(/not among the sealed hashes/);
    const altered = { ...(events[0] as Record<string, unknown>), commandId: 'other' };
    expect(() => buildInclusionProof({ event: altered, eventHashes, seal, key: gdEntry })).toThrowError(/does not hash/);
    expect(() => buildInclusionProof({ event: events[0] as Record<string, unknown>, eventHashes: eventHashes.slice(0, 2), seal, key: gdEntry }))
      .toThrowError(/counts 3 events/);
    expect(() => buildInclusionProof({ event: events[0] as Record<string, unknown>, eventHashes, seal, key: publicKeyEntry(hkKey) }))
      .toThrowError(/signed by gd-2025-01/);
  });
});

describe('verifyInclusionProof names the first check that fails', () => {
  const { proofs, seal } = sealedBatch(5);
  const proof = roundTrip(proofs[2]) as InclusionProof;
  const withSeal = (change: Partial<CommitSeal>) => ({ ...proof, seal: { ...proof.seal, ...change } });
  /** A seal whose hash is right but which `key` signs, whatever side the key is. */
  const resigned = (sealed: CommitSeal, key: SigningKey): CommitSeal => {
    const hash = contentHash(sealed);
    return { ...sealed, hash, signature: { keyId: key.keyId, alg: 'Ed25519', value: sign(null, Buffer.from(hash), key.privateKey).toString('base64url') } };
  };

  it.each<[string, () => unknown, InclusionProofFailure, KeyRing?]>([
    ['not JSON of a proof', () => 'proof', 'malformed'],
    ['another format', () => ({ ...proof, kind: 'gdhk.proof' }), 'malformed'],
    ['a member too many', () => ({ ...proof, note: 'trust me' }), 'malformed'],
    ['an event with a signature of its own', () => ({ ...proof, event: { ...proof.event, signature: { keyId: 'gd', alg: 'Ed25519', value: 'x' } } }), 'malformed'],
    ['an event without a hash', () => ({ ...proof, event: { ...proof.event, hash: undefined } }), 'malformed'],
    ['an event nested past canonical JSON\'s depth', () => ({ ...proof, event: { ...proof.event, data: deep(70) } }), 'malformed'],
    ['a path element that is not a hash', () => ({ ...proof, path: [...proof.path.slice(1), 'ab'] }), 'malformed'],
    ['leafIndex = treeSize', () => ({ ...proof, leafIndex: 5 }), 'index_out_of_range'],
    ['treeSize other than the seal\'s count', () => ({ ...proof, treeSize: 6 }), 'size_mismatch'],
    ['treeSize and the seal\'s count both changed', () => ({ ...withSeal({ count: 4 }), treeSize: 4 }), 'bad_path'],
    ['an event changed', () => ({ ...proof, event: { ...proof.event, itemId: '2019-04' } }), 'bad_event_hash'],
    ['an event rehashed after a change', () => ({ ...proof, event: rehash({ ...proof.event, itemId: '2019-04' }) }), 'bad_path'],
    ['another event of the same seal', () => ({ ...proof, event: proofs[3]?.event }), 'bad_path'],
    ['the other side\'s event', () => ({ ...proof, event: rehash({ ...proof.event, side: 'hk' }) }), 'side_mismatch'],
    ['another index', () => ({ ...proof, leafIndex: 3 }), 'bad_path'],
    ['a path element changed', () => ({ ...proof, path: [sha256Hex('x'), ...proof.path.slice(1)] }), 'bad_path'],
    ['a path element dropped', () => ({ ...proof, path: proof.path.slice(1) }), 'bad_path'],
    ['a path element added', () => ({ ...proof, path: [...proof.path, proof.seal.root] }), 'bad_path'],
    ['a path to another root', () => withSeal({ root: sha256Hex('r') }), 'bad_path'],
    ['the key of another id', () => ({ ...proof, key: publicKeyEntry(hkKey) }), 'key_mismatch'],
    ['a key the key set does not list', () => proof, 'unknown_key', new KeyRing({ keys: [publicKeyEntry(hkKey)] })],
    ['a key the key set lists with another validity', () => proof, 'unknown_key', new KeyRing({ keys: [publicKeyEntry(gdKey, { validUntil: '2030-01-01T00:00:00Z' })] })],
    ['a key of the same id and another public key', () => ({ ...proof, key: publicKeyEntry(generateSigningKey(gdKey.keyId, 'gd')) }), 'unknown_key'],
    ['a seal changed', () => withSeal({ sealedAt: '2025-03-01T03:00:01.000Z' }), 'bad_seal_hash'],
    ['a seal hash changed', () => withSeal({ hash: sha256Hex('h') }), 'bad_seal_hash'],
    ['a seal signed with the other side\'s key', () => ({ ...proof, seal: resigned(proof.seal, hkKey), key: publicKeyEntry(hkKey) }), 'foreign_key'],
    ['a key not valid at sealedAt', () => ({ ...proof, key: publicKeyEntry(gdKey, { validFrom: '2025-06-01T00:00:00Z' }) }), 'key_not_valid', new KeyRing({ keys: [publicKeyEntry(gdKey, { validFrom: '2025-06-01T00:00:00Z' })] })],
    ['a signature of another seal', () => withSeal({ signature: sealedBatch(2).seal.signature }), 'bad_signature'],
    ['a signature by an impostor key of the same id', () => ({ ...proof, seal: resigned(proof.seal, generateSigningKey(gdKey.keyId, 'gd')) }), 'bad_signature'],
  ])('%s', (_, make, reason, keys) => {
    expect(reasonOf(make(), keys)).toBe(reason);
  });

  it('starts from a proof that verifies', () => {
    expect(seal.count).toBe(5);
    expect(reasonOf(proof)).toBe('verified');
  });

  it('never throws, whatever the JSON', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue(), fc.record({
      kind: fc.constant(proof.kind),
      schemaVersion: fc.constant(1),
      event: fc.oneof(fc.jsonValue(), fc.constant(proof.event)),
      leafIndex: fc.integer({ min: -2, max: 8 }),
      treeSize: fc.integer({ min: -2, max: 8 }),
      path: fc.array(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), { maxLength: 4 }),
      seal: fc.constant(proof.seal),
      key: fc.constant(proof.key),
    })), (json) => {
      expect(verifyInclusionProof(json, ring).ok).toBe(false);
    }), { numRuns: 300 });
  });
});

describe('a serialized proof with any one byte changed', () => {
  // The checker works on the JSON value, so it cannot and need not tell apart two texts of one
  // value: whitespace between tokens (and, in other texts, the case of \u escapes or "\/").
  // A mutation counts as neutral exactly when the parsed value is unchanged (compared in
  // canonical form); every other mutation must fail decoding, parsing or verification.
  const { proofs } = sealedBatch(3);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const whitespace = [0x20, 0x09, 0x0a, 0x0d];

  function mutateEveryByte(text: string, replacementsOf: (was: number) => Iterable<number>) {
    const bytes = Buffer.from(text, 'utf8');
    const original = canonicalJson(JSON.parse(text));
    const tally = { undecodable: 0, unparsable: 0, rejected: 0, neutral: [] as [position: number, was: number, now: number][] };
    const reasons = new Set<string>();
    for (let position = 0; position < bytes.length; position++) {
      const was = bytes[position] as number;
      for (const replacement of replacementsOf(was)) {
        if (replacement === was) continue;
        bytes[position] = replacement;
        let json: unknown;
        try {
          json = JSON.parse(decoder.decode(bytes));
        } catch (error) {
          if (error instanceof SyntaxError) tally.unparsable++;
          else tally.undecodable++;
          continue;
        }
        const check = verifyInclusionProof(json, ring);
        if (!check.ok) {
          // A rejected text of the original value would be a false alarm.
          if (canonicalJson(json) === original) throw new Error(`byte ${position}: ${was} → ${replacement} leaves the value as it was, yet ${check.reason}`);
          tally.rejected++;
          reasons.add(check.reason);
        } else if (canonicalJson(json) === original) {
          tally.neutral.push([position, was, replacement]);
        } else {
          throw new Error(`byte ${position} changed from ${was} to ${replacement} and the proof still verifies`);
        }
      }
      bytes[position] = was;
    }
    return { bytes, tally, reasons };
  }

  // Every byte, each of its 8 single-bit flips and every byte JSON gives a meaning to (quotes,
  // escapes, punctuation, whitespace, digits, hex and base64url letters, bytes invalid in
  // UTF-8): about 35 texts per byte. All 256 values of every byte were also run once (≈ 350,000
  // texts, 15–20 s on two busy cores) with the same result; too slow for the unit tier.
  const replacementsOf = (was: number) => [
    ...[1, 2, 4, 8, 16, 32, 64, 128].map((bit) => was ^ bit),
    ...whitespace,
    ...Buffer.from('"\\,:{}[]019-.+eEfAF_z'),
    0x00, 0x1f, 0x7f, 0x80, 0xc3, 0xff,
  ];

  it('compact, as written with no whitespace: every change is rejected', () => {
    const { tally, reasons } = mutateEveryByte(JSON.stringify(proofs[1]), replacementsOf);
    expect(tally.neutral).toEqual([]);
    // Mutations that still parsed reached every field's check.
    expect([...reasons].sort()).toEqual(
      ['bad_event_hash', 'bad_path', 'bad_seal_hash', 'bad_signature', 'index_out_of_range', 'key_mismatch', 'malformed', 'size_mismatch', 'unknown_key'],
    );
  });

  it('pretty-printed: only whitespace swapped for whitespace between tokens goes unnoticed, because the value is the same', () => {
    const text = `${JSON.stringify(proofs[1], null, 2)}\n`;
    const { bytes, tally } = mutateEveryByte(text, replacementsOf);
    expect(tally.neutral.length).toBeGreaterThan(0);
    for (const [position, was, now] of tally.neutral) {
      expect(whitespace.includes(was) && whitespace.includes(now), `byte ${position}: ${was} → ${now}`).toBe(true);
      expect(outsideStrings(bytes, position), `byte ${position} lies outside every string`).toBe(true);
    }
  });
});

/** Whether bytes[position] lies between JSON tokens rather than inside a string literal. */
function outsideStrings(bytes: Buffer, position: number): boolean {
  let inString = false;
  for (let index = 0; index < position; index++) {
    const byte = bytes[index];
    if (inString && byte === 0x5c) index++;
    else if (byte === 0x22) inString = !inString;
  }
  return !inString;
}

function rehash(event: Record<string, unknown>): Record<string, unknown> {
  return { ...event, hash: contentHash(event) };
}

function deep(levels: number): unknown {
  let value: unknown = 0;
  for (let level = 0; level < levels; level++) value = [value];
  return value;
}
