import { describe, expect, it } from 'vitest';
import { buildCheckpoint, GENESIS_HASH, sha256Hex, type Checkpoint, type CheckpointHead } from '@gdhk/integrity';
import { witness } from '../src/witness.ts';
import { keys } from './fixtures.ts';

const topics = { gd: 't.gd.events', hk: 't.hk.events' };
const seal = (side: string, partition: number, sequence: number, version = '') => sha256Hex(`${side} ${partition}/${sequence}${version}`);
const run = (side: 'gd' | 'hk', partition: number, count: number) => ({ topic: topics[side], partition, first: 1, hashes: Array.from({ length: count }, (_, index) => seal(side, partition, index + 1)) });

/** `side`'s chain of checkpoints over the other side's heads. */
function chain(side: 'gd' | 'hk', headsPerCheckpoint: CheckpointHead[][]): { checkpoint: Checkpoint; where: { topic: string; partition: number; offset: string } }[] {
  let prevHash = GENESIS_HASH;
  return headsPerCheckpoint.map((heads, index) => {
    const checkpoint = buildCheckpoint({ side, observedSide: side === 'gd' ? 'hk' : 'gd', sequence: index + 1, prevHash, observedAt: `2025-03-01T00:00:0${index}Z`, heads }, keys[side]);
    prevHash = checkpoint.hash;
    return { checkpoint, where: { topic: topics[side], partition: 0, offset: String(index * 10) } };
  });
}

describe('witness: cosigned heads against the seals the audit verified', () => {
  it('a consistent log: no failure, and the latest cosigned head of each partition with the latest checkpoint that cosigned it', () => {
    const hkCosigns = chain('hk', [
      [{ partition: 0, sequence: 1, sealHash: seal('gd', 0, 1) }],
      [{ partition: 0, sequence: 2, sealHash: seal('gd', 0, 2) }, { partition: 1, sequence: 1, sealHash: seal('gd', 1, 1) }],
      [{ partition: 0, sequence: 2, sealHash: seal('gd', 0, 2) }, { partition: 1, sequence: 1, sealHash: seal('gd', 1, 1) }],
    ]);
    const gdCosigns = chain('gd', [[{ partition: 1, sequence: 3, sealHash: seal('hk', 1, 3) }]]);
    // gd's log has grown past what hk cosigned: consistent.
    const { summary, failures } = witness({ topics, read: 4, sealRuns: [run('gd', 0, 5), run('gd', 1, 1), run('hk', 1, 3)], checkpoints: [...gdCosigns, ...hkCosigns] });
    expect(failures).toEqual([]);
    expect(summary).toEqual({
      read: 4,
      verified: 4,
      heads: { checked: 4, missing: 0, differing: 0 },
      latestCosigned: {
        gd: [
          { partition: 0, sequence: 2, sealHash: seal('gd', 0, 2), cosignedBy: 'hk', checkpointSequence: 3, observedAt: '2025-03-01T00:00:02Z' },
          { partition: 1, sequence: 1, sealHash: seal('gd', 1, 1), cosignedBy: 'hk', checkpointSequence: 3, observedAt: '2025-03-01T00:00:02Z' },
        ],
        hk: [{ partition: 1, sequence: 3, sealHash: seal('hk', 1, 3), cosignedBy: 'gd', checkpointSequence: 1, observedAt: '2025-03-01T00:00:00Z' }],
      },
    });
  });

  it('a tail rewritten after it was cosigned is head_differs, a truncated one head_missing; each head once, at its first checkpoint', () => {
    const hkCosigns = chain('hk', [
      [{ partition: 0, sequence: 1, sealHash: seal('gd', 0, 1) }, { partition: 1, sequence: 2, sealHash: seal('gd', 1, 2) }],
      [{ partition: 0, sequence: 2, sealHash: seal('gd', 0, 2) }, { partition: 1, sequence: 2, sealHash: seal('gd', 1, 2) }],
    ]);
    // gd re-sealed partition 0 from seal 2 on (another hash) and cut partition 1 back to one seal.
    const rewritten = { topic: topics.gd, partition: 0, first: 1, hashes: [seal('gd', 0, 1), seal('gd', 0, 2, ' rewritten'), seal('gd', 0, 3, ' rewritten')] };
    const { summary, failures } = witness({ topics, read: 2, sealRuns: [rewritten, run('gd', 1, 1)], checkpoints: hkCosigns });
    expect(failures.map(({ reason, topic, partition, offset }) => ({ reason, topic, partition, offset }))).toEqual([
      { reason: 'head_missing', topic: topics.gd, partition: 1, offset: null },
      { reason: 'head_differs', topic: topics.gd, partition: 0, offset: null },
    ]);
    expect(failures[1]?.detail).toContain(`hk checkpoint 2`);
    expect(failures[1]?.detail).toContain(`the checkpoint is at ${topics.hk}/0@10`);
    expect(summary.heads).toEqual({ checked: 3, missing: 1, differing: 1 });
    // What still holds: partition 0's first seal; nothing of partition 1.
    expect(summary.latestCosigned.gd).toEqual([{ partition: 0, sequence: 1, sealHash: seal('gd', 0, 1), cosignedBy: 'hk', checkpointSequence: 1, observedAt: '2025-03-01T00:00:00Z' }]);
  });

  it('no checkpoints: nothing checked, no cosigned heads', () => {
    expect(witness({ topics, read: 0, sealRuns: [run('gd', 0, 2)], checkpoints: [] })).toEqual({ summary: { read: 0, verified: 0, heads: { checked: 0, missing: 0, differing: 0 }, latestCosigned: { gd: [], hk: [] } }, failures: [] });
  });
});
