import { Buffer } from 'node:buffer';
import { createPublicKey, verify } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  eventHash,
  generateSigningKey,
  GENESIS_HASH,
  KeyRing,
  publicKeyEntry,
  sealEvent,
  sha256Hex,
  signingKeyFromPem,
  verifyEventSignature,
} from '../src/index.ts';
import {
  defineMember,
  gdKey,
  hkKey,
  keyOf,
  reorderKeys,
  rfc8032Pem,
  ring,
  sealChain,
  unsealedEvent,
  unsealedEventArbitrary,
} from './fixtures.ts';

describe('sealEvent', () => {
  it('sets prevHash, the hash of everything else, and an Ed25519 signature over the hex hash', () => {
    const unsealed = unsealedEvent();
    const event = sealEvent(unsealed, GENESIS_HASH, gdKey);

    expect(event).toMatchObject({ ...unsealed, prevHash: GENESIS_HASH });
    expect(event.hash).toBe(sha256Hex(canonicalJson({ ...unsealed, prevHash: GENESIS_HASH })));
    expect(event.hash).toBe(eventHash(event));
    expect(event.signature).toMatchObject({ keyId: 'gd-2025-01', alg: 'Ed25519' });
    const signed = Buffer.from(event.hash, 'utf8');
    const signature = Buffer.from(event.signature.value, 'base64url');
    expect(verify(null, signed, createPublicKey(gdKey.privateKey), signature)).toBe(true);
    expect(verifyEventSignature(event, ring)).toEqual({ ok: true, event });
  });

  it('produces fixed bytes for a fixed event and key', () => {
    // Expected values were cross-checked with sha256sum and `openssl pkeyutl -sign -rawin`.
    const key = signingKeyFromPem('gd-kat', 'gd', rfc8032Pem());
    const event = sealEvent({ side: 'gd', itemId: '2019-01', streamVersion: 1, data: { b: '\u00e9', a: [1e21, 0.5] } }, GENESIS_HASH, key);
    const canonical = `{"data":{"a":[1e+21,0.5],"b":"\u00e9"},"itemId":"2019-01","prevHash":"${GENESIS_HASH}","side":"gd","streamVersion":1}`;
    expect(sha256Hex(Buffer.from(canonical, 'utf8'))).toBe('c2b1f526ee748411c1af4f8d91962f73f3f1bad29594134e65e40b049efd2759');
    expect(event.hash).toBe('c2b1f526ee748411c1af4f8d91962f73f3f1bad29594134e65e40b049efd2759');
    expect(event.signature).toEqual({
      keyId: 'gd-kat',
      alg: 'Ed25519',
      value: 'UcxLinlCgIYwopWLHdL74PeZZDCkmZxyfRZ8u3SXiQutbiamHee31hlWcyLV-LBv-q7ASQ_f_IeLmx5LXxF8Bw',
    });
  });

  it('replaces seal fields already present instead of hashing them', () => {
    const once = sealEvent(unsealedEvent(), GENESIS_HASH, gdKey);
    const again = sealEvent(once, GENESIS_HASH, gdKey);
    expect(again.hash).toBe(once.hash);
  });

  it('refuses a key of the other side and a malformed prevHash', () => {
    expect(() => sealEvent(unsealedEvent({ side: 'gd' }), GENESIS_HASH, hkKey)).toThrowError(/a gd event cannot be signed with hk key/);
    expect(() => sealEvent(unsealedEvent(), 'abc', gdKey)).toThrowError(/prevHash must be 64 lowercase hex/);
    expect(() => sealEvent(unsealedEvent(), GENESIS_HASH.toUpperCase().replace(/0/g, 'A'), gdKey)).toThrowError(/prevHash/);
  });

  it('refuses content that is not I-JSON', () => {
    expect(() => sealEvent(unsealedEvent({ data: { progress: Number.NaN } }), GENESIS_HASH, gdKey)).toThrowError(/\$\.data\.progress: NaN/);
    expect(() => sealEvent(unsealedEvent({ data: { note: undefined } }), GENESIS_HASH, gdKey)).toThrowError(/\$\.data\.note: undefined/);
  });
});

