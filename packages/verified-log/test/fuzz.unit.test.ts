import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REASONS, StreamLedger, type SideRecord, type Verdict } from '../src/index.ts';
import { ITEMS, partitionOf, recordOf, shape, StreamWriter, topics, verifyRecord, type Sealed } from './fixtures.ts';

// Fuzz properties of the one pipeline, ≥ 100,000 generated cases in all: whatever a record holds,
// verifyRecord returns one typed verdict with a reason of the vocabulary, never throws, and a
// stream's head moves only when the verdict is "applied". fast-check prints the seed and the
// shrunk counterexample when a property fails; GDHK_TEST_SEED replays one.
const seed = process.env.GDHK_TEST_SEED === undefined ? undefined : Number(process.env.GDHK_TEST_SEED);
const run = (numRuns: number) => ({ numRuns, ...(seed === undefined ? {} : { seed }) });
// Generous timeouts: ~25 s of CPU in all on a quiet core, more beside other tests on two shared ones.
const KINDS = new Set(['applied', 'duplicate', 'quarantined', 'halted', 'repaired', 'pending', 'sealed', 'checkpoint']);

function wellFormed(verdict: Verdict): void {
  expect(KINDS.has(verdict.kind)).toBe(true);
  if (verdict.kind === 'quarantined') {
    expect(REASONS).toContain(verdict.reason);
    expect(typeof verdict.detail).toBe('string');
  }
  if (verdict.kind === 'halted') expect(REASONS).toContain(verdict.halt.reason);
}

/** One stream with two applied events, and its genuine next event. */
function world() {
  const ledger = new StreamLedger();
  const stream = new StreamWriter('gd', '2019-05');
  for (let index = 0; index < 2; index += 1) {
    const verdict = verifyRecord(recordOf(stream.append()), shape, ledger);
    expect(verdict.kind).toBe('applied');
  }
  return { ledger, stream, next: stream.next() };
}
const heads = (ledger: StreamLedger) => JSON.stringify([...ledger.streams()]);

const record = (value: Buffer | string | null, partial: Partial<SideRecord> = {}): SideRecord => ({ topic: topics.gd, partition: 2, offset: '7', key: '2019-05', value, timestamp: String(Date.now()), ...partial });
const anyKey = fc.oneof(fc.constantFrom(...ITEMS), fc.string({ maxLength: 12 }), fc.constant(null));
const anyTopic = fc.constantFrom(topics.gd, topics.hk, 'other.topic');

