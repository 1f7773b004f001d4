import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { CommittedRecords } from '../src/side-log.ts';

type Batch = Parameters<CommittedRecords['add']>[0];

function batch(firstOffset: number, values: string[], options: { producerId?: number; transactional?: boolean; control?: 'commit' | 'abort' } = {}): Batch {
  const attributes = (options.transactional || options.control ? 1 << 4 : 0) | (options.control ? 1 << 5 : 0);
  const records = options.control
    ? [{ length: 0, attributes: 0, timestampDelta: 0n, offsetDelta: 0, key: Buffer.from([0, 0, 0, options.control === 'commit' ? 1 : 0]), value: Buffer.alloc(6), headers: [] }]
    : values.map((value, index) => ({ length: 0, attributes: 0, timestampDelta: 0n, offsetDelta: index, key: null, value: Buffer.from(value), headers: [] }));
  return { firstOffset: BigInt(firstOffset), length: 0, partitionLeaderEpoch: 0, magic: 2, crc: 0, attributes, lastOffsetDelta: records.length - 1, firstTimestamp: 0n, maxTimestamp: 0n, producerId: BigInt(options.producerId ?? -1), producerEpoch: 0, firstSequence: 0, records };
}

/** Feeds batches (as consecutive fetch responses) and collects what is handed on. */
function run(filter: CommittedRecords, responses: Batch[][]): { values: string[]; next: bigint } {
  const values: string[] = [];
  let next = 0n;
  for (const response of responses) {
    for (const each of response) filter.add(each);
    const chunk = filter.take();
    values.push(...chunk.values.map(String));
    next = chunk.next;
  }
  return { values, next };
}

describe('CommittedRecords', () => {
  const tx = { transactional: true, producerId: 7 };

  it('hands on committed transactions and drops aborted ones, each decided by its own marker', () => {
    const filter = new CommittedRecords('t', 0, 0n, 100n);
    const { values, next } = run(filter, [
      [batch(0, ['a', 'b'], tx), batch(2, [], { ...tx, control: 'commit' }), batch(3, ['aborted'], tx), batch(4, ['also aborted'], tx)],
      [batch(5, [], { ...tx, control: 'abort' }), batch(6, ['c'], tx), batch(7, [], { ...tx, control: 'commit' })],
    ]);
    expect(values).toEqual(['a', 'b', 'c']);
    expect(next).toBe(8n);
  });

  // Regression: the client's read_committed filter kept one aborted range per producer and dropped
  // the committed transactions between two aborted ones (seen on three brokers after failovers).
  it('keeps the committed transactions between two aborted transactions of the same producer', () => {
    const filter = new CommittedRecords('t', 0, 0n, 100n);
    const { values } = run(filter, [
      [
        batch(0, ['x1'], tx), batch(1, [], { ...tx, control: 'abort' }),
        batch(2, ['kept1', 'kept2'], tx), batch(4, [], { ...tx, control: 'commit' }),
        batch(5, ['kept3'], tx), batch(6, [], { ...tx, control: 'commit' }),
        batch(7, ['x2'], tx), batch(8, [], { ...tx, control: 'abort' }),
        batch(9, ['kept4'], tx), batch(10, [], { ...tx, control: 'commit' }),
      ],
    ]);
    expect(values).toEqual(['kept1', 'kept2', 'kept3', 'kept4']);
  });

  it('holds later records back until an earlier transaction is decided, so log order is kept', () => {
    const filter = new CommittedRecords('t', 0, 0n, 100n);
    filter.add(batch(0, ['t1'], tx));
    filter.add(batch(1, ['plain'], {}));
    expect(filter.take()).toMatchObject({ offsets: [], next: 0n });
    expect(filter.pendingSince).toBe(0n);
    filter.add(batch(2, [], { ...tx, control: 'commit' }));
    const chunk = filter.take();
    expect(chunk.values.map(String)).toEqual(['t1', 'plain']);
    expect(chunk.next).toBe(3n);
    expect(filter.pendingSince).toBeUndefined();
  });

  it('reads past the end for a marker, and hands on nothing at or past the end', () => {
    const filter = new CommittedRecords('t', 0, 0n, 2n);
    const { values, next } = run(filter, [[batch(0, ['in', 'in too'], tx)], [batch(2, ['past'], {}), batch(3, [], { ...tx, control: 'commit' })]]);
    expect(values).toEqual(['in', 'in too']);
    expect(next).toBe(2n);
  });

  it('keeps to [start, end) when a batch straddles either bound, and ignores batches fetched again', () => {
    const filter = new CommittedRecords('t', 1, 1n, 3n);
    filter.add(batch(0, ['x', 'y', 'z', 'w']));
    filter.add(batch(0, ['x', 'y', 'z', 'w']));
    const chunk = filter.take();
    expect(chunk.offsets).toEqual([1n, 2n]);
    expect(chunk.next).toBe(3n);
  });
});
