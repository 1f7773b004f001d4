import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCommitSeal, contentHash, generateSigningKey, KeyRing, publicKeyEntry, verifyInclusionProof, type KeySet } from '@gdhk/integrity';
import type { StoredProof } from '@gdhk/readmodel';
import { KeySetFile, proofAnswer, type KeySetSource } from '../src/proof.ts';

// The proof joint-api builds from what the read model keeps: the contract's document, which the
// offline verifier accepts, for every leaf of trees of several sizes.
describe('inclusion proofs from the stored parts', () => {
  const key = generateSigningKey('gd-test-1', 'gd');
  const keySet: KeySet = { keys: [publicKeyEntry(key, { validFrom: '2020-01-01T00:00:00Z' })] };
  const keys: KeySetSource = { entry: (keyId) => keySet.keys.find((entry) => entry.keyId === keyId) };
  const ring = new KeyRing(keySet);

  const sealed = (count: number) => {
    const events = Array.from({ length: count }, (_, n) => {
      const body = { eventId: `0193f5a0-7c00-7000-8000-${String(n).padStart(12, '0')}`, side: 'gd', itemId: '2019-01', type: 'item.assigned', streamVersion: n + 1, data: { department: `Dept ${n}` } };
      return { ...body, hash: contentHash(body) };
    });
    const hashes = events.map((event) => event.hash);
    const seal = buildCommitSeal({ side: 'gd', topic: 'gdhk.gd.events', partition: 2, sequence: 1, prevHash: '0'.repeat(64), eventHashes: hashes, sealedAt: '2026-12-01T10:00:00.000Z' }, key);
    // The stored parts: the event's text as the log held it (any spacing), the seal's JSON, the hashes.
    const stored = (leafIndex: number): StoredProof => ({ kind: 'sealed', ref: 'gd/2@9', leafIndex, seal: JSON.stringify(seal), hashes, event: JSON.stringify(events[leafIndex], null, 1) });
    return { events, seal, stored };
  };

  it.each([1, 2, 3, 5, 8, 13])('gives every leaf of a %i-event seal a proof the verifier accepts', (count) => {
    const { events, seal, stored } = sealed(count);
    for (let leaf = 0; leaf < count; leaf++) {
      const answer = proofAnswer(events[leaf]?.eventId ?? '', stored(leaf), keys);
      if (!answer.ok) throw new Error(answer.detail);
      expect(answer.proof).toMatchObject({ kind: 'gdhk.inclusion-proof', schemaVersion: 1, leafIndex: leaf, treeSize: count, seal, key: keySet.keys[0], event: events[leaf] });
      expect(verifyInclusionProof(JSON.parse(JSON.stringify(answer.proof)), ring)).toMatchObject({ ok: true });
    }
  });

  it('says why there is no proof: unknown, or of schema version 1', () => {
    expect(proofAnswer('x', { kind: 'unknown' }, keys)).toMatchObject({ ok: false, code: 'GDHK_EVENT_NOT_FOUND' });
    expect(proofAnswer('x', { kind: 'version-one' }, keys)).toMatchObject({ ok: false, code: 'GDHK_EVENT_NOT_SEALED', detail: expect.stringContaining('schema version 1') });
  });

  it('refuses stored parts that do not make the proof (a leaf that is not the event, a key the set lacks)', () => {
    const { events, stored } = sealed(3);
    expect(() => proofAnswer(events[0]?.eventId ?? '', { ...stored(0), leafIndex: 1 } as StoredProof, keys)).toThrow(/leaf 0/);
    expect(() => proofAnswer(events[0]?.eventId ?? '', stored(0), { entry: () => undefined })).toThrow(/does not list key/);
  });

  const dir = mkdtempSync(join(tmpdir(), 'gdhk-keyset-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the key-set file again once it changed: a proof carries the entry as the set lists it now', () => {
    const file = join(dir, 'keyset.json');
    writeFileSync(file, JSON.stringify(keySet));
    const source = new KeySetFile(file);
    expect(source.entry('gd-test-1')).toEqual(keySet.keys[0]);
    expect(source.entry('gd-test-2')).toBeUndefined();
    const rotated = { keys: [{ ...keySet.keys[0], validUntil: '2027-01-01T00:00:00Z' }, publicKeyEntry(generateSigningKey('gd-test-2', 'gd'))] };
    writeFileSync(file, JSON.stringify(rotated, null, 2));
    expect(source.entry('gd-test-1')).toEqual(rotated.keys[0]);
    expect(source.entry('gd-test-2')?.keyId).toBe('gd-test-2');
  });
});
