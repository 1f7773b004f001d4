import { Buffer } from 'node:buffer';
import { sign } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildCheckpoint,
  buildCommitSeal,
  canonicalJson,
  checkChainLink,
  compareCheckpointsWithLog,
  contentHash,
  GENESIS_HASH,
  KeyRing,
  parseCheckpoint,
  publicKeyEntry,
  sha256Hex,
  verifyCheckpoint,
} from '../src/index.ts';
import type { Checkpoint, CheckpointHead, CheckpointInput, CommitSeal, SealChains } from '../src/index.ts';
import { gdKey, hkKey, ring } from './fixtures.ts';

/** GD's seals on three partitions: partition p holds `lengths[p]` seals. */
function gdSeals(lengths: number[]): CommitSeal[][] {
  return lengths.map((length, partition) => {
    const chain: CommitSeal[] = [];
    for (let sequence = 1; sequence <= length; sequence++) {
      chain.push(buildCommitSeal({
        side: 'gd',
        topic: 'gdhk.gd.events',
        partition,
        sequence,
        prevHash: chain.at(-1)?.hash ?? GENESIS_HASH,
        eventHashes: [sha256Hex(`${partition}/${sequence}`)],
        sealedAt: new Date(Date.UTC(2025, 2, 1, 0, sequence)).toISOString(),
      }, gdKey));
    }
    return chain;
  });
}

const headsOf = (chains: CommitSeal[][]): CheckpointHead[] => chains.flatMap((chain) => {
  const last = chain.at(-1);
  return last === undefined ? [] : [{ partition: last.partition, sequence: last.sequence, sealHash: last.hash }];
});

const chainsOf = (chains: CommitSeal[][]): SealChains =>
  new Map(chains.map((chain, partition) => [partition, new Map(chain.map((seal) => [seal.sequence, seal.hash]))]));

const input = (heads: CheckpointHead[], overrides: Partial<CheckpointInput> = {}): CheckpointInput => ({
  side: 'hk',
  observedSide: 'gd',
  sequence: 1,
  prevHash: GENESIS_HASH,
  observedAt: '2025-03-01T04:00:00.000Z',
  heads,
  ...overrides,
});

describe('buildCheckpoint', () => {
  const seals = gdSeals([3, 1, 2]);

  it('cosigns the other side\'s heads, sorted by partition, hashed and signed like a seal', () => {
    const checkpoint = buildCheckpoint(input(headsOf(seals).reverse()), hkKey);
    expect(Object.keys(checkpoint).sort()).toEqual(
      ['hash', 'heads', 'kind', 'observedAt', 'observedSide', 'prevHash', 'schemaVersion', 'sequence', 'side', 'signature'],
    );
    expect(checkpoint.heads).toEqual(headsOf(seals));
    expect(checkpoint).toMatchObject({ kind: 'gdhk.checkpoint', schemaVersion: 1, side: 'hk', observedSide: 'gd', sequence: 1 });
    const { hash: _hash, signature: _signature, ...hashed } = checkpoint;
    expect(checkpoint.hash).toBe(sha256Hex(canonicalJson(hashed)));
    expect(verifyCheckpoint(checkpoint, ring)).toEqual({ ok: true });
    expect(parseCheckpoint(JSON.parse(JSON.stringify(checkpoint)))).toEqual({ ok: true, value: checkpoint });
  });

  it.each<[string, CheckpointInput, RegExp]>([
    ['its own side', input(headsOf(seals), { observedSide: 'hk' }), /observedSide/],
    ['no heads', input([]), /heads/],
    ['two heads of one partition', input([...headsOf(seals), { partition: 0, sequence: 1, sealHash: sha256Hex('x') }]), /heads/],
    ['a head at sequence 0', input([{ partition: 0, sequence: 0, sealHash: GENESIS_HASH }]), /heads\[0\]\.sequence/],
    ['a later checkpoint chained to nothing', input(headsOf(seals), { sequence: 2 }), /prevHash/],
  ])('refuses to cosign %s', (_, checkpointInput, message) => {
    expect(() => buildCheckpoint(checkpointInput, hkKey)).toThrowError(message);
  });

  it('refuses a key of another side than the cosigning one', () => {
    expect(() => buildCheckpoint(input(headsOf(seals)), gdKey)).toThrowError(/buildCheckpoint: a hk record cannot be signed with gd key/);
  });
});