describe('verifyEventSignature', () => {
  it('rejects an event signed with the other side\'s key as unknown_key', () => {
    const hkSigned = sealEvent(unsealedEvent({ side: 'hk' }), GENESIS_HASH, hkKey);
    const relabelled = sealEvent(unsealedEvent({ side: 'gd' }), GENESIS_HASH, { ...hkKey, side: 'gd' });
    expect(verifyEventSignature(hkSigned, ring).ok).toBe(true);
    expect(verifyEventSignature(relabelled, ring)).toEqual({ ok: false, reason: 'unknown_key', detail: 'key hk-2025-01 belongs to side hk, not gd' });
  });

  it('verifies old and new events across a key rotation, and only inside each key\'s window', () => {
    const old = generateSigningKey('gd-2024', 'gd');
    const current = generateSigningKey('gd-2025', 'gd');
    const rotated = new KeyRing({
      keys: [
        publicKeyEntry(old, { validFrom: '2024-01-01T00:00:00Z', validUntil: '2025-01-01T00:00:00Z' }),
        publicKeyEntry(current, { validFrom: '2025-01-01T00:00:00Z' }),
      ],
    });
    const before = sealEvent(unsealedEvent({ streamVersion: 1, occurredAt: '2024-12-31T23:59:59.999Z' }), GENESIS_HASH, old);
    const after = sealEvent(unsealedEvent({ streamVersion: 2, occurredAt: '2025-01-01T00:00:00.000Z' }), before.hash, current);
    const lateOldKey = sealEvent(unsealedEvent({ streamVersion: 2, occurredAt: '2025-01-01T00:00:00.000Z' }), before.hash, old);
    const earlyNewKey = sealEvent(unsealedEvent({ streamVersion: 1, occurredAt: '2023-06-01T00:00:00.000Z' }), GENESIS_HASH, current);

    expect([before, after].map((event) => verifyEventSignature(event, rotated).ok)).toEqual([true, true]);
    expect(verifyEventSignature(lateOldKey, rotated)).toMatchObject({ ok: false, reason: 'unknown_key', detail: expect.stringMatching(/gd-2024 is not valid at 2025-01-01T00:00:00.000Z/) as unknown });
    expect(verifyEventSignature(earlyNewKey, rotated)).toMatchObject({ ok: false, reason: 'unknown_key' });
  });

  it('calls a value that is not an event malformed', () => {
    expect(verifyEventSignature('{"side":"gd"}', ring)).toMatchObject({ ok: false, reason: 'malformed', detail: expect.stringMatching(/expected a JSON object/) as unknown });
    const { signature: _signature, ...unsigned } = sealChain(1)[0] ?? {};
    expect(verifyEventSignature(unsigned, ring)).toEqual({ ok: false, reason: 'malformed', detail: 'signature is missing' });
  });
});

type Path = (string | number)[];

function pathsOf(value: unknown, prefix: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [];
  const children: [string | number, unknown][] = Array.isArray(value) ? value.map((child, index) => [index, child]) : Object.entries(value);
  return children.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

function valueAt(root: unknown, path: Path): unknown {
  return path.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], root);
}

function mutated(event: object, path: Path, replacement: { value: unknown } | 'delete'): unknown {
  const copy = JSON.parse(JSON.stringify(event)) as Record<string, unknown>;
  const parent = valueAt(copy, path.slice(0, -1));
  const key = path[path.length - 1] as string | number;
  if (Array.isArray(parent)) {
    if (replacement === 'delete') parent.splice(key as number, 1);
    else parent[key as number] = replacement.value;
  } else {
    const record = parent as Record<string, unknown>;
    if (replacement === 'delete') delete record[key];
    else defineMember(record, String(key), replacement.value);
  }
  return copy;
}

describe('properties of sealed events', () => {
  const sealedArbitrary = unsealedEventArbitrary.map((unsealed) => sealEvent({ ...unsealed, schemaVersion: 1, streamVersion: 1 }, GENESIS_HASH, keyOf[unsealed.side]));

  it('(a) every single-field change or deletion, at any depth, fails verification', () => {
    const anyJson = fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 2 });
    fc.assert(fc.property(sealedArbitrary, fc.nat(), fc.option(anyJson, { freq: 4 }), (event, pick, replacement) => {
      const paths = pathsOf(event);
      const path = paths[pick % paths.length] as Path;
      const change = replacement === null ? 'delete' as const : { value: replacement };
      if (change !== 'delete') fc.pre(canonicalJson(change.value) !== canonicalJson(valueAt(event, path)));
      const tampered = mutated(event, path, change);

      expect(verifyEventSignature(tampered, ring).ok).toBe(false);
    }), { numRuns: 1000 });
  });

  it('(b) survives JSON re-serialisation and any member order', () => {
    fc.assert(fc.property(sealedArbitrary, fc.integer(), (event, seed) => {
      const reparsed = JSON.parse(JSON.stringify(event)) as unknown;
      const reordered = JSON.parse(JSON.stringify(reorderKeys(reparsed, seed))) as unknown;
      for (const copy of [reparsed, reordered]) {
        expect(verifyEventSignature(copy, ring)).toMatchObject({ ok: true });
      }
    }), { numRuns: 1000 });
  });
});
