import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseEvent, type ItemEvent } from '@gdhk/domain';
import { parseCommitSeal, type CommitSeal } from '@gdhk/integrity';
import { inspectOwn, LogReader, type OwnRecords, type SideRecord, type Verdict } from '../src/index.ts';
import { BASE, retiredGdKey, SealedPartition, shape, StreamWriter } from './fixtures.ts';

// Items of partition 0 (fixtures: the item number modulo 3).
const A = '2019-03';
const B = '2019-06';

/** What a writer knows of the records it sent: each text, parsed as it built it. */
function ownOf(records: readonly SideRecord[]): OwnRecords & { texts: Set<string> } {
  const events = new Map<string, ItemEvent>();
  const seals = new Map<string, CommitSeal>();
  for (const record of records) {
    const text = String(record.value);
    const value = JSON.parse(text) as Record<string, unknown>;
    if ('kind' in value) {
      const seal = parseCommitSeal(value);
      if (seal.ok) seals.set(text, seal.value);
    } else events.set(text, parseEvent(value));
  }
  return { event: (text) => events.get(text), seal: (text) => seals.get(text), texts: new Set([...events.keys(), ...seals.keys()]) };
}

const comparable = (verdicts: readonly Verdict[]) => JSON.parse(JSON.stringify(verdicts, (key, value: unknown) => (key === 'publicKey' ? undefined : value))) as unknown;

describe('inspectOwn: the fast path for a writer reading its own records back', () => {
  it('gives its own records exactly the verdicts the full inspection gives', () => {
    const log = new SealedPartition('gd', 0);
    const [a, b] = [new StreamWriter('gd', A), new StreamWriter('gd', B)];
    const records = [log.transaction([a, b, a]), log.transaction([b]), log.transaction([a, a, b, b])].flatMap((tx) => tx.records());
    const own = ownOf(records);
    const [full, fast] = [new LogReader(shape), new LogReader(shape)];
    const expected = records.flatMap((record) => full.read(record));
    const got = records.flatMap((record) => fast.read(record, { own }));
    expect(comparable(got)).toEqual(comparable(expected));
    expect(got.filter((verdict) => verdict.kind === 'applied')).toHaveLength(8);
    expect(records.every((record) => inspectOwn(record, shape, own) !== undefined)).toBe(true);
  });

  it('says nothing of a record it did not write, and nothing of its own bytes in another place', () => {
    const log = new SealedPartition('gd', 0);
    const records = log.transaction([new StreamWriter('gd', A)]).records();
    const own = ownOf(records);
    const [event, seal] = records as [SideRecord, SideRecord];
    expect(inspectOwn({ ...event, value: `${String(event.value)} ` }, shape, own)).toBeUndefined();
    expect(inspectOwn({ ...event, key: B }, shape, own)).toBeUndefined();
    expect(inspectOwn({ ...event, partition: 1 }, shape, own)).toBeUndefined();
    expect(inspectOwn({ ...event, topic: shape.topics.hk }, shape, own)).toBeUndefined();
    expect(inspectOwn({ ...event, timestamp: String(BASE + 3_600_000) }, shape, own)).toBeUndefined();
    expect(inspectOwn({ ...seal, partition: 1 }, shape, own)).toBeUndefined();
    expect(inspectOwn({ ...seal, timestamp: 'x' }, shape, own)).toBeUndefined();
    expect(inspectOwn({ ...event, value: null }, shape, own)).toBeUndefined();
  });

  it('says nothing of bytes that are not UTF-8, even where a lenient decoder would read its own text', () => {
    const log = new SealedPartition('gd', 0);
    const event = log.transaction([new StreamWriter('gd', A)]).records()[0] as SideRecord;
    // The writer's text holds a replacement character; a record with a lone 0xFF byte in its place decodes to the same text leniently.
    const text = String(event.value).replace('"report 1"', '"report \uFFFD"');
    const own = ownOf([{ ...event, value: Buffer.from(text) }]);
    const invalid = Buffer.from(text.replace('\uFFFD', '@'));
    invalid[invalid.indexOf('@')] = 0xff;
    expect(invalid.toString('utf8')).toBe(text);
    expect(inspectOwn({ ...event, value: invalid }, shape, own)).toBeUndefined();
    expect(inspectOwn({ ...event, value: Buffer.from(text) }, shape, own)).toBeDefined();
  });

  it('a seal it signed with a key the key set no longer allows then goes to the full path', () => {
    const log = new SealedPartition('gd', 0);
    const records = log.transaction([new StreamWriter('gd', A)], { key: retiredGdKey }).records();
    const own = ownOf(records);
    const seal = records.at(-1) as SideRecord;
    expect(inspectOwn(seal, shape, own)).toBeUndefined();
    const verdicts = records.flatMap((record) => new LogReader(shape).read(record, { own }));
    expect(verdicts.at(-1)).toMatchObject({ kind: 'quarantined', reason: 'bad_seal' });
  });

  // Whatever the log does to a writer's own records (moves, re-keys, re-times, drops, repeats or
  // reorders them), a reader told of the writer's texts gives the verdicts of one that is not.
  it('under any change of place, key, time or order, the verdicts are those of the full path (1,000 cases)', () => {
    const log = new SealedPartition('gd', 0);
    const [a, b] = [new StreamWriter('gd', A), new StreamWriter('gd', B)];
    const records = [log.transaction([a, b]), log.transaction([a]), log.transaction([b, a])].flatMap((tx) => tx.records());
    const own = ownOf(records);
    const change = fc.oneof(
      fc.record({ partition: fc.constantFrom(0, 1) }),
      fc.record({ key: fc.constantFrom(A, B, 'gdhk.seal', null) }),
      fc.record({ timestamp: fc.constantFrom(String(BASE), String(BASE + 2_000), String(BASE + 3_600_000), '') }),
      fc.record({ topic: fc.constantFrom(shape.topics.gd, shape.topics.hk) }),
      fc.constant({}),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(records.length - 1), change), { minLength: 1, maxLength: 12 }), (picks) => {
        const log2 = picks.map(([index, overrides], offset) => ({ ...(records[index] as SideRecord), ...overrides, offset: String(offset) }));
        const [full, fast] = [new LogReader(shape), new LogReader(shape)];
        const expected = log2.flatMap((record) => full.read(record));
        const got = log2.flatMap((record) => fast.read(record, { own }));
        expect(comparable(got)).toEqual(comparable(expected));
      }),
      { numRuns: 1000 },
    );
  });
});