describe('parseCheckpoint and verifyCheckpoint', () => {
  const checkpoint = buildCheckpoint(input(headsOf(gdSeals([2, 2]))), hkKey);

  it.each<[string, unknown, RegExp]>([
    ['heads out of order', { ...checkpoint, heads: [...checkpoint.heads].reverse() }, /heads: heads in strictly ascending/],
    ['a head with a member too many', { ...checkpoint, heads: [{ ...checkpoint.heads[0], note: 1 }, checkpoint.heads[1]] }, /heads\[0\]: Unrecognized key/],
    ['a seal kind', { ...checkpoint, kind: 'gdhk.seal' }, /kind/],
    ['a partition past int32', { ...checkpoint, heads: [{ ...checkpoint.heads[0], partition: 2 ** 31 }] }, /partition/],
  ])('parse rejects %s', (_, json, detail) => {
    expect(parseCheckpoint(json)).toMatchObject({ ok: false, reason: 'malformed', detail: expect.stringMatching(detail) });
  });

  it('parse never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.jsonValue()), (json) => {
      expect(parseCheckpoint(json).ok).toBe(false);
    }), { numRuns: 300 });
  });

  it('verify finds a changed head, a foreign or retired key and a bad signature', () => {
    const moved = { ...checkpoint, heads: [{ ...checkpoint.heads[0] as CheckpointHead, sequence: 1 }, checkpoint.heads[1] as CheckpointHead] };
    expect(verifyCheckpoint(moved, ring)).toMatchObject({ ok: false, reason: 'bad_hash' });
    const byGd = { ...checkpoint, signature: { keyId: gdKey.keyId, alg: 'Ed25519' as const, value: sign(null, Buffer.from(checkpoint.hash), gdKey.privateKey).toString('base64url') } };
    expect(verifyCheckpoint(byGd, ring)).toMatchObject({ ok: false, reason: 'foreign_key' });
    const retired = new KeyRing({ keys: [publicKeyEntry(hkKey, { validUntil: '2025-03-01T00:00:00Z' })] });
    expect(verifyCheckpoint(checkpoint, retired)).toMatchObject({ ok: false, reason: 'key_not_valid' });
    const other = buildCheckpoint(input(headsOf(gdSeals([1]))), hkKey);
    expect(verifyCheckpoint({ ...checkpoint, signature: other.signature }, ring)).toMatchObject({ ok: false, reason: 'bad_signature' });
  });

  it('chains a side\'s checkpoints like a partition\'s seals', () => {
    const next = buildCheckpoint(input(headsOf(gdSeals([3, 2])), { sequence: 2, prevHash: checkpoint.hash }), hkKey);
    expect(checkChainLink(checkpoint, next)).toEqual({ ok: true });
    expect(checkChainLink(undefined, next)).toMatchObject({ ok: false, reason: 'sequence_gap' });
    const forked = { ...next, prevHash: contentHash({ other: true }) };
    expect(checkChainLink(checkpoint, forked)).toMatchObject({ ok: false, reason: 'prev_mismatch' });
  });
});

describe('compareCheckpointsWithLog', () => {
  const seals = gdSeals([3, 1, 2]);
  const early = buildCheckpoint(input(headsOf(gdSeals([2, 1, 1]))), hkKey);
  const late = buildCheckpoint(input(headsOf(seals), { sequence: 2, prevHash: early.hash, observedAt: '2025-03-01T05:00:00.000Z' }), hkKey);

  it('finds nothing in the log the checkpoints saw, nor in one that has grown since', () => {
    expect(compareCheckpointsWithLog({ side: 'gd', seals: chainsOf(seals) }, [early, late])).toEqual([]);
    const grown = gdSeals([5, 4, 2]);
    expect(compareCheckpointsWithLog({ side: 'gd', seals: chainsOf(grown) }, [early, late])).toEqual([]);
  });

  it('reports a cosigned head the log no longer holds: truncated', () => {
    const truncated = [seals[0]?.slice(0, 2), seals[1], seals[2]] as CommitSeal[][];
    const findings = compareCheckpointsWithLog({ side: 'gd', seals: chainsOf(truncated) }, [early, late]);
    expect(findings).toEqual([{
      problem: 'head_missing',
      checkpoint: { side: 'hk', sequence: 2, hash: late.hash, observedAt: late.observedAt },
      partition: 0,
      sequence: 3,
      cosignedSeal: seals[0]?.[2]?.hash,
      loggedSeal: null,
      detail: expect.stringMatching(/^hk checkpoint 2 \(2025-03-01T05:00:00\.000Z\) cosigned gd partition 0 seal 3 as [0-9a-f]{64}; the log has no such seal$/),
    }]);
    const partitionGone = new Map([...chainsOf(seals)].filter(([partition]) => partition !== 2));
    expect(compareCheckpointsWithLog({ side: 'gd', seals: partitionGone }, [early, late]).map(({ problem, partition, sequence }) => [problem, partition, sequence]))
      .toEqual([['head_missing', 2, 1], ['head_missing', 2, 2]]);
  });

  it('reports a cosigned head the log holds otherwise: rewritten, or shown to the cosigner as a split view', () => {
    const rewritten = gdSeals([3, 1, 2]).map((chain, partition) => (partition === 1
      ? [buildCommitSeal({ side: 'gd', topic: 'gdhk.gd.events', partition: 1, sequence: 1, prevHash: GENESIS_HASH, eventHashes: [sha256Hex('rewritten')], sealedAt: '2025-03-01T00:01:00.000Z' }, gdKey)]
      : chain));
    const findings = compareCheckpointsWithLog({ side: 'gd', seals: chainsOf(rewritten) }, [early, late]);
    expect(findings.map(({ problem, checkpoint, partition, sequence, loggedSeal }) => [problem, checkpoint.sequence, partition, sequence, loggedSeal]))
      .toEqual([['head_differs', 1, 1, 1, rewritten[1]?.[0]?.hash], ['head_differs', 2, 1, 1, rewritten[1]?.[0]?.hash]]);
    expect(findings[0]?.detail).toMatch(/the log holds [0-9a-f]{64}$/);
  });

  it('passes over checkpoints about the other log', () => {
    const aboutHk: Checkpoint = buildCheckpoint({ ...input([{ partition: 0, sequence: 9, sealHash: sha256Hex('hk') }]), side: 'gd', observedSide: 'hk' }, gdKey);
    expect(compareCheckpointsWithLog({ side: 'gd', seals: chainsOf(seals) }, [aboutHk])).toEqual([]);
  });
});
