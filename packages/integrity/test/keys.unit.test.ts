import { Buffer } from 'node:buffer';
import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  exportPrivateKeyPem,
  generateSigningKey,
  KeyRing,
  KeySetError,
  parseKeySet,
  publicKeyEntry,
  signingKeyFromPem,
} from '../src/index.ts';
import { rfc8032EmptyMessageSignature, rfc8032Pem, rfc8032PublicKey } from './fixtures.ts';

describe('signing keys', () => {
  it('reads a PKCS#8 PEM Ed25519 key and publishes its raw public key as base64url', () => {
    const key = signingKeyFromPem('gd-rfc8032', 'gd', rfc8032Pem());
    expect(sign(null, Buffer.alloc(0), key.privateKey).toString('hex')).toBe(rfc8032EmptyMessageSignature);
    expect(publicKeyEntry(key)).toEqual({
      keyId: 'gd-rfc8032',
      side: 'gd',
      alg: 'Ed25519',
      publicKey: Buffer.from(rfc8032PublicKey, 'hex').toString('base64url'),
    });
  });

  it('round-trips a generated key through PEM', () => {
    const key = generateSigningKey('hk-1', 'hk');
    const pem = exportPrivateKeyPem(key);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    const reread = signingKeyFromPem('hk-1', 'hk', pem);
    expect(publicKeyEntry(reread)).toEqual(publicKeyEntry(key));
  });

  it('refuses PEM that is not an Ed25519 private key', () => {
    expect(() => signingKeyFromPem('gd-1', 'gd', 'not a pem')).toThrowError(/not a readable PEM private key/);
    expect(() => signingKeyFromPem('', 'gd', rfc8032Pem())).toThrowError(KeySetError);
  });
});

describe('parseKeySet', () => {
  const gd = publicKeyEntry(generateSigningKey('gd-1', 'gd'), { validFrom: '2025-01-01T00:00:00Z' });
  const hk = publicKeyEntry(generateSigningKey('hk-1', 'hk'));

  it('accepts the published format and survives JSON', () => {
    const keySet = { keys: [gd, hk] };
    expect(parseKeySet(JSON.parse(JSON.stringify(keySet)))).toEqual(keySet);
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', [], /expected an object \{ keys/],
    ['keys not an array', { keys: {} }, /"keys" must be an array/],
    ['an entry that is not an object', { keys: [1] }, /keys\[0\]: expected an object/],
    ['an empty keyId', { keys: [{ ...hk, keyId: '' }] }, /keys\[0\]\.keyId/],
    ['an unknown side', { keys: [{ ...hk, side: 'mo' }] }, /keys\[0\]\.side: expected "gd" or "hk"/],
    ['another algorithm', { keys: [{ ...hk, alg: 'ES256' }] }, /keys\[0\]\.alg: expected "Ed25519"/],
    ['padded base64', { keys: [{ ...hk, publicKey: `${hk.publicKey}=` }] }, /keys\[0\]\.publicKey/],
    ['a short key', { keys: [{ ...hk, publicKey: hk.publicKey.slice(0, 40) }] }, /keys\[0\]\.publicKey/],
    ['a date without offset', { keys: [{ ...hk, validFrom: '2025-01-01T00:00:00' }] }, /keys\[0\]\.validFrom: expected an ISO-8601/],
    ['an impossible date', { keys: [{ ...hk, validUntil: '2025-02-30T00:00:00Z' }] }, /keys\[0\]\.validUntil/],
    ['an empty window', { keys: [{ ...hk, validFrom: '2025-01-01T00:00:00Z', validUntil: '2025-01-01T00:00:00Z' }] }, /validFrom must be before validUntil/],
    ['a duplicate keyId', { keys: [hk, { ...gd, keyId: 'hk-1' }] }, /keyId "hk-1" appears twice/],
    ['one key under two ids', { keys: [hk, { ...hk, keyId: 'gd-9', side: 'gd' }] }, /share one public key/],
  ])('rejects %s', (_name, json, message) => {
    expect(() => parseKeySet(json)).toThrowError(KeySetError);
    expect(() => parseKeySet(json)).toThrowError(message);
  });
});

describe('KeyRing.lookup', () => {
  const old = generateSigningKey('gd-2024', 'gd');
  const current = generateSigningKey('gd-2025', 'gd');
  const ring = KeyRing.fromJson({
    keys: [
      publicKeyEntry(old, { validUntil: '2025-01-01T00:00:00Z' }),
      publicKeyEntry(current, { validFrom: '2025-01-01T08:00:00+08:00' }),
    ],
  });

  it('treats validFrom as inclusive and validUntil as exclusive', () => {
    expect(ring.lookup('gd-2024', { side: 'gd', occurredAt: '2024-12-31T23:59:59.999Z' }).ok).toBe(true);
    expect(ring.lookup('gd-2024', { side: 'gd', occurredAt: '2025-01-01T00:00:00.000Z' }).ok).toBe(false);
    expect(ring.lookup('gd-2025', { side: 'gd', occurredAt: '2025-01-01T00:00:00.000Z' }).ok).toBe(true);
    expect(ring.lookup('gd-2025', { side: 'gd', occurredAt: '2024-12-31T23:59:59.999Z' }).ok).toBe(false);
  });

  it('says why a key does not apply', () => {
    expect(ring.lookup('gd-2026', { side: 'gd', occurredAt: '2025-06-01T00:00:00Z' })).toEqual({ ok: false, problem: 'unknown_key', detail: 'key "gd-2026" is not in the key ring' });
    expect(ring.lookup('gd-2025', { side: 'hk', occurredAt: '2025-06-01T00:00:00Z' })).toMatchObject({ ok: false, problem: 'foreign_key', detail: 'key gd-2025 belongs to side gd, not hk' });
    expect(ring.lookup('gd-2024', { side: 'gd', occurredAt: '2025-06-01T00:00:00Z' })).toMatchObject({ ok: false, problem: 'key_not_valid', detail: expect.stringMatching(/not valid at 2025-06-01T00:00:00Z/) as unknown });
  });

  it('lists its keys', () => {
    expect(ring.keyIds).toEqual(['gd-2024', 'gd-2025']);
    expect(ring.entry('gd-2024')?.validUntil).toBe('2025-01-01T00:00:00Z');
  });
});
