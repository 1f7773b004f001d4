import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCommitSeal, buildInclusionProof, contentHash, generateSigningKey, GENESIS_HASH, KeyRing, publicKeyEntry } from '@gdhk/integrity';
import { parseVerifyProofCommand, UsageError } from '../src/options.ts';
import { verifyProofText } from '../src/verify-proof.ts';

const gdKey = generateSigningKey('gd-test-1', 'gd');
const hkKey = generateSigningKey('hk-test-1', 'hk');
const keySet = { keys: [publicKeyEntry(gdKey), publicKeyEntry(hkKey)] };
const ring = new KeyRing(keySet);

/** Three events of one GD transaction on partition 2, sealed; the proof of the middle one. */
function proofText(): string {
  const events = [1, 2, 3].map((version) => {
    const body = { eventId: `event-${version}`, type: 'item.status-reported', side: 'gd', itemId: `2019-0${version}`, streamVersion: 1, occurredAt: '2025-03-01T02:00:00.000Z', data: { progress: version * 10 } };
    return { ...body, hash: contentHash(body) };
  });
  const eventHashes = events.map((event) => event.hash);
  const seal = buildCommitSeal({ side: 'gd', topic: 'gdhk.gd.events', partition: 2, sequence: 1, prevHash: GENESIS_HASH, eventHashes, sealedAt: '2025-03-01T02:00:01.000Z' }, gdKey);
  return JSON.stringify(buildInclusionProof({ event: events[1]!, eventHashes, seal, key: publicKeyEntry(gdKey) }));
}

describe('audit verify-proof', () => {
  const text = proofText();

  it('verifies a genuine proof and says which event, seal and key', () => {
    expect(verifyProofText(text, ring)).toEqual({
      verified: true,
      eventId: 'event-2',
      itemId: '2019-02',
      side: 'gd',
      streamVersion: 1,
      seal: expect.objectContaining({ topic: 'gdhk.gd.events', partition: 2, sequence: 1, count: 3 }),
      leafIndex: 1,
      keyId: 'gd-test-1',
    });
  });

  it('fails the proof when any one byte of it is altered', () => {
    const passed: string[] = [];
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index);
      // Another printable character (a digit for a digit, a letter for a letter, where it can).
      const altered = text.slice(0, index) + String.fromCharCode(code === 0x7e ? 0x7d : code ^ 1 || 0x21) + text.slice(index + 1);
      if (verifyProofText(altered, ring).verified) passed.push(`byte ${index} (${text.slice(Math.max(0, index - 10), index + 10)})`);
    }
    expect(passed).toEqual([]);
  });

  it('fails a proof against a key set that does not list its key, and text that is not JSON', () => {
    expect(verifyProofText(text, new KeyRing({ keys: [publicKeyEntry(hkKey)] }))).toMatchObject({ verified: false, reason: 'unknown_key' });
    expect(verifyProofText(text.slice(0, -1), ring)).toMatchObject({ verified: false, reason: 'malformed' });
  });

  it('takes one proof file and an optional key set', () => {
    expect(parseVerifyProofCommand(['p.json'], {})).toEqual({ proofFile: 'p.json', keySetFile: '.keys/keyset.json' });
    expect(parseVerifyProofCommand(['p.json', '--keys', 'k.json'], { GDHK_KEYS_DIR: '/keys' })).toEqual({ proofFile: 'p.json', keySetFile: 'k.json' });
    expect(() => parseVerifyProofCommand([], {})).toThrow(UsageError);
    expect(() => parseVerifyProofCommand(['a.json', 'b.json'], {})).toThrow(/one proof file/);
    expect(() => parseVerifyProofCommand(['a.json', '--key', 'k'], {})).toThrow(UsageError);
  });

  describe('as a command (the exit status a script reads)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdhk-proof-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const keys = join(dir, 'keyset.json');
    writeFileSync(keys, JSON.stringify(keySet));
    const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'verify-proof', ...args], { encoding: 'utf8', timeout: 30_000 });

    it('exits 0 with a verified line, 1 for an altered proof, 2 for a missing file or key set', () => {
      writeFileSync(join(dir, 'good.json'), text);
      const good = run(join(dir, 'good.json'), '--keys', keys);
      expect(good.status, good.stderr).toBe(0);
      expect(JSON.parse(good.stdout)).toMatchObject({ verified: true, eventId: 'event-2' });

      writeFileSync(join(dir, 'bad.json'), text.replace('"leafIndex":1', '"leafIndex":0'));
      const bad = run(join(dir, 'bad.json'), '--keys', keys);
      expect(bad.status).toBe(1);
      expect(JSON.parse(bad.stdout)).toMatchObject({ verified: false, reason: 'bad_path' });
      expect(bad.stderr).toMatch(/proof FAILED: bad_path/);

      expect(run(join(dir, 'absent.json'), '--keys', keys).status).toBe(2);
      expect(run(join(dir, 'good.json'), '--keys', join(dir, 'absent-keys.json')).status).toBe(2);
    });
  });
});
