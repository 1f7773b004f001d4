import { startRedisServer, type RedisServer } from '@gdhk/infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  readStoredModel,
  SideWriter,
  sideHighWatermarks,
  spawnInstance,
  startSystem,
  testInfra,
  waitForCaughtUp,
  type StoredReadModel,
  type TestInfra,
  type TestSystem,
  type UnsealedEvent,
} from '@gdhk/tests/support';

// Redis is a cache of the event log: whatever happens to the projection or to Redis, the read
// model ends up equal to a fresh build from the log. A private redis-server, since one test flushes it.
describe('read model recovery', () => {
  const shared = testInfra('recovery');
  let redisServer: RedisServer;
  let infra: TestInfra;
  let system: TestSystem;
  let writer: SideWriter;
  let secretariat: string;

  beforeAll(async () => {
    redisServer = await startRedisServer();
    infra = { ...shared, redisUrl: redisServer.url };
    // Topic creation can meet a broker still electing leaders for another suite's topics.
    for (let attempt = 1; ; attempt++) {
      try {
        await infra.createTopics();
        break;
      } catch (error) {
        if (attempt === 3) throw error;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    system = await startSystem(infra, ['projection', 'joint-api']);
    writer = new SideWriter(infra, system.keysDir);
    await writer.connect();
    secretariat = await system.token('joint', 'secretariat');
  });
  afterAll(async () => {
    await writer?.disconnect();
    await system?.stop();
    await shared.cleanup();
    await redisServer?.stop();
  });

  let round = 0;
  /** Status reports and decisions spread over many items and both sides. */
  const traffic = async (perStream: number, items = 40) => {
    round += 1;
    for (const side of ['gd', 'hk'] as const) {
      const events: UnsealedEvent[] = [];
      for (let n = 0; n < perStream; n++) {
        for (let i = 1; i <= items; i++) {
          const itemId = `2019-${String(i).padStart(2, '0')}`;
          events.push({ itemId, type: 'item.status-reported', data: { status: n % 7 === 3 ? 'blocked' : 'in_progress', progress: (n * 3 + i) % 100, summary: `round ${round} report ${n}`, ...(n % 7 === 3 ? { blockers: 'waiting' } : {}) } });
        }
      }
      await writer.write(side, events);
    }
  };
  const expectSameModel = (actual: StoredReadModel, expected: StoredReadModel) => {
    expect(actual.offsets).toEqual(expected.offsets);
    expect(actual.items).toEqual(expected.items);
    expect(actual.views).toEqual(expected.views);
    expect(actual.feed).toEqual(expected.feed);
    for (const offsets of actual.feedOrder.values()) expect(offsets).toEqual([...offsets].sort((a, b) => (a < b ? -1 : 1)).filter((offset, index, all) => index === 0 || offset !== all[index - 1]));
  };
  const digest = async (base = system.url('joint-api')) => (await call(`${base}/v1/digest`, { token: secretariat })).body;

  it('kill -9 of the projection in the middle of a batch, then a restart, gives the read model of a fresh rebuild', async () => {
    await traffic(60);
    const marks = await sideHighWatermarks(infra);
    const total = Object.values(marks).reduce((sum, high) => sum + BigInt(high), 0n);
    const redis = new Redis(infra.redisUrl);
    let applied = 0n;
    while (applied < total / 3n) {
      applied = Object.values(await redis.hgetall(`${infra.prefix}:rm:v1:offsets`)).reduce((sum, offset) => sum + BigInt(offset), 0n);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await system.processes.get('projection')?.stop('SIGKILL');
    applied = Object.values(await redis.hgetall(`${infra.prefix}:rm:v1:offsets`)).reduce((sum, offset) => sum + BigInt(offset), 0n);
    redis.disconnect();
    expect(applied, 'the projection was killed before it finished').toBeLessThan(total);

    await system.start('projection');
    await waitForCaughtUp(infra, 'v1');
    const fresh = await spawnInstance(infra, system, 'projection', { GDHK_READ_MODEL_GENERATION: 'fresh' });
    await waitForCaughtUp(infra, 'fresh');
    await fresh.stop();
    expectSameModel(await readStoredModel(infra.redisUrl, infra.prefix, 'v1'), await readStoredModel(infra.redisUrl, infra.prefix, 'fresh'));
  });

  it('after FLUSHALL joint-api answers 503 with Retry-After, then the same view again; feed cursors survive', async () => {
    const before = await digest();
    const firstPage = await call(`${system.url('joint-api')}/v1/feed?limit=100`, { token: secretariat });
    const allBefore = await readFeedFrom(system.url('joint-api'), secretariat, undefined);

    const redis = new Redis(infra.redisUrl);
    await redis.flushall();
    redis.disconnect();
    const during = await call(`${system.url('joint-api')}/v1/items/2019-01`, { token: secretariat });
    expect(during.status).toBe(503);
    expect(during.headers.get('retry-after')).toBeTruthy();
    expect(during.body.code).toBe('GDHK_READ_MODEL_REBUILDING');

    await expect.poll(async () => (await call(`${system.url('joint-api')}/v1/items/2019-01`, { token: secretariat })).status, { timeout: 60_000, interval: 100 }).toBe(200);
    await waitForCaughtUp(infra, 'v1');
    expect(await digest()).toEqual(before);

    // A reader that stopped before the flush resumes in the rebuilt feed with nothing lost or repeated.
    const rest = await readFeedFrom(system.url('joint-api'), secretariat, firstPage.body.next);
    const resumed = [...firstPage.body.events, ...rest].map((entry: { event: { eventId: string } }) => entry.event.eventId);
    expect(new Set(resumed).size).toBe(resumed.length);
    expect(resumed.sort()).toEqual(allBefore.map((entry) => entry.event.eventId).sort());
  });

  it('two projection instances in one group, with rebalances in the middle of traffic, build the same read model as one', async () => {
    const first = await spawnInstance(infra, system, 'projection', { GDHK_READ_MODEL_GENERATION: 'scale' });
    await traffic(10);
    const second = await spawnInstance(infra, system, 'projection', { GDHK_READ_MODEL_GENERATION: 'scale' });
    await traffic(10);
    await first.stop();
    await traffic(10);
    await waitForCaughtUp(infra, 'scale');
    await waitForCaughtUp(infra, 'v1');
    const appliedBy = async (url: string) => Number(/gdhk_projection_events_applied_total\{[^}]*\} (\d+)/.exec(await (await fetch(`${url}/metrics`)).text())?.[1] ?? 0);
    expect(await appliedBy(second.url)).toBeGreaterThan(0);
    await second.stop();
    expectSameModel(await readStoredModel(infra.redisUrl, infra.prefix, 'scale'), await readStoredModel(infra.redisUrl, infra.prefix, 'v1'));
  });

  it('a new generation builds beside the live one and takes over without a single failed read', async () => {
    const before = await digest();
    const failures: number[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const status = (await call(`${system.url('joint-api')}/v1/summary`, { token: secretariat })).status;
        if (status !== 200) failures.push(status);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const green = await spawnInstance(infra, system, 'projection', { GDHK_READ_MODEL_GENERATION: 'green', GDHK_READ_MODEL_SWITCH: 'takeover' });
    const redis = new Redis(infra.redisUrl);
    await expect.poll(() => redis.get(`${infra.prefix}:rm:current`), { timeout: 60_000, interval: 50 }).toBe('green');
    redis.disconnect();
    await new Promise((resolve) => setTimeout(resolve, 300));
    reading = false;
    await reader;
    await green.stop();
    expect(failures).toEqual([]);
    expect(await digest()).toEqual(before);
  });
});

async function readFeedFrom(base: string, token: string, after: string | undefined): Promise<{ event: { eventId: string } }[]> {
  const events: { event: { eventId: string } }[] = [];
  let cursor = after;
  for (;;) {
    const page = await call(`${base}/v1/feed?limit=1000${cursor ? `&after=${cursor}` : ''}`, { token });
    expect(page.status).toBe(200);
    events.push(...page.body.events);
    cursor = page.body.next;
    if (page.body.events.length === 0) return events;
  }
}