describe('verifyRecord under fuzzing', () => {
  it('arbitrary bytes: quarantined, never thrown (30,000 cases)', { timeout: 120_000 }, () => {
    const { ledger } = world();
    const before = heads(ledger);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), anyKey, anyTopic, fc.nat(5), (bytes, key, topic, partition) => {
        const verdict = verifyRecord(record(Buffer.from(bytes), { key, topic, partition }), shape, ledger);
        wellFormed(verdict);
        expect(verdict.kind).toBe('quarantined');
      }),
      run(30_000),
    );
    expect(heads(ledger)).toBe(before);
  });

  it('arbitrary JSON, deep and wide, unicode included: quarantined, never thrown (25,000 cases)', { timeout: 120_000 }, () => {
    const { ledger } = world();
    const before = heads(ledger);
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 24 }), anyKey, (value, key) => {
        const verdict = verifyRecord(record(JSON.stringify(value) ?? 'null', { key }), shape, ledger);
        wellFormed(verdict);
        expect(verdict.kind).toBe('quarantined');
      }),
      run(25_000),
    );
    expect(heads(ledger)).toBe(before);
  });

  const FIELDS = ['eventId', 'type', 'schemaVersion', 'side', 'itemId', 'streamVersion', 'occurredAt', 'actor', 'commandId', 'correlationId', 'causationId', 'data', 'prevHash', 'hash', 'signature'];
  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }),
    fc.string({ unit: 'grapheme', maxLength: 50 }),
    fc.string({ unit: 'binary', maxLength: 50 }),
    fc.double(),
    fc.integer(),
    fc.constant(undefined),
    fc.integer({ min: 1, max: 40 }).map((depth) => JSON.parse('['.repeat(depth) + ']'.repeat(depth)) as unknown),
  );
  /**
   * `event` with one field (or one member of an object field) replaced, through a fresh ledger at
   * the heads of `at`: each mutation meets the same stream.
   */
  function mutatedOnce(at: StreamLedger, event: Sealed, field: string, inner: string | null, value: unknown) {
    const ledger = new StreamLedger();
    for (const [stream, head] of at.streams()) ledger.seed(stream, head);
    const before = heads(ledger);
    const mutated = structuredClone(event) as Record<string, unknown>;
    const target = inner !== null && typeof mutated[field] === 'object' && mutated[field] !== null ? (mutated[field] as Record<string, unknown>) : mutated;
    target[inner !== null && target !== mutated ? inner : field] = value;
    const verdict = verifyRecord(recordOf(JSON.parse(JSON.stringify(mutated)) as unknown, { key: '2019-05', partition: partitionOf('2019-05') }), shape, ledger);
    wellFormed(verdict);
    return { ledger, before, verdict };
  }

  it('every-field mutations of a real sealed event: the head moves only on "applied", and then only to the genuine event (30,000 cases)', { timeout: 120_000 }, () => {
    const base = world();
    const { next } = base;
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), fc.oneof(fc.constant(null), fc.constantFrom('keyId', 'alg', 'value', 'status', 'progress', 'summary', 'userId')), replacement, (field, inner, value) => {
        const { ledger, before, verdict } = mutatedOnce(base.ledger, next, field, inner, value);
        if (verdict.kind === 'applied') expect(verdict.candidate.hash).toBe(next.hash);
        else expect(heads(ledger)).toBe(before);
      }),
      run(30_000),
    );
  });

  it('every-field mutations of the genuine repair of a halted stream: the halt lifts only for the genuine repair (10,000 cases)', { timeout: 120_000 }, () => {
    const base = world();
    const rival = base.stream.next({ version: 2, summary: 'a rival second report' });
    const halted = verifyRecord(recordOf(rival), shape, base.ledger);
    if (halted.kind !== 'halted') throw new Error(`expected a halt, got ${halted.kind}`);
    const genuine = base.stream.next({ type: 'stream.repaired', data: { fork: { ...halted.halt.where, hash: rival.hash }, reason: 'two writers' } });
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), fc.oneof(fc.constant(null), fc.constantFrom('keyId', 'value', 'fork', 'reason', 'userId')), replacement, (field, inner, value) => {
        const { ledger, before, verdict } = mutatedOnce(base.ledger, genuine, field, inner, value);
        expect(verdict.kind).not.toBe('applied');
        if (verdict.kind === 'repaired') expect(verdict.candidate.hash).toBe(genuine.hash);
        else expect(heads(ledger)).toBe(before);
      }),
      run(10_000),
    );
  });

  it('valid events replayed into another stream, item, side, topic or partition, duplicated or back-dated: nothing halts, nothing but the genuine next applies (20,000 cases)', { timeout: 120_000 }, () => {
    const { ledger, stream } = world();
    const other = new StreamWriter('hk', '2019-06');
    const history: Sealed[] = [];
    for (let index = 0; index < 3; index += 1) {
      const event = other.append();
      history.push(event);
      expect(verifyRecord(recordOf(event), shape, ledger).kind).toBe('applied');
    }
    const genuine = [...history];
    fc.assert(
      fc.property(
        fc.constantFrom(...genuine),
        fc.record({ topic: anyTopic, partition: fc.nat(3), key: anyKey, skewMs: fc.integer({ min: -3_600_000, max: 3_600_000 }) }, { requiredKeys: [] }),
        (event, changes) => {
          const before = heads(ledger);
          const overrides: { -readonly [K in keyof SideRecord]?: SideRecord[K] } = {};
          if (changes.topic !== undefined) overrides.topic = changes.topic;
          if (changes.partition !== undefined) overrides.partition = changes.partition;
          if (changes.key !== undefined) overrides.key = changes.key;
          if (changes.skewMs !== undefined) overrides.timestamp = String(Date.parse(event.occurredAt) + changes.skewMs);
          const verdict = verifyRecord(recordOf(event, overrides), shape, ledger);
          wellFormed(verdict);
          expect(verdict.kind).not.toBe('halted');
          expect(verdict.kind).not.toBe('applied');
          if (verdict.kind === 'duplicate') expect(verdict.candidate.hash).toBe(other.prevHash);
          expect(heads(ledger)).toBe(before);
        },
      ),
      run(20_000),
    );
    // And the genuine next events of both streams still apply.
    expect(verifyRecord(recordOf(other.append()), shape, ledger).kind).toBe('applied');
    expect(verifyRecord(recordOf(stream.append()), shape, ledger).kind).toBe('applied');
  });
});
