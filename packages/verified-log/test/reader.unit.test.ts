import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCommitSeal, hashCommittedEvent, sha256Hex } from '@gdhk/integrity';
import { LogReader, REASONS, type SideRecord, type Verdict } from '../src/index.ts';
import { Folds, gdKey, hkKey, SealedPartition, shape, StreamWriter, topics, type Sealed } from './fixtures.ts';

// Items of partition 0 (fixtures: the item number modulo 3).
const A = '2019-03';
const B = '2019-06';

function consumer(pendingLimit?: { records: number; bytes: number }) {
  const folds = new Folds();
  const reader = new LogReader(shape, pendingLimit ? { pendingLimit } : {});
  const verdicts: Verdict[] = [];
  return {
    reader,
    folds,
    verdicts,
    feed: (records: readonly SideRecord[]): Verdict[] => {
      const out = records.flatMap((record) => reader.read(record, { accept: folds.accept }));
      verdicts.push(...out);
      return out;
    },
  };
}
const summary = (verdicts: readonly Verdict[]) =>
  verdicts.map((verdict) => {
    const offset = verdict.kind === 'halted' ? verdict.halt.where.offset : 'candidate' in verdict ? verdict.candidate.where.offset : verdict.where.offset;
    const kind = verdict.kind === 'quarantined' ? `quarantined:${verdict.reason}` : verdict.kind === 'halted' ? `halted:${verdict.halt.reason}` : verdict.kind;
    return `${offset} ${kind}`;
  });
const progressOf = (folds: Folds, itemId: string) => folds.states.get(`gd/${itemId}`)?.streamVersion ?? 0;

