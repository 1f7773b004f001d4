import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildCheckpoint, GENESIS_HASH, sha256Hex, type Checkpoint, type CheckpointInput } from '@gdhk/integrity';
import { CHECKPOINT_RECORD_KEY, LogReader, REASONS, type SideRecord, type Verdict } from '../src/index.ts';
import { BASE, gdKey, hkKey, SealedPartition, shape, StreamWriter, topics } from './fixtures.ts';

// Cosigned checkpoints on a side topic (docs/contract.md, "Checkpoint"): verified on arrival on
// their own, chained per side, never held for a seal and never a stream's.

const at = (seconds: number) => new Date(BASE + seconds * 1000).toISOString();
const heads = [
  { partition: 0, sequence: 4, sealHash: sha256Hex('gd seal 0/4') },
  { partition: 2, sequence: 1, sealHash: sha256Hex('gd seal 2/1') },
];

/** hk's chain of checkpoints over gd's seals, as the hk service writes it. */
class HkCheckpoints {
  sequence = 0;
  hash = GENESIS_HASH;
  offset = 0;
  next(input: Partial<CheckpointInput> = {}, key = hkKey): Checkpoint {
    const checkpoint = buildCheckpoint({ side: 'hk', observedSide: 'gd', sequence: this.sequence + 1, prevHash: this.hash, observedAt: at(this.sequence + 1), heads, ...input }, key);
    this.sequence = checkpoint.sequence;
    this.hash = checkpoint.hash;
    return checkpoint;
  }
  record(value: unknown, overrides: Partial<SideRecord> = {}): SideRecord {
    const observedAt = typeof value === 'object' && value !== null ? (value as { observedAt?: unknown }).observedAt : undefined;
    return {
      topic: topics.hk,
      partition: 0,
      offset: String(this.offset++),
      key: CHECKPOINT_RECORD_KEY,
      value: Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)),
      timestamp: String(typeof observedAt === 'string' && Number.isFinite(Date.parse(observedAt)) ? Date.parse(observedAt) : BASE),
      ...overrides,
    };
  }
}

const outcome = (verdicts: readonly Verdict[]) => verdicts.map((verdict) => (verdict.kind === 'quarantined' ? `${verdict.reason}: ${verdict.detail.split(':')[0] ?? ''}` : verdict.kind));

