import { startRedisServer, type RedisServer } from '@gdhk/infra';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  countWrites,
  openFeedStream,
  readStoredModel,
  SideWriter,
  sideHighWatermarks,
  spawnInstance,
  startCountedLoad,
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
    system = await startSystem(infra, ['gd-service', 'hk-service', 'projection', 'joint-api']);
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

  it('kill -9 of the projection in the middle of a batch, then a restart, gives the read model of a fresh rebuild', async () => {
    await traffic(60);
    const marks = await sideHighWatermarks(infra);
    const total = Object.values(marks).reduce((sum, high) => sum + BigInt(high), 0n);
    const redis = new Redis(infra.redisUrl);
    let applied = 0n;
    const deadline = Date.now() + 60_000;
    while (applied < total / 3n) {
      if (Date.now() > deadline) throw new Error(`the projection applied ${applied} of ${total} events in 60 s`);
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

  // Items only the side services write in these tests (the SideWriter's traffic is on 2019-01…40).
  const loadItems = Array.from({ length: 15 }, (_, i) => `2019-${45 + i}`);
  /** Every event id of the feed, paged from `after` to its end. */
  const feedIds = async (after?: string) => (await readFeedFrom(system.url('joint-api'), secretariat, after)).events.map((entry) => entry.event.eventId);
  /** An event written straight to the log: the next entry a stream must deliver after everything before it. */
  const writeMarker = async () => String((await writer.write('gd', [{ itemId: '2019-69', type: 'item.status-reported', data: { status: 'in_progress', progress: round % 100, summary: `marker ${round}` } }]))[0]?.eventId);

  it('after FLUSHALL under counted writes: only 503 or the whole view, the first 200 is the view before, a stream connected throughout gets every event once, cursors resume', { timeout: 240_000 }, async () => {
    round += 1;
    await waitForCaughtUp(infra, 'v1');
    const before = await call(`${system.url('joint-api')}/v1/items/2019-01`, { token: secretariat });
    expect(before.status).toBe(200);
    const firstPage = await call(`${system.url('joint-api')}/v1/feed?limit=100`, { token: secretariat });
    // From the start of the feed, reconnecting with Last-Event-ID as a browser's EventSource does.
    const stream = await openFeedStream(system.url('joint-api'), secretariat, { reconnect: true });
    const load = startCountedLoad(system, 'flush', loadItems);
    try {
      await load.acknowledgedMore(30);
      const redis = new Redis(infra.redisUrl);
      await redis.flushall();
      redis.disconnect();
      const answers: number[] = [];
      let first: Awaited<ReturnType<typeof call>> | undefined;
      const deadline = Date.now() + 60_000;
      while (!first) {
        if (Date.now() > deadline) throw new Error(`no 200 within 60 s of the flush; answers ${answers.slice(-5).join(', ')}`);
        const during = await call(`${system.url('joint-api')}/v1/items/2019-01`, { token: secretariat });
        answers.push(during.status);
        if (during.status === 200) first = during;
        else {
          expect(during.status).toBe(503);
          expect(Number(during.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(during.body.code).toBe('GDHK_READ_MODEL_REBUILDING');
        }
      }
      expect(answers[0], 'the flush was not noticed').toBe(503);
      // Never partial: the first answer after the rebuild is the item exactly as before (the writes are on other items).
      expect(first.body).toEqual(before.body);
      await load.acknowledgedMore(30, 90_000);
    } finally {
      await load.stop();
    }

    const { violations, log, feed } = await countWrites(infra, system, secretariat, load.records);
    expect(violations.slice(0, 20), `${violations.length} violations`).toEqual([]);
    expect(feed.length).toBe(log.length);
    // The stream, connected throughout, delivered every event of the log once; the next one written is next.
    const received = await stream.take(feed.length, 60_000);
    expect(received.map((entry) => entry.data.event.eventId).sort()).toEqual(feed.map((entry) => entry.eventId).sort());
    const marker = await writeMarker();
    expect((await stream.take(1)).map((entry) => entry.data.event.eventId)).toEqual([marker]);
    stream.close();
    expect(stream.attempts.filter((status) => status === 200).length, 'the stream never had to reconnect').toBeGreaterThan(1);

    // A reader that stopped before the flush resumes in the rebuilt feed with nothing lost or repeated.
    const resumed = [...firstPage.body.events.map((entry: { event: { eventId: string } }) => entry.event.eventId), ...(await feedIds(firstPage.body.next))];
    expect(new Set(resumed).size).toBe(resumed.length);
    expect(resumed.sort()).toEqual((await feedIds()).sort());
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

  it('a new generation builds beside the live one under counted writes and takes over without a failed read; a stream resumes across the switch', { timeout: 240_000 }, async () => {
    round += 1;
    await waitForCaughtUp(infra, 'v1');
    const end = (await readFeedFrom(system.url('joint-api'), secretariat, undefined)).next;
    const stream = await openFeedStream(system.url('joint-api'), secretariat, { lastEventId: end, reconnect: true });
    const redis = new Redis(infra.redisUrl);
    const failures: number[] = [];
    let readsOnGreen = 0;
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const status = (await call(`${system.url('joint-api')}/v1/summary`, { token: secretariat })).status;
        if (status !== 200) failures.push(status);
        else if ((await redis.get(`${infra.prefix}:rm:current`)) === 'green') readsOnGreen += 1;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const load = startCountedLoad(system, 'takeover', loadItems);
    const green = await spawnInstance(infra, system, 'projection', { GDHK_READ_MODEL_GENERATION: 'green', GDHK_READ_MODEL_SWITCH: 'takeover' });
    try {
      await expect.poll(() => redis.get(`${infra.prefix}:rm:current`), { timeout: 60_000, interval: 50 }).toBe('green');
      // Enough reads served after the switch to have met any gap, counted rather than waited for.
      await expect.poll(() => readsOnGreen, { timeout: 30_000, interval: 50 }).toBeGreaterThanOrEqual(20);
      await load.acknowledgedMore(30, 90_000);
      reading = false;
      await reader;
      await load.stop();
      expect(failures).toEqual([]);

      await waitForCaughtUp(infra, 'green');
      const { violations, log, feed } = await countWrites(infra, system, secretariat, load.records);
      expect(violations.slice(0, 20), `${violations.length} violations`).toEqual([]);
      expect(feed.length).toBe(log.length);
      // Every event after the stream's starting cursor, as the new generation serves the feed, arrived once.
      const expected = await feedIds(end);
      const received = await stream.take(expected.length, 60_000);
      expect(received.map((entry) => entry.data.event.eventId).sort()).toEqual([...expected].sort());
      const marker = await writeMarker();
      expect((await stream.take(1)).map((entry) => entry.data.event.eventId)).toEqual([marker]);
      expect(stream.attempts.filter((status) => status === 200).length, 'the stream never had to reconnect').toBeGreaterThan(1);

      await waitForCaughtUp(infra, 'green');
      await waitForCaughtUp(infra, 'v1');
      expectSameModel(await readStoredModel(infra.redisUrl, infra.prefix, 'green'), await readStoredModel(infra.redisUrl, infra.prefix, 'v1'));
    } finally {
      reading = false;
      await load.stop();
      stream.close();
      redis.disconnect();
      await green.stop();
    }
  });
});

async function readFeedFrom(base: string, token: string, after: string | undefined): Promise<{ events: { event: { eventId: string } }[]; next: string }> {
  const events: { event: { eventId: string } }[] = [];
  let cursor = after;
  for (;;) {
    const page = await call(`${base}/v1/feed?limit=1000${cursor ? `&after=${cursor}` : ''}`, { token });
    expect(page.status).toBe(200);
    events.push(...page.body.events);
    cursor = page.body.next;
    if (!page.body.more && page.body.events.length === 0) return { events, next: String(cursor) };
  }
}
