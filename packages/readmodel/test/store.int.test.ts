import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readModelKeys, ReadModelStore } from '../src/index.ts';

// The read model's one write: a compare-and-set over the build and both offsets of a partition
// number, so redelivery and stale owners change nothing.
describe('read-model store (real Redis)', () => {
  const infra = { prefix: `t-rmstore-${randomUUID().slice(0, 8)}`, redisUrl: inject('redisUrl') };
  const keys = readModelKeys(infra.prefix);
  let redis: Redis;
  let store: ReadModelStore;
  let buildId: string;
  const gd = `${infra.prefix}.gd.events/0`;
  const hk = `${infra.prefix}.hk.events/0`;
  const item = (progress: number) => ({ itemId: '2019-01', document: JSON.stringify({ progress }), view: JSON.stringify({ progress }), index: 'in_progress||ok' });

  beforeAll(async () => {
    redis = new Redis(infra.redisUrl);
    store = new ReadModelStore(redis, keys.generation('v1'));
    buildId = (await store.beginBuild({ buildId: randomUUID(), targets: { [gd]: '2', [hk]: '0' }, now: new Date().toISOString(), log: {} })).buildId;
  });
  afterAll(async () => {
    const leftovers = await redis.keys(`${infra.prefix}:*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
    redis.disconnect();
  });

  it('applies a batch whose expected offsets match, and refuses its redelivery', async () => {
    const batch = { buildId, expect: [{ topicPartition: gd, offset: '0' }, { topicPartition: hk, offset: '0' }], advance: [{ topicPartition: gd, to: '1' }], items: [item(10)], feed: [{ source: 'gd/0@0', event: '{}' }] };
    expect(await store.apply(batch)).toEqual({ applied: true });
    expect(await store.apply(batch)).toMatchObject({ applied: false, conflict: expect.stringContaining('is at 1') });
    expect(await redis.xlen(keys.generation('v1').feed)).toBe(1);
  });

  it('refuses a writer whose view of the OTHER side topic is stale (a lost partition), leaving the newer state', async () => {
    expect(await store.apply({ buildId, expect: [{ topicPartition: gd, offset: '1' }, { topicPartition: hk, offset: '0' }], advance: [{ topicPartition: hk, to: '3' }], items: [item(20)], feed: [] })).toEqual({ applied: true });
    const stale = await store.apply({ buildId, expect: [{ topicPartition: gd, offset: '1' }, { topicPartition: hk, offset: '0' }], advance: [{ topicPartition: gd, to: '2' }], items: [item(99)], feed: [] });
    expect(stale.applied).toBe(false);
    expect(JSON.parse((await redis.hget(keys.generation('v1').items, '2019-01')) ?? '{}')).toEqual({ progress: 20 });
  });

  it('fences off writers of an earlier build, and goes live once the targets are reached', async () => {
    expect(await store.promote(keys, buildId, 'claim', new Date().toISOString())).toBe('building');
    expect(await store.apply({ buildId: 'another-build', expect: [{ topicPartition: gd, offset: '1' }, { topicPartition: hk, offset: '3' }], advance: [{ topicPartition: gd, to: '2' }], items: [], feed: [] })).toMatchObject({ applied: false });
    expect(await store.apply({ buildId, expect: [{ topicPartition: gd, offset: '1' }, { topicPartition: hk, offset: '3' }], advance: [{ topicPartition: gd, to: '2' }], items: [], feed: [] })).toEqual({ applied: true });
    expect(await store.promote(keys, buildId, 'claim', new Date().toISOString())).toBe('live');
    expect(await redis.get(keys.current)).toBe('v1');
  });

  // A record held for a seal that never comes (a hostile record at a partition's end) keeps the
  // restart offset behind it for good; the build has still read to its target and goes live.
  it('judges going live on what was read, held records included, and restarts from the first held', async () => {
    const generation = keys.generation('v2');
    const aside = new ReadModelStore(redis, generation);
    const id = (await aside.beginBuild({ buildId: randomUUID(), targets: { [gd]: '5', [hk]: '0' }, now: new Date().toISOString(), log: {} })).buildId;
    const expect0 = [{ topicPartition: gd, offset: '0' }, { topicPartition: hk, offset: '0' }];
    expect(await aside.apply({ buildId: id, expect: expect0, advance: [{ topicPartition: gd, to: '3' }], items: [], feed: [] })).toEqual({ applied: true });
    expect(await aside.promote(keys, id, 'claim', new Date().toISOString())).toBe('building');
    const expect3 = [{ topicPartition: gd, offset: '3' }, { topicPartition: hk, offset: '0' }];
    expect(await aside.apply({ buildId: id, expect: expect3, advance: [{ topicPartition: gd, to: '3', read: '5' }], items: [], feed: [] })).toEqual({ applied: true });
    expect(await redis.hget(generation.offsets, gd)).toBe('3');
    expect(await aside.promote(keys, id, 'claim', new Date().toISOString())).toBe('live');
    // A new build wipes what the old one had read.
    await redis.del(generation.meta);
    await aside.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} });
    expect(await redis.exists(generation.reached, generation.offsets)).toBe(0);
  });

  it('starts a clean build when the meta vanished, wiping what was left of the old one', async () => {
    await redis.del(keys.generation('v1').meta);
    const next = await store.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} });
    expect(next).toMatchObject({ state: 'building' });
    expect(next.buildId).not.toBe(buildId);
    expect(await redis.exists(keys.generation('v1').items, keys.generation('v1').offsets, keys.generation('v1').feed)).toBe(0);
    expect((await store.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} })).buildId).toBe(next.buildId);
  });

  // Regression: a meta left without a build id (an older layout on a shared Redis) stopped the projection at start-up.
  it('starts a clean build when the meta has no build id', async () => {
    const generation = keys.generation('v0');
    const legacy = new ReadModelStore(redis, generation);
    await redis.hset(generation.meta, 'state', 'live');
    await redis.hset(generation.items, '2019-01', '{}');
    const build = await legacy.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} });
    expect(build).toMatchObject({ state: 'building' });
    expect(await redis.exists(generation.items)).toBe(0);
  });
});
