import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildInclusionProof, parseCommitSeal, publicKeyEntry, verifyInclusionProof } from '@gdhk/integrity';
import { connectJointReadModel, connectReadModelStore, readModelKeys, type JointReadModelConnection } from '@gdhk/readmodel';
import { LogReader } from '@gdhk/verified-log';
import { applyBatch, type ApplyDeps } from '../src/apply.ts';
import type { PartitionGroup } from '../src/partitions.ts';
import { VerifyPool } from '../src/verify-pool.ts';
import { BASE, gdKey, ring, SealedPartition, shape, StreamWriter, topics } from '../../../packages/verified-log/test/fixtures.ts';

// The projection's apply keeps, with the batch, what every event under a verified seal needs for
// its inclusion proof — also an event its seal covers that the stream rules refused — and marks
// the version 1 events; read back from real Redis, the parts make proofs the verifier accepts.
describe('the apply keeps inclusion-proof data (real Redis)', () => {
  const prefix = `t-applyproof-${randomUUID().slice(0, 8)}`;
  const keys = readModelKeys(prefix);
  let store: Awaited<ReturnType<typeof connectReadModelStore>>;
  let joint: JointReadModelConnection;
  let buildId: string;

  beforeAll(async () => {
    store = await connectReadModelStore(inject('redisUrl'), keys.generation('v1'));
    joint = await connectJointReadModel(inject('redisUrl'), prefix);
    buildId = (await store.store.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} })).buildId;
    expect(await store.store.promote(keys, buildId, 'claim', new Date().toISOString())).toBe('live');
  });
  afterAll(() => {
    store?.close();
    joint?.close();
  });

  it('stores each sealed event a pointer to its seal, leaf and JSON, and the version 1 ones a mark', async () => {
    // Items 2019-01, -04, -07 live on partition 1 of the fixture's log.
    const partition = new SealedPartition('gd', 1);
    const [a, b, c] = ['2019-01', '2019-04', '2019-07'].map((itemId) => new StreamWriter('gd', itemId));
    if (!a || !b || !c) throw new Error('three streams');
    const first = partition.transaction([a, b]);
    // a's next event goes back in time: its seal verifies, the stream rules refuse it (time_regression).
    a.at = BASE - 3_600_000;
    const second = partition.transaction([a, c]);
    const versionOne = new StreamWriter('gd', '2019-10').append();
    // As the consumer hands them over: keys are text, values bytes.
    const records = [...first.records(), ...second.records(), partition.record(versionOne)].map((record) => ({
      ...record,
      key: record.key === null ? null : record.key.toString(),
      value: typeof record.value === 'string' ? Buffer.from(record.value) : record.value,
    }));

    const letters: string[] = [];
    const deps: ApplyDeps = {
      store: store.store,
      shape,
      pool: new VerifyPool(shape, { keySetFile: '', topics, partitionCount: 3, maxSkewMs: 0 }, 0),
      logger: pino({ level: 'silent' }),
      seek: () => {},
      publishDeadLetters: async (dead) => void letters.push(...dead.map((letter) => letter.failure.reason)),
    };
    const group: PartitionGroup = { partition: 1, offsets: { gd: '0', hk: '0' }, next: { gd: '0', hk: '0' }, documents: new Map(), reader: new LogReader(shape), queue: Promise.resolve(), loaded: true };
    const outcome = await applyBatch(deps, buildId, group, { topic: topics.gd, partition: 1, fetchedOffset: '0', lastOffset: String(records.length - 1), records });
    expect(outcome.kind).toBe('written');
    expect(letters).toEqual(['time_regression']);

    const key = publicKeyEntry(gdKey);
    for (const { events, seal } of [first, second]) {
      for (const [leafIndex, event] of events.entries()) {
        const { stored } = await joint.readModel.proof(String(event.eventId));
        if (stored.kind !== 'sealed') throw new Error(`event ${String(event.eventId)}: ${stored.kind}`);
        expect(stored).toMatchObject({ leafIndex, hashes: events.map((sealed) => sealed.hash) });
        // The event's text exactly as the record held it; the seal's JSON as it verified.
        expect(stored.event).toBe(JSON.stringify(event));
        const parsed = parseCommitSeal(JSON.parse(stored.seal));
        expect(parsed.ok && parsed.value).toEqual(seal);
        const proof = buildInclusionProof({ event: JSON.parse(stored.event) as Record<string, unknown>, eventHashes: stored.hashes, seal, key });
        expect(verifyInclusionProof(JSON.parse(JSON.stringify(proof)), ring)).toMatchObject({ ok: true });
      }
    }
    // The refused event has no feed entry: its JSON is kept with its pointer; the others point into the feed.
    const pointers = await joint.blocking.hgetall(keys.generation('v1').proofEvents);
    expect(pointers[String(second.events[0]?.eventId)]).toBe(`gd/1@5 0 =${JSON.stringify(second.events[0])}`);
    expect(pointers[String(second.events[1]?.eventId)]).toMatch(/^gd\/1@5 1 \d+-\d+$/);
    expect(pointers[String(first.events[0]?.eventId)]).toMatch(/^gd\/1@2 0 \d+-\d+$/);
    expect((await joint.readModel.proof(String(versionOne.eventId))).stored).toEqual({ kind: 'version-one' });
  });
});