describe('LogReader: sealed commits', () => {
  it('a genuine sealed batch is held until its seal, then applies in log order', () => {
    const log = new SealedPartition('gd', 0);
    const [a, b] = [new StreamWriter('gd', A), new StreamWriter('gd', B)];
    const { feed, folds, reader } = consumer();
    const first = log.transaction([a, b, a]);
    const verdicts = feed(first.records());
    expect(summary(verdicts)).toEqual(['0 pending', '1 pending', '2 pending', '0 applied', '1 applied', '2 applied', '3 sealed']);
    expect([progressOf(folds, A), progressOf(folds, B)]).toEqual([2, 1]);
    expect(reader.sealHead(topics.gd, 0)).toEqual({ sequence: 1, hash: first.seal.hash });
    expect(reader.firstPending(topics.gd, 0)).toBeUndefined();
    // The next transaction chains to the first seal.
    expect(summary(feed(log.transaction([b]).records()))).toEqual(['4 pending', '4 applied', '5 sealed']);
    expect(progressOf(folds, B)).toBe(2);
  });

  it('an event without its seal never applies, and says where a consumer must read again', () => {
    const log = new SealedPartition('gd', 0);
    const { feed, folds, reader } = consumer();
    const { events } = log.transaction([new StreamWriter('gd', A)]);
    expect(summary(feed(events.map((event) => log.record(event))))).toEqual(['0 pending']);
    expect(progressOf(folds, A)).toBe(0);
    expect(reader.firstPending(topics.gd, 0)).toBe('0');
    expect(summary(reader.finish())).toEqual(['0 quarantined:unsealed']);
  });

  it('hostile records interleaved with a transaction are quarantined unsealed; the genuine events still apply', () => {
    const log = new SealedPartition('gd', 0);
    const a = new StreamWriter('gd', A);
    const { feed, folds } = consumer();
    const genuine = log.transaction([a, new StreamWriter('gd', B)]);
    const [first, second] = genuine.events as [Sealed, Sealed];
    // Anyone with broker access can hash an event: the next version of A, linked like the genuine one, or a rival of it.
    const rival = hashCommittedEvent({ ...first, data: { status: 'completed', progress: 100, summary: 'forged' } }, first.prevHash, (first as unknown as { commit: { prev: string } }).commit.prev);
    const forgedNext = hashCommittedEvent({ ...first, streamVersion: 2, eventId: '0193f5a0-7c00-7000-8000-00000000f0f0' }, first.hash, first.hash);
    const records = [log.record(rival), log.record(first), log.record(forgedNext), log.record(second), log.record('not json'), log.record(genuine.seal)];
    expect(summary(feed(records))).toEqual(['0 pending', '1 pending', '2 pending', '3 pending', '4 quarantined:not_json', '0 quarantined:unsealed', '1 applied', '2 quarantined:unsealed', '3 applied', '5 sealed']);
    expect(progressOf(folds, A)).toBe(1);
    // The genuine next transaction goes on from the seal.
    expect(summary(feed(log.transaction([a]).records())).at(-2)).toBe('6 applied');
  });

  describe('a seal that does not verify quarantines itself; its events never apply', () => {
    const cases: [name: string, build: (log: SealedPartition, streams: StreamWriter[]) => { events: Sealed[]; seal: object }, check: RegExp][] = [
      ['another root (other events, same last)', (log, streams) => {
        const tx = log.transaction(streams, { keep: false });
        const seal = buildCommitSeal({ side: 'gd', topic: topics.gd, partition: 0, sequence: log.sequence + 1, prevHash: log.sealHash, eventHashes: [sha256Hex('other'), ...tx.events.slice(1).map((event) => event.hash)], sealedAt: tx.seal.sealedAt }, gdKey);
        return { events: tx.events, seal };
      }, /^root_mismatch/],
      ['a count too high', (log, streams) => {
        const tx = log.transaction(streams, { keep: false });
        return { events: tx.events, seal: buildCommitSeal({ side: 'gd', topic: topics.gd, partition: 0, sequence: 1, prevHash: log.sealHash, eventHashes: [sha256Hex('x'), ...tx.events.map((event) => event.hash)], sealedAt: tx.seal.sealedAt }, gdKey) };
      }, /^count_mismatch/],
      ['a count too low', (log, streams) => {
        const tx = log.transaction(streams, { keep: false });
        return { events: tx.events, seal: buildCommitSeal({ side: 'gd', topic: topics.gd, partition: 0, sequence: 1, prevHash: log.sealHash, eventHashes: tx.events.slice(1).map((event) => event.hash), sealedAt: tx.seal.sealedAt }, gdKey) };
      }, /^count_mismatch/],
      ['a signature that does not verify', (log, streams) => {
        const tx = log.transaction(streams, { keep: false });
        const other = log.transaction(streams, { keep: false, seal: { sealedAt: '2026-12-01T04:00:09.000Z' } });
        return { events: tx.events, seal: { ...tx.seal, signature: other.seal.signature } };
      }, /^bad_signature/],
      ['a wrong sequence', (log, streams) => log.transaction(streams, { keep: false, seal: { sequence: 2, prevHash: sha256Hex('nothing') } }), /^sequence_gap/],
      ['another side', (log, streams) => {
        const tx = log.transaction(streams, { keep: false });
        return { events: tx.events, seal: buildCommitSeal({ side: 'hk', topic: topics.gd, partition: 0, sequence: 1, prevHash: log.sealHash, eventHashes: tx.events.map((event) => event.hash), sealedAt: tx.seal.sealedAt }, hkKey) };
      }, /^side_mismatch/],
      ['a hash that does not match', (log, streams) => {
        const tx = log.transaction(streams, { keep: false });
        return { events: tx.events, seal: { ...tx.seal, sealedAt: '2026-12-01T04:00:02.000Z' } };
      }, /^bad_hash/],
    ];
    it.each(cases)('%s', (_, build, check) => {
      const log = new SealedPartition('gd', 0);
      const streams = [new StreamWriter('gd', A), new StreamWriter('gd', B)];
      const { feed, folds } = consumer();
      const bad = build(log, streams);
      const verdicts = feed([...bad.events.map((event) => log.record(event)), log.record(bad.seal)]);
      const sealVerdict = verdicts.at(-1);
      expect(sealVerdict).toMatchObject({ kind: 'quarantined', reason: 'bad_seal' });
      expect(sealVerdict?.kind === 'quarantined' ? sealVerdict.detail : '').toMatch(check);
      expect(progressOf(folds, A) + progressOf(folds, B)).toBe(0);
      // The genuine transaction that follows applies; the badly sealed events are quarantined at its seal.
      const next = log.transaction(streams);
      const after = feed(next.records());
      expect(after.filter((verdict) => verdict.kind === 'quarantined').map((verdict) => (verdict.kind === 'quarantined' ? verdict.reason : ''))).toEqual(bad.events.map(() => 'unsealed'));
      expect(after.filter((verdict) => verdict.kind === 'applied')).toHaveLength(2);
      expect(after.at(-1)?.kind).toBe('sealed');
    });
  });

  it('a sealed event that forks its own stream halts it: only the signer can do that', () => {
    const log = new SealedPartition('gd', 0);
    const a = new StreamWriter('gd', A);
    const { feed } = consumer();
    feed(log.transaction([a]).records());
    const rival = new StreamWriter('gd', A);
    expect(summary(feed(log.transaction([rival]).records())).at(-2)).toBe('2 halted:fork');
  });

  it('a mixed log verifies: version 1 events at once, version 2 under their seals', () => {
    const log = new SealedPartition('gd', 0);
    const a = new StreamWriter('gd', A);
    const { feed, folds } = consumer();
    const legacy = [a.append(), a.append()].map((event) => log.record(event));
    expect(summary(feed(legacy))).toEqual(['0 applied', '1 applied']);
    expect(summary(feed(log.transaction([a, a]).records()))).toEqual(['2 pending', '3 pending', '2 applied', '3 applied', '4 sealed']);
    expect(progressOf(folds, A)).toBe(4);
  });

  it('a copy of the head is a duplicate, a copy of an older event stale, both at once', () => {
    const log = new SealedPartition('gd', 0);
    const a = new StreamWriter('gd', A);
    const { feed } = consumer();
    const first = log.transaction([a]);
    feed(first.records());
    const second = log.transaction([a]);
    feed(second.records());
    expect(summary(feed([log.record(second.events[0]), log.record(first.events[0])]))).toEqual(['4 duplicate', '5 quarantined:stale_version']);
  });

  it('holds at most the pending limit: the oldest held records are quarantined unsealed', () => {
    const log = new SealedPartition('gd', 0);
    const { feed, reader } = consumer({ records: 3, bytes: 1_000_000 });
    const flood = Array.from({ length: 5 }, (_, index) => log.record(hashCommittedEvent(new StreamWriter('gd', A).nextCommitted(sha256Hex(`f${index}`)), '0'.repeat(64), sha256Hex(`f${index}`))));
    expect(summary(feed(flood))).toEqual(['0 pending', '1 pending', '2 pending', '0 quarantined:unsealed', '3 pending', '1 quarantined:unsealed', '4 pending']);
    expect(reader.pending).toBe(3);
    expect(reader.firstPending(topics.gd, 0)).toBe('2');
  });

  it('a reader that did not start at offset 0 takes the first good seal as its anchor', () => {
    const log = new SealedPartition('gd', 0);
    const a = new StreamWriter('gd', A);
    const skipped = log.transaction([a]).records();
    const { feed } = consumer();
    expect(skipped).toHaveLength(2);
    expect(summary(feed(log.transaction([a]).records())).at(-1)).toBe('3 sealed');
  });

  // A fuzz property of sealed batches: whatever one field of one record of a sealed transaction is
  // changed to, no event applies unless its bytes are the genuine ones, and nothing throws.
  it('every-field mutations of a sealed transaction: only genuine events apply (3,000 cases)', { timeout: 120_000 }, () => {
    const FIELDS = ['streamVersion', 'prevHash', 'hash', 'commit', 'schemaVersion', 'data', 'count', 'root', 'last', 'sequence', 'prevHash', 'partition', 'side', 'signature', 'sealedAt'];
    fc.assert(
      fc.property(fc.nat(2), fc.constantFrom(...FIELDS), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined), fc.integer(), fc.constant(sha256Hex('z'))), (target, field, value) => {
        const log = new SealedPartition('gd', 0);
        const tx = log.transaction([new StreamWriter('gd', A), new StreamWriter('gd', B)]);
        const values: Record<string, unknown>[] = [...tx.events, tx.seal].map((record) => structuredClone(record) as Record<string, unknown>);
        const mutated = values[target] as Record<string, unknown>;
        mutated[field] = value;
        const genuine = new Set(tx.events.map((event) => JSON.stringify(event)));
        const reader = new LogReader(shape);
        const verdicts = values.map((record) => log.record(JSON.parse(JSON.stringify(record)) as unknown)).flatMap((record) => reader.read(record));
        for (const verdict of verdicts) {
          if (verdict.kind === 'quarantined') expect(REASONS).toContain(verdict.reason);
          if (verdict.kind === 'applied') expect(genuine.has(verdict.candidate.json)).toBe(true);
        }
        const applied = verdicts.filter((verdict) => verdict.kind === 'applied').length;
        if (JSON.stringify(mutated) !== JSON.stringify(target < 2 ? tx.events[target] : tx.seal)) expect(applied).toBe(0);
      }),
      { numRuns: 3000 },
    );
  });
});

