import { createHash, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JointReadModel, readModelKeys, ReadModelStore, ReadModelUnavailable, type ApplyBatch } from '../src/index.ts';

// What an inclusion proof needs, as the projection stores it with a batch and joint-api reads it
// back: from the live generation only, the event's JSON from the feed entry (or kept beside the
// pointer), surviving the feed's retention, and gone with a new build.
describe('inclusion-proof data in the read model (real Redis)', () => {
  const prefix = `t-rmproof-${randomUUID().slice(0, 8)}`;
  const keys = readModelKeys(prefix);
  const gd = `${prefix}.gd.events/0`;
  const hk = `${prefix}.hk.events/0`;
  let redis: Redis;
  let reader: JointReadModel;

  const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');
  /** An event's JSON: its text is opaque to the store, only kept exactly. */
  const event = (n: number) => {
    const eventId = randomUUID();
    const json = `{"eventId":"${eventId}", "n":${n},"text":"caf\\u00e9"}`;
    return { eventId, json, hash: hashOf(json) };
  };
  const sealJson = (sequence: number) => JSON.stringify({ kind: 'gdhk.seal', sequence, note: 'opaque to the store' });

  beforeAll(async () => {
    redis = new Redis(inject('redisUrl'));
    reader = new JointReadModel(redis, prefix, { currentCacheMs: 0 });
  });
  afterAll(async () => {
    const leftovers = await redis.keys(`${prefix}:*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
    redis.disconnect();
  });

  /** A live generation of its own, with the given feed retention. */
  const generation = async (name: string, feedMaxEntries = 0) => {
    const store = new ReadModelStore(redis, keys.generation(name), { feedMaxEntries });
    const { buildId } = await store.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} });
    expect(await store.promote(keys, buildId, 'takeover', new Date().toISOString())).toBe('live');
    let at = 0;
    /** Applies a batch at the next offsets of gd/0 (the compare-and-set is the store's usual one). */
    const apply = async (batch: Pick<ApplyBatch, 'feed'> & Partial<ApplyBatch>) => {
      const result = await store.apply({ buildId, expect: [{ topicPartition: gd, offset: String(at) }, { topicPartition: hk, offset: '0' }], advance: [{ topicPartition: gd, to: String(at + 10) }], items: [], ...batch });
      at += 10;
      return result;
    };
    return { store, apply };
  };

  it('serves each sealed event its seal, hashes, leaf and exact JSON; an id of schema version 1 and an unknown one say so', async () => {
    const { apply } = await generation('a');
    const [first, second, refused] = [event(1), event(2), event(3)];
    const old = randomUUID();
    // `refused` is covered by the seal but not applied (no feed entry): its JSON is kept with its pointer.
    expect(await apply({
      feed: [{ source: 'gd/0@0', event: `{"eventId":"${old}"}` }, { source: 'gd/0@1', event: first.json }, { source: 'gd/0@2', event: second.json }],
      seals: [{ ref: 'gd/0@4', seal: sealJson(1), events: [{ ...first, feed: 1 }, { ...second, feed: 2 }, refused] }],
      versionOne: [old],
    })).toEqual({ applied: true });

    for (const [leafIndex, sealed] of [first, second, refused].entries()) {
      const { stored } = await reader.proof(sealed.eventId);
      expect(stored).toEqual({ kind: 'sealed', ref: 'gd/0@4', leafIndex, seal: sealJson(1), hashes: [first.hash, second.hash, refused.hash], event: sealed.json });
    }
    expect((await reader.proof(old)).stored).toEqual({ kind: 'version-one' });
    expect((await reader.proof(randomUUID())).stored).toEqual({ kind: 'unknown' });

    // The first seal to cover an event is its proof (as for `audit prove`), also over a version 1 mark.
    const again = event(4);
    expect(await apply({ feed: [], seals: [{ ref: 'gd/0@19', seal: sealJson(2), events: [{ ...first, json: first.json }, again] }, { ref: 'gd/0@20', seal: sealJson(3), events: [{ eventId: old, hash: again.hash, json: '{}' }] }] })).toEqual({ applied: true });
    expect((await reader.proof(first.eventId)).stored).toMatchObject({ ref: 'gd/0@4', leafIndex: 0 });
    expect((await reader.proof(again.eventId)).stored).toMatchObject({ ref: 'gd/0@19', leafIndex: 1, event: again.json });
    expect((await reader.proof(old)).stored).toMatchObject({ kind: 'sealed', ref: 'gd/0@20', event: '{}' });
  });

  it("keeps an event's JSON when the feed's retention trims its entry", async () => {
    const { apply } = await generation('b', 2);
    const events = [event(1), event(2), event(3)];
    expect(await apply({
      feed: events.map((sealed, index) => ({ source: `gd/0@${index}`, event: sealed.json })),
      seals: [{ ref: 'gd/0@3', seal: sealJson(1), events: events.map((sealed, index) => ({ ...sealed, feed: index })) }],
    })).toEqual({ applied: true });
    const later = event(4);
    expect(await apply({ feed: [{ source: 'gd/0@10', event: later.json }], seals: [{ ref: 'gd/0@11', seal: sealJson(2), events: [{ ...later, feed: 0 }] }] })).toEqual({ applied: true });
    expect(await redis.xlen(keys.generation('b').feed)).toBe(2);
    for (const [leafIndex, sealed] of events.entries()) expect((await reader.proof(sealed.eventId)).stored).toMatchObject({ ref: 'gd/0@3', leafIndex, event: sealed.json });
    expect((await reader.proof(later.eventId)).stored).toMatchObject({ ref: 'gd/0@11', leafIndex: 0, event: later.json });
    // Trimmed entries' events now carry their JSON; the one still in the feed points at its entry.
    const pointers = await redis.hgetall(keys.generation('b').proofEvents);
    expect(events.map((sealed) => pointers[sealed.eventId]?.split(' ')[2]?.startsWith('='))).toEqual([true, true, false]);
    expect(pointers[later.eventId]).toMatch(/^gd\/0@11 0 \d+-\d+$/);
  });

  it('reads from the served generation only: a new build starts without the old proofs, and none is read while it builds', async () => {
    const { store, apply } = await generation('c');
    const sealed = event(1);
    expect(await apply({ feed: [{ source: 'gd/0@0', event: sealed.json }], seals: [{ ref: 'gd/0@1', seal: sealJson(1), events: [{ ...sealed, feed: 0 }] }] })).toEqual({ applied: true });
    expect((await reader.proof(sealed.eventId)).stored.kind).toBe('sealed');
    // Redis lost the build: the next one wipes the generation, proofs included, and is not live yet.
    await redis.del(keys.generation('c').meta);
    const next = await store.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} });
    expect(await redis.exists(keys.generation('c').proofEvents, keys.generation('c').proofSeals)).toBe(0);
    await expect(reader.proof(sealed.eventId)).rejects.toBeInstanceOf(ReadModelUnavailable);
    expect(await store.promote(keys, next.buildId, 'takeover', new Date().toISOString())).toBe('live');
    expect((await reader.proof(sealed.eventId)).stored).toEqual({ kind: 'unknown' });
  });
});
