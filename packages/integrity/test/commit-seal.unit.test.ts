import { Buffer } from 'node:buffer';
import { createPublicKey, sign, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCommitSeal,
  canonicalJson,
  checkChainLink,
  checkSealedBatch,
  contentHash,
  eventHashLeaves,
  generateSigningKey,
  GENESIS_HASH,
  KeyRing,
  merkleLeafHash,
  merkleNodeHash,
  parseCommitSeal,
  publicKeyEntry,
  sha256Hex,
  signingKeyFromPem,
  verifyCommitSeal,
} from '../src/index.ts';
import type { CommitSeal, CommitSealInput } from '../src/index.ts';
import { commitSealSchema, readCommitSeal } from '../src/commit-seal.ts';
import { parseWith } from '../src/signed-record.ts';
import { commitChain, gdKey, hkKey, rfc8032Pem, ring } from './fixtures.ts';

const hashes = (count: number, salt = 'e') => Array.from({ length: count }, (_, index) => sha256Hex(`${salt}${index}`));

const input = (overrides: Partial<CommitSealInput> = {}): CommitSealInput => ({
  side: 'gd',
  topic: 'gdhk.gd.events',
  partition: 3,
  sequence: 1,
  prevHash: GENESIS_HASH,
  eventHashes: hashes(3),
  sealedAt: '2025-03-01T02:00:00.000Z',
  ...overrides,
});

/** A seal of `side` whose hash is right but which `key` signs, whatever side the key is. */
function signedBy(seal: CommitSeal, key: typeof gdKey): CommitSeal {
  const hash = contentHash(seal);
  const value = sign(null, Buffer.from(hash), key.privateKey).toString('base64url');
  return { ...seal, hash, signature: { keyId: key.keyId, alg: 'Ed25519', value } };
}

describe('buildCommitSeal', () => {
  it('writes the contract fields, hashes them canonically and signs the hex hash', () => {
    const seal = buildCommitSeal(input(), gdKey);
    expect(Object.keys(seal).sort()).toEqual(
      ['count', 'hash', 'kind', 'last', 'partition', 'prevHash', 'root', 'schemaVersion', 'sealedAt', 'sequence', 'side', 'signature', 'topic'],
    );
    expect(seal).toMatchObject({ kind: 'gdhk.seal', schemaVersion: 1, side: 'gd', topic: 'gdhk.gd.events', partition: 3, sequence: 1, count: 3, last: input().eventHashes[2] });
    const { hash: _hash, signature: _signature, ...hashed } = seal;
    expect(seal.hash).toBe(sha256Hex(canonicalJson(hashed)));
    const [a, b, c] = eventHashLeaves(input().eventHashes) as [Buffer, Buffer, Buffer];
    expect(seal.root).toBe(merkleNodeHash(merkleNodeHash(merkleLeafHash(a), merkleLeafHash(b)), merkleLeafHash(c)).toString('hex'));
    const publicKey = createPublicKey(gdKey.privateKey);
    expect(verify(null, Buffer.from(seal.hash, 'utf8'), publicKey, Buffer.from(seal.signature.value, 'base64url'))).toBe(true);
    expect(verifyCommitSeal(seal, ring)).toEqual({ ok: true });
  });

  it('is deterministic: the contract\'s worked example, signed with the RFC 8032 test key', () => {
    // root and hash recomputed outside this code base with Python's hashlib and json.dumps(sort_keys=True, separators=(',', ':')).
    const key = signingKeyFromPem('gd-rfc8032', 'gd', rfc8032Pem());
    const seal = buildCommitSeal(input({ eventHashes: [sha256Hex('a'), sha256Hex('b')] }), key);
    expect(canonicalJson(seal)).toBe(
      '{"count":2,"hash":"b1ba6b47adba854fc208f388fd5695e15f5d7d852854aa56c76a6517bc09d430","kind":"gdhk.seal",'
      + '"last":"3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d","partition":3,'
      + '"prevHash":"0000000000000000000000000000000000000000000000000000000000000000",'
      + '"root":"ad5ca6cddc0b27c6a83e332bf28011769236e6c6a1f786ebf7b5267b37a5bd22","schemaVersion":1,'
      + '"sealedAt":"2025-03-01T02:00:00.000Z","sequence":1,"side":"gd","signature":{"alg":"Ed25519","keyId":"gd-rfc8032",'
      + '"value":"bLXyzIBSLkt3JqqTXvvrLiCVZZkxSh0D1UxknOV4Grsagzz6jXTjgDXgY5CY3hYKD6wJdHJVod7BbwpCcbh7DA"},"topic":"gdhk.gd.events"}',
    );
  });

  it.each<[string, Partial<CommitSealInput>, RegExp]>([
    ['no events', { eventHashes: [] }, /count/],
    ['an uppercase event hash', { eventHashes: [sha256Hex('a').toUpperCase()] }, /event hash \[0\]/],
    ['a negative partition', { partition: -1 }, /partition/],
    ['sequence 0', { sequence: 0 }, /sequence/],
    ['a later seal chained to nothing', { sequence: 2 }, /prevHash/],
    ['a first seal chained to something', { prevHash: sha256Hex('x') }, /prevHash/],
    ['a time without offset', { sealedAt: '2025-03-01T02:00:00' }, /sealedAt/],
    ['a topic Kafka would refuse', { topic: 'gdhk gd' }, /topic/],
  ])('refuses %s', (_, overrides, message) => {
    expect(() => buildCommitSeal(input(overrides), gdKey)).toThrowError(message);
  });

  it('refuses the other side\'s key', () => {
    expect(() => buildCommitSeal(input(), hkKey)).toThrowError(/buildCommitSeal: a gd record cannot be signed with hk key/);
  });
});

