import { describe, expect, it } from 'vitest';
import { assignPartitions } from '../src/replay.ts';

describe('assignPartitions', () => {
  it('spreads whole partitions so that the largest loads are apart', () => {
    const ranges = [10, 80, 30, 50, 40].map((size, partition) => ({ topic: 't', partition, start: 0n, end: BigInt(size) }));
    const assignment = assignPartitions(ranges, 2);
    const load = [0, 0];
    for (const range of ranges) {
      const worker = assignment.get(`t/${range.partition}`) ?? 0;
      load[worker] = (load[worker] ?? 0) + Number(range.end);
    }
    expect(load.sort()).toEqual([100, 110]);
  });
});
