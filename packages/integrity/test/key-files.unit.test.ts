import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ensureDevKeySet,
  generateSigningKey,
  GENESIS_HASH,
  KeyRing,
  parseSigningKeyFile,
  publicKeyEntry,
  readKeyRingFile,
  readKeySetFile,
  readSigningKeyFile,
  sealEvent,
  signingKeyToJson,
  verifyEventSignature,
} from '../src/index.ts';
import { unsealedEvent } from './fixtures.ts';

const folders: string[] = [];
function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'gdhk-integrity-'));
  folders.push(folder);
  return join(folder, 'keys');
}
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

describe('signing key files', () => {
  it('round-trip through JSON', () => {
    const key = generateSigningKey('hk-7', 'hk');
    const reread = parseSigningKeyFile(JSON.parse(JSON.stringify(signingKeyToJson(key))));
    expect(publicKeyEntry(reread)).toEqual(publicKeyEntry(key));
  });

  it('are validated', () => {
    expect(() => parseSigningKeyFile({ keyId: 'gd-1', side: 'gd', alg: 'RS256', privateKeyPem: '' })).toThrowError(/alg must be "Ed25519"/);
  });
});

describe('ensureDevKeySet', () => {
  it('creates both sides\' keys and a key set that verifies what they sign', async () => {
    const keysDir = freshFolder();
    const { signingKeyFiles, keySetFile, keySet } = await ensureDevKeySet(keysDir);
    expect(keySet.keys.map((entry) => entry.side)).toEqual(['gd', 'hk']);
    expect(readKeySetFile(keySetFile)).toEqual(keySet);
    expect(statSync(signingKeyFiles.gd).mode & 0o777).toBe(0o600);

    const gd = readSigningKeyFile(join(keysDir, 'signing-gd.json'), 'gd');
    const event = sealEvent(unsealedEvent({ side: 'gd' }), GENESIS_HASH, gd);
    expect(verifyEventSignature(event, KeyRing.fromJson(JSON.parse(readFileSync(keySetFile, 'utf8')))).ok).toBe(true);
    expect(verifyEventSignature(event, readKeyRingFile(keySetFile)).ok).toBe(true);
    expect(() => readSigningKeyFile(signingKeyFiles.hk, 'gd')).toThrowError(/holds a hk key, expected gd/);
  });

  it('keeps existing keys and the key set\'s other entries', async () => {
    const keysDir = freshFolder();
    const first = await ensureDevKeySet(keysDir);
    const retired = publicKeyEntry(generateSigningKey('gd-retired', 'gd'), { validUntil: '2025-01-01T00:00:00Z' });
    writeFileSync(first.keySetFile, JSON.stringify({ keys: [retired, ...first.keySet.keys] }));

    const second = await ensureDevKeySet(keysDir);
    expect(second.keySet.keys.map((entry) => entry.keyId)).toEqual(['gd-retired', ...first.keySet.keys.map((entry) => entry.keyId)]);
  });

  it('adds a regenerated key under a new id', async () => {
    const keysDir = freshFolder();
    const first = await ensureDevKeySet(keysDir);
    rmSync(first.signingKeyFiles.hk);
    const second = await ensureDevKeySet(keysDir);
    expect(second.keySet.keys).toHaveLength(3);
    expect(new Set(second.keySet.keys.map((entry) => entry.keyId)).size).toBe(3);
  });
});