describe('parseCommitSeal', () => {
  const seal = buildCommitSeal(input(), gdKey);

  it('reads a seal back from its JSON', () => {
    expect(parseCommitSeal(JSON.parse(JSON.stringify(seal)))).toEqual({ ok: true, value: seal });
  });

  it.each<[string, unknown, RegExp]>([
    ['null', null, /^seal: /],
    ['an array', [seal], /^seal: /],
    ['another kind', { ...seal, kind: 'gdhk.checkpoint' }, /^seal\.kind/],
    ['another version', { ...seal, schemaVersion: 2 }, /^seal\.schemaVersion/],
    ['a member too many', { ...seal, note: 'x' }, /Unrecognized key/],
    ['a member too many in the signature', { ...seal, signature: { ...seal.signature, note: 'x' } }, /signature: Unrecognized key/],
    ['a padded signature', { ...seal, signature: { ...seal.signature, value: `${seal.signature.value}==` } }, /signature\.value/],
    ['a fractional count', { ...seal, count: 1.5 }, /count/],
    ['a count as a string', { ...seal, count: '3' }, /count/],
    ['an uppercase root', { ...seal, root: seal.root.toUpperCase() }, /root/],
    ['a missing sealedAt', { ...seal, sealedAt: undefined }, /sealedAt/],
    ['an impossible date', { ...seal, sealedAt: '2025-02-30T00:00:00Z' }, /sealedAt/],
    ['a "__proto__" member', JSON.parse(`{"__proto__":{},${JSON.stringify(seal).slice(1)}`), /Unrecognized key/],
  ])('rejects %s, naming the field', (_, json, detail) => {
    const parsed = parseCommitSeal(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.reason).toBe('malformed');
      expect(parsed.detail).toMatch(detail);
    }
  });

  it('never throws, whatever the JSON', () => {
    fc.assert(fc.property(fc.oneof(fc.jsonValue(), fc.anything(), fc.record({ ...Object.fromEntries(Object.keys(seal).map((key) => [key, fc.jsonValue()])) })), (json) => {
      expect(parseCommitSeal(json).ok).toBe(false);
    }), { numRuns: 500 });
  });
});