describe('LogReader: cosigned checkpoints', () => {
  it('a genuine chain verifies on arrival, becomes the topic\'s head, and touches no stream', () => {
    const log = new HkCheckpoints();
    const reader = new LogReader(shape);
    const first = log.next();
    const second = log.next({ heads: [{ partition: 0, sequence: 5, sealHash: sha256Hex('gd seal 0/5') }] });
    const verdicts = [first, second].flatMap((checkpoint) => reader.read(log.record(checkpoint)));
    expect(verdicts).toEqual([
      { kind: 'checkpoint', checkpoint: first, where: { topic: topics.hk, partition: 0, offset: '0' } },
      { kind: 'checkpoint', checkpoint: second, where: { topic: topics.hk, partition: 0, offset: '1' } },
    ]);
    expect(reader.checkpointHead(topics.hk)).toEqual(second);
    expect(reader.checkpointHead(topics.gd)).toBeUndefined();
    expect(reader.pending).toBe(0);
    expect([...reader.ledger.streams()]).toEqual([]);
  });

  it('tampered, misplaced or signed by the wrong key: bad_checkpoint naming the check, and the head stays', () => {
    const log = new HkCheckpoints();
    const genuine = log.next();
    const cases: [string, unknown, Partial<SideRecord>][] = [
      ['malformed', { ...genuine, extra: 1 }, {}],
      ['bad_hash', { ...genuine, heads: [{ partition: 0, sequence: 3, sealHash: sha256Hex('other') }] }, {}],
      ['foreign_key', { ...genuine, signature: { ...genuine.signature, keyId: gdKey.keyId } }, {}],
      ['bad_signature', { ...genuine, signature: { ...genuine.signature, value: buildCheckpoint({ side: 'hk', observedSide: 'gd', sequence: 1, prevHash: GENESIS_HASH, observedAt: at(2), heads }, hkKey).signature.value } }, {}],
      // gd's own key, gd's checkpoint of hk's seals: on the hk topic it is not hk's.
      ['side_mismatch', buildCheckpoint({ side: 'gd', observedSide: 'hk', sequence: 1, prevHash: GENESIS_HASH, observedAt: at(1), heads }, gdKey), {}],
      ['key_mismatch', genuine, { key: '2019-03' }],
      ['wrong_partition', genuine, { partition: 1 }],
      ['clock_skew', genuine, { timestamp: String(BASE + 3_600_000) }],
    ];
    for (const [check, value, overrides] of cases) {
      const reader = new LogReader(shape);
      const verdicts = reader.read(log.record(value, { offset: '0', ...overrides }));
      expect(outcome(verdicts), check).toEqual([`bad_checkpoint: ${check}`]);
      expect(reader.checkpointHead(topics.hk)).toBeUndefined();
    }
  });

  it('a chain break (a gap, another prevHash, a repeat) is bad_checkpoint; the genuine next one still links', () => {
    const log = new HkCheckpoints();
    const reader = new LogReader(shape);
    const first = log.next();
    expect(outcome(reader.read(log.record(first)))).toEqual(['checkpoint']);
    const skipped = new HkCheckpoints();
    Object.assign(skipped, { sequence: 2, hash: first.hash });
    expect(outcome(reader.read(log.record(skipped.next())))).toEqual(['bad_checkpoint: sequence_gap']);
    expect(outcome(reader.read(log.record(buildCheckpoint({ side: 'hk', observedSide: 'gd', sequence: 2, prevHash: sha256Hex('not the first'), observedAt: at(2), heads }, hkKey))))).toEqual(['bad_checkpoint: prev_mismatch']);
    expect(outcome(reader.read(log.record(first)))).toEqual(['bad_checkpoint: sequence_gap']);
    expect(reader.checkpointHead(topics.hk)).toEqual(first);
    const second = log.next();
    expect(outcome(reader.read(log.record(second)))).toEqual(['checkpoint']);
    expect(reader.checkpointHead(topics.hk)?.sequence).toBe(2);
  });

  it('a reader that did not start partition 0 at offset 0 anchors on the first good checkpoint; reset starts the chain over', () => {
    const log = new HkCheckpoints();
    log.next();
    log.offset = 5;
    const reader = new LogReader(shape);
    const second = log.next();
    expect(outcome(reader.read(log.record(second)))).toEqual(['checkpoint']);
    reader.reset(topics.hk, 0);
    expect(reader.checkpointHead(topics.hk)).toBeUndefined();
    expect(outcome(reader.read(log.record(log.next())))).toEqual(['checkpoint']);
  });

  it('a checkpoint between a transaction\'s events and its seal changes nothing of what the seal decides', () => {
    const partition = new SealedPartition('hk', 0);
    const tx = partition.transaction([new StreamWriter('hk', '2019-03'), new StreamWriter('hk', '2019-06')]);
    const checkpoint = new HkCheckpoints().next();
    const [one, two] = tx.events;
    const reader = new LogReader(shape);
    const records = [partition.record(one), partition.record(two), { ...partition.record(checkpoint), key: CHECKPOINT_RECORD_KEY, timestamp: String(Date.parse(checkpoint.observedAt)) }, partition.record(tx.seal)];
    expect(records.flatMap((record) => reader.read(record)).map((verdict) => verdict.kind)).toEqual(['pending', 'pending', 'checkpoint', 'applied', 'applied', 'sealed']);
  });

  // Whatever one member of a genuine checkpoint is changed to, it is a checkpoint only if its value
  // is still the genuine one; nothing throws and every reason is of the vocabulary.
  it('every-field mutations of a checkpoint, and arbitrary JSON claiming to be one: bad_checkpoint unless genuine (4,000 cases)', { timeout: 120_000 }, () => {
    const FIELDS = ['kind', 'schemaVersion', 'side', 'observedSide', 'sequence', 'prevHash', 'observedAt', 'heads', 'hash', 'signature', 'extra'];
    const genuine = new HkCheckpoints().next();
    const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constant(undefined), fc.integer(), fc.constant(sha256Hex('z')), fc.constant([{ partition: 0, sequence: 1, sealHash: sha256Hex('z') }]));
    fc.assert(
      fc.property(fc.constantFrom(...FIELDS), anyValue, (field, value) => {
        const mutated: Record<string, unknown> = { ...structuredClone(genuine), [field]: value };
        const reader = new LogReader(shape);
        const verdicts = reader.read(new HkCheckpoints().record(JSON.parse(JSON.stringify(mutated)) as unknown));
        expect(verdicts).toHaveLength(1);
        const [verdict] = verdicts;
        if (verdict?.kind === 'quarantined') expect(REASONS).toContain(verdict.reason);
        if (JSON.stringify(mutated) === JSON.stringify(genuine)) expect(verdict?.kind).toBe('checkpoint');
        // Another `kind` makes it a seal that is none; without one it is an event that is none.
        else expect(verdict).toMatchObject({ kind: 'quarantined', reason: mutated.kind === 'gdhk.checkpoint' ? 'bad_checkpoint' : mutated.kind === undefined ? 'malformed' : 'bad_seal' });
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 4 }), { maxKeys: 12 }), fc.oneof(fc.constant(CHECKPOINT_RECORD_KEY), fc.string({ maxLength: 8 }), fc.constant(null)), fc.nat(3), (value, key, partition) => {
        const reader = new LogReader(shape);
        const verdicts = reader.read(new HkCheckpoints().record({ ...value, kind: 'gdhk.checkpoint' }, { key, partition }));
        expect(verdicts).toMatchObject([{ kind: 'quarantined', reason: 'bad_checkpoint' }]);
      }),
      { numRuns: 1000 },
    );
  });
});
