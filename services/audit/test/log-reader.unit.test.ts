import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { committedRecords } from '../src/log-reader.ts';
import { assignPartitions } from '../src/replay.ts';

type Batch = Parameters<typeof committedRecords>[4][number];

function batch(firstOffset: number, values: string[], options: { producerId?: number; transactional?: boolean; control?: 'commit' | 'abort' } = {}): Batch {
  const attributes = (options.transactional || options.control ? 1 << 4 : 0) | (options.control ? 1 << 5 : 0);
  const records = options.control
    ? [{ length: 0, attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: Buffer.from([0, 0, 0, options.control === 'commit' ? 1 : 0]), value: Buffer.alloc(6), headers: [] }]
    : values.map((value, index) => ({ length: 0, attributes: 0, timestampDelta: 0n, offsetDelta: index, key: null, value: Buffer.from(value), headers: [] }));
  return { firstOffset: BigInt(firstOffset), length: 0, partitionLeaderEpoch: 0, magic: 2, crc: 0, attributes, lastOffsetDelta: records.length - 1, firstTimestamp: 0n, maxTimestamp: 0n, producerId: BigInt(options.producerId ?? -1), producerEpoch: 0, firstSequence: 0, records };
}

describe('committedRecords', () => {
  it('drops control records and aborted transactions, even when the abort marker comes in a later response', () => {
    const tx = { transactional: true, producerId: 7 };
    const batches = [batch(0, ['a', 'b'], tx), batch(2, [], { ...tx, control: 'commit' }), batch(3, ['aborted'], tx), batch(4, ['also aborted'], tx)];
    const first = committedRecords('t', 0, 0n, 100n, batches, [{ producerId: 7n, firstOffset: 3n }]);
    expect(first.offsets).toEqual([0n, 1n]);
    expect(first.values.map(String)).toEqual(['a', 'b']);
    expect(first.next).toBe(5n);
    const second = committedRecords('t', 0, 5n, 100n, [batch(5, [], { ...tx, control: 'abort' }), batch(6, ['c'], tx), batch(7, [], { ...tx, control: 'commit' })], [{ producerId: 7n, firstOffset: 3n }]);
    expect(second.offsets).toEqual([6n]);
    expect(second.next).toBe(8n);
  });

  it('keeps to [from, end) when a batch straddles either bound', () => {
    const chunk = committedRecords('t', 1, 1n, 3n, [batch(0, ['x', 'y', 'z', 'w'])], []);
    expect(chunk.offsets).toEqual([1n, 2n]);
    expect(chunk.next).toBe(3n);
  });
});

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