describe('verifyCommitSeal', () => {
  const seal = buildCommitSeal(input(), gdKey);

  it('finds every change to a hashed field', () => {
    const changes: Partial<CommitSeal>[] = [
      { side: 'hk' }, { topic: 'gdhk.hk.events' }, { partition: 4 }, { sequence: 2, prevHash: sha256Hex('p') }, { root: sha256Hex('r') },
      { count: 4 }, { sealedAt: '2025-03-01T02:00:00.001Z' },
    ];
    for (const change of changes) expect(verifyCommitSeal({ ...seal, ...change }, ring)).toMatchObject({ ok: false, reason: 'bad_hash' });
  });

  it('names the key problem: unknown, the other side\'s, not valid at sealedAt', () => {
    expect(verifyCommitSeal(seal, new KeyRing({ keys: [publicKeyEntry(hkKey)] }))).toMatchObject({ ok: false, reason: 'unknown_key' });
    expect(verifyCommitSeal(signedBy(seal, hkKey), ring)).toMatchObject({ ok: false, reason: 'foreign_key' });
    const retired = new KeyRing({ keys: [publicKeyEntry(gdKey, { validUntil: '2025-03-01T02:00:00.000Z' })] });
    expect(verifyCommitSeal(seal, retired)).toMatchObject({ ok: false, reason: 'key_not_valid' });
    const future = new KeyRing({ keys: [publicKeyEntry(gdKey, { validFrom: '2025-03-01T02:00:00.001Z' })] });
    expect(verifyCommitSeal(seal, future)).toMatchObject({ ok: false, reason: 'key_not_valid' });
  });

  it('rejects a signature by another key under the listed key\'s id, or of another seal', () => {
    const impostor = generateSigningKey(gdKey.keyId, 'gd');
    expect(verifyCommitSeal(signedBy(seal, impostor), ring)).toMatchObject({ ok: false, reason: 'bad_signature' });
    const other = buildCommitSeal(input({ partition: 4 }), gdKey);
    expect(verifyCommitSeal({ ...seal, signature: other.signature }, ring)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });
});

describe('checkSealedBatch', () => {
  const events = commitChain(5);
  const eventHashes = events.map((event) => event.hash as string);
  const seal = buildCommitSeal(input({ eventHashes }), gdKey);

  it('accepts exactly the sealed events in log order', () => {
    expect(checkSealedBatch(seal, eventHashes)).toEqual({ ok: true });
  });

  it('rejects a batch with an event more, less, replaced or moved', () => {
    expect(checkSealedBatch(seal, [...eventHashes, sha256Hex('x')])).toMatchObject({ ok: false, reason: 'count_mismatch' });
    expect(checkSealedBatch(seal, eventHashes.slice(1))).toMatchObject({ ok: false, reason: 'count_mismatch' });
    expect(checkSealedBatch(seal, [sha256Hex('x'), ...eventHashes.slice(1)])).toMatchObject({ ok: false, reason: 'root_mismatch' });
    // `last` is signed too: a seal naming another last event does not cover this batch.
    expect(checkSealedBatch({ ...seal, last: sha256Hex('x') }, eventHashes)).toMatchObject({ ok: false, reason: 'root_mismatch', detail: expect.stringMatching(/last event/) as unknown });
    const swapped = [eventHashes[1], eventHashes[0], ...eventHashes.slice(2)] as string[];
    expect(checkSealedBatch(seal, swapped)).toMatchObject({ ok: false, reason: 'root_mismatch' });
  });

  it('refuses a hash that is not 64 lowercase hex digits rather than reading part of it', () => {
    expect(() => checkSealedBatch(seal, [...eventHashes.slice(1), 'zz'])).toThrowError(TypeError);
  });
});

describe('checkChainLink over a partition\'s seals', () => {
  const chain: CommitSeal[] = [];
  for (let sequence = 1; sequence <= 4; sequence++) {
    const prevHash = chain.at(-1)?.hash ?? GENESIS_HASH;
    chain.push(buildCommitSeal(input({ sequence, prevHash, eventHashes: hashes(sequence, `s${sequence}`) }), gdKey));
  }

  it('accepts each seal after its predecessor', () => {
    expect(chain.map((seal, index) => checkChainLink(chain[index - 1], seal).ok)).toEqual([true, true, true, true]);
  });

  it('names a gap and a fork', () => {
    expect(checkChainLink(chain[0], chain[2] as CommitSeal)).toMatchObject({ ok: false, reason: 'sequence_gap' });
    expect(checkChainLink(undefined, chain[1] as CommitSeal)).toMatchObject({ ok: false, reason: 'sequence_gap' });
    const rival = buildCommitSeal(input({ sequence: 2, prevHash: sha256Hex('elsewhere') }), gdKey);
    expect(checkChainLink(chain[0], rival)).toMatchObject({ ok: false, reason: 'prev_mismatch' });
  });
});

describe('the compiled seal reader agrees with commitSealSchema', () => {
  const mutation = fc.record({
    inSignature: fc.boolean(),
    how: fc.constantFrom('none', 'none', 'delete', 'replace', 'add'),
    key: fc.oneof(fc.constantFrom('kind', 'schemaVersion', 'side', 'topic', 'partition', 'sequence', 'prevHash', 'root', 'count', 'last', 'sealedAt', 'hash', 'signature', 'keyId', 'alg', 'value', '__proto__'), fc.string({ maxLength: 4 })),
    value: fc.oneof(fc.jsonValue({ maxDepth: 1 }), fc.constantFrom(0, 1, 2 ** 31, -1, 1.5, '', GENESIS_HASH, 'gd', 'hk', 'Ed25519', '2025-02-30T00:00:00Z', '2025-03-01T00:00:00+08:00', 'a'.repeat(250))),
  });
  const sealInput = fc.record({
    side: fc.constantFrom('gd' as const, 'hk' as const),
    topic: fc.constantFrom('gdhk.gd.events', 'a', 'x'.repeat(249)),
    partition: fc.nat({ max: 2 ** 31 - 1 }),
    sequence: fc.integer({ min: 1, max: 1e6 }),
    count: fc.integer({ min: 1, max: 5 }),
    sealedAt: fc.constantFrom('2025-03-01T02:00:00.000Z', '2025-03-01T10:00:00+08:00', '2024-02-29T00:00:00Z'),
  });
  const outcome = (parsed: ReturnType<typeof parseCommitSeal>) => (parsed.ok ? { ok: true, json: JSON.stringify(parsed.value) } : parsed);

  it('gives what zod gives, a copy with the members in the schema order, or leaves the seal to zod', () => {
    let answered = 0;
    fc.assert(
      fc.property(sealInput, mutation, ({ side, count, sequence, ...rest }, change) => {
        const seal = buildCommitSeal({ ...rest, side, sequence, prevHash: sequence === 1 ? GENESIS_HASH : sha256Hex(`p${sequence}`), eventHashes: hashes(count) }, side === 'gd' ? gdKey : hkKey);
        const json = JSON.parse(JSON.stringify(seal)) as Record<string, unknown>;
        const target = (change.inSignature ? json.signature : json) as Record<string, unknown>;
        if (change.how === 'delete') Reflect.deleteProperty(target, change.key);
        if (change.how !== 'none' && change.how !== 'delete') Object.defineProperty(target, change.how === 'add' ? `${change.key}x` : change.key, { value: change.value, enumerable: true, writable: true, configurable: true });
        const value = JSON.parse(JSON.stringify(json)) as unknown;
        const read = readCommitSeal(value);
        const reference = parseWith(commitSealSchema, value, 'seal');
        if (read !== undefined) answered += 1;
        if (read !== undefined) expect({ ok: true, json: JSON.stringify(read) }).toStrictEqual(outcome(reference));
        if (read !== undefined) expect(reference.ok && reference.value).toStrictEqual(read);
        expect(outcome(parseCommitSeal(value))).toStrictEqual(outcome(reference));
        // Every seal zod accepts is read without it.
        if (reference.ok) expect(read).toBeDefined();
      }),
      { numRuns: 2000 },
    );
    expect(answered).toBeGreaterThan(400);
  });

  it('agrees on every single member replaced by each near miss, in the seal and in its signature', () => {
    const seal = buildCommitSeal(input({ sequence: 2, prevHash: sha256Hex('p') }), gdKey);
    const first = buildCommitSeal(input(), gdKey);
    const misses: unknown[] = [null, 0, 1, -1, 1.5, 2 ** 31 - 1, 2 ** 31, 2 ** 53, '', '1', 'gd', 'hk', 'gdhk.seal', 'Ed25519', 'a'.repeat(249), 'a'.repeat(250), 'bad topic', GENESIS_HASH, GENESIS_HASH.replace(/0$/, 'A'), '2025-02-30T00:00:00Z', '2025-03-01T00:00:00+08:00', `${seal.signature.value}=`, first.signature.value, {}, []];
    let cases = 0;
    for (const base of [seal, first]) {
      for (const inSignature of [false, true]) {
        const keys = inSignature ? Object.keys(base.signature) : Object.keys(base);
        for (const key of keys) {
          for (const miss of [...misses, undefined]) {
            const json = JSON.parse(JSON.stringify(base)) as Record<string, unknown>;
            const target = (inSignature ? json.signature : json) as Record<string, unknown>;
            if (miss === undefined) Reflect.deleteProperty(target, key);
            else target[key] = miss;
            const value = JSON.parse(JSON.stringify(json)) as unknown;
            const reference = parseWith(commitSealSchema, value, 'seal');
            const read = readCommitSeal(value);
            expect(read === undefined ? undefined : JSON.stringify(read), `${key} = ${JSON.stringify(miss)}`).toBe(reference.ok ? JSON.stringify(reference.value) : undefined);
            cases += 1;
          }
        }
      }
    }
    expect(cases).toBeGreaterThan(700);
  });
});
