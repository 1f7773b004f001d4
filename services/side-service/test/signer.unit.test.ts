import { buildCheckpoint, buildCommitSeal, checkSealedBatch, generateSigningKey, GENESIS_HASH, KeyRing, publicKeyEntry, sha256Hex, verifyCommitSeal } from '@gdhk/integrity';
import { afterAll, describe, expect, it } from 'vitest';
import { WorkerSealer } from '../src/signer.ts';

// Both ways of signing: small batches on the calling thread (the default), every batch on the worker.
describe.each([
  ['small batches on the calling thread', {}],
  ['every batch on the worker thread', { inlineUpTo: 0 }],
])('WorkerSealer, %s', (_, options) => {
  const key = generateSigningKey('gd-unit', 'gd');
  const sealer = new WorkerSealer(key, options);
  afterAll(() => sealer.close());

  const hashes = (n: number, salt = '') => Array.from({ length: n }, (_, i) => sha256Hex(`${salt}${i}`));
  const input = (partition: number, eventHashes: string[]) => ({
    side: 'gd' as const,
    topic: 'gdhk.gd.events',
    partition,
    sequence: 1,
    prevHash: GENESIS_HASH,
    eventHashes,
    sealedAt: '2025-01-01T00:00:00.000Z',
  });

  it('seals byte for byte as @gdhk/integrity does (Ed25519 is deterministic)', async () => {
    const sealed = await sealer.sealCommit(input(3, hashes(5)));
    const built = buildCommitSeal(input(3, hashes(5)), key);
    expect(sealed).toEqual(built);
    expect(JSON.stringify(sealed)).toBe(JSON.stringify(built));
  });

  it('signs many seals offered together, each verifiable and committing to its batch', async () => {
    const ring = new KeyRing({ keys: [publicKeyEntry(key)] });
    const batches = Array.from({ length: 50 }, (_, partition) => hashes(partition + 1, `p${partition}`));
    const seals = await Promise.all(batches.map((batch, partition) => sealer.sealCommit(input(partition, batch))));
    expect(seals.every((seal) => verifyCommitSeal(seal, ring).ok)).toBe(true);
    expect(seals.every((seal, partition) => checkSealedBatch(seal, batches[partition] ?? []).ok)).toBe(true);
  });

  it('signs a cosigned checkpoint byte for byte as @gdhk/integrity builds it, and refuses one of the other side', async () => {
    const checkpoint = { side: 'gd' as const, observedSide: 'hk' as const, sequence: 1, prevHash: GENESIS_HASH, observedAt: '2025-01-01T00:00:00.000Z', heads: [{ partition: 2, sequence: 4, sealHash: sha256Hex('b') }, { partition: 0, sequence: 9, sealHash: sha256Hex('a') }] };
    const signed = await sealer.signCheckpoint(checkpoint);
    expect(JSON.stringify(signed)).toBe(JSON.stringify(buildCheckpoint(checkpoint, key)));
    await expect(sealer.signCheckpoint({ ...checkpoint, side: 'hk', observedSide: 'gd' })).rejects.toThrow(TypeError);
  });

  it('refuses a seal of the other side, and input that makes no valid seal', async () => {
    await expect(sealer.sealCommit({ ...input(0, hashes(1)), side: 'hk' })).rejects.toThrow(TypeError);
    await expect(sealer.sealCommit(input(0, []))).rejects.toThrow(TypeError);
    await expect(sealer.sealCommit({ ...input(0, hashes(1)), sequence: 2 })).rejects.toThrow(TypeError);
  });
});
