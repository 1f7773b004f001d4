import { randomUUID } from 'node:crypto';
import { initialSideState, joint } from '@gdhk/domain';
import { issueToken, type HttpApp } from '@gdhk/http';
import { connectJointReadModel, readModelKeys, ReadModelStore, type JointReadModelConnection } from '@gdhk/readmodel';
import { generateKeyPair, type CryptoKey } from 'jose';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildJointApp } from '../src/app.ts';

// joint-api's reads from memory (docs/decisions.md, "Reads from memory") over a real Redis written
// through the projection's own store: what a reader sees after applies, switches, rebuilds, a
// dropped subscriber and out-of-band changes, and that a 304 costs Redis nothing.

const redisUrl = inject('redisUrl');
const logger = pino({ level: 'silent' });
const redis = new Redis(redisUrl, { lazyConnect: true });
const ITEM = '2019-01';

/** The date the n-th version of the item carries: later versions, later dates. */
const dateOf = (n: number) => new Date(Date.UTC(2030, 0, 1) + n * 86_400_000).toISOString().slice(0, 10);
const itemAt = (n: number, status: 'in_progress' | 'closed' = 'in_progress') => {
  const view = { joint: { ...joint(initialSideState('gd', ITEM), initialSideState('hk', ITEM)), targetDate: dateOf(n) }, integrity: 'ok', quarantine: { count: 0, last: null } };
  return { itemId: ITEM, document: '{}', view: JSON.stringify(view), index: `${status}|${dateOf(n)}|ok` };
};

interface Fixture {
  readonly prefix: string;
  readonly connection: JointReadModelConnection;
  readonly app: HttpApp;
  /** a live generation `name` whose item is at version n (switching `current` to it as `mode` says) */
  readonly build: (name: string, n: number, mode?: 'claim' | 'takeover') => Promise<{ store: ReadModelStore; buildId: string; set: (m: number, status?: 'in_progress' | 'closed') => Promise<void> }>;
  readonly get: (url: string, headers?: Record<string, string>) => Promise<{ statusCode: number; headers: Record<string, unknown>; json: () => { targetDate?: string; code?: string; byStatus?: Record<string, number> } }>;
}

const fixtures: Fixture[] = [];

async function fixture(options: { checkMs?: number; memory?: boolean } = {}): Promise<Fixture> {
  const prefix = `t-memory-${randomUUID().slice(0, 8)}`;
  const keys = readModelKeys(prefix);
  const build: Fixture['build'] = async (name, n, mode = 'claim') => {
    const store = new ReadModelStore(redis, keys.generation(name));
    const { buildId } = await store.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} });
    expect(await store.apply({ buildId, expect: [], advance: [], items: [itemAt(n)], feed: [] })).toEqual({ applied: true });
    expect(await store.promote(keys, buildId, mode, new Date().toISOString())).toBe('live');
    const set = async (m: number, status?: 'in_progress' | 'closed') => {
      expect(await store.apply({ buildId, expect: [], advance: [], items: [itemAt(m, status)], feed: [] })).toEqual({ applied: true });
    };
    return { store, buildId, set };
  };
  const connection = await connectJointReadModel(redisUrl, prefix, options.memory === false ? {} : { memory: { checkMs: options.checkMs ?? 200, logger } });
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  // No event stream is opened here: a tail that never wakes keeps the feed's blocking reads out of the command counts.
  const tail = { version: 0, wait: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
  const app = await buildJointApp({ logger, readModel: connection.readModel, tail, auth: { publicKey, issuer: 'test', audience: 'test' }, cursorSecrets: ['the cursor secret of this test, 32 characters or more'], limits: { rateLimit: { perSecond: 0, burst: 1, maxUsers: 10 } } });
  app.addHook('onClose', async () => connection.close());
  const token = await issueToken(privateKey as CryptoKey, { sub: 'secretariat-1', side: 'joint', roles: ['secretariat'], issuer: 'test', audience: 'test' });
  const get: Fixture['get'] = (url, headers = {}) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en', ...headers } });
  const made = { prefix, connection, app, build, get };
  fixtures.push(made);
  return made;
}

/** The item's date as joint-api answers it, or the error code. */
const seen = async (f: Fixture) => {
  const answer = await f.get(`/v1/items/${ITEM}`);
  return answer.statusCode === 200 ? (answer.json().targetDate ?? '') : `${answer.statusCode} ${answer.json().code}`;
};

/** Reads until `wanted` is answered (at most `ms`), failing if an answer ever goes back to one of `older`. */
async function readUntil(f: Fixture, wanted: string, older: readonly string[], ms = 3000): Promise<string[]> {
  const answers: string[] = [];
  const deadline = Date.now() + ms;
  for (;;) {
    const answer = await seen(f);
    if (answers.includes(wanted)) expect(older, `answered ${answer} after ${wanted}`).not.toContain(answer);
    answers.push(answer);
    if (answer === wanted && answers.length > 1) return answers;
    if (Date.now() > deadline) throw new Error(`never answered ${wanted} within ${ms} ms; answers ${answers.slice(-5).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

const waitForMemory = (f: Fixture) => expect.poll(async () => (await f.connection.readModel.inMemory()) !== undefined, { timeout: 5000, interval: 10 }).toBe(true);
const reloads = (f: Fixture, reason: string) => f.connection.mirror?.reloads.get(reason) ?? 0;

/** Every command Redis ran so far, by name (INFO commandstats). */
async function commandCounts(): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  return new Map([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map(([, name, calls]) => [name ?? '', Number(calls)]));
}
const commandsBetween = (before: Map<string, number>, after: Map<string, number>) =>
  Object.fromEntries([...after].filter(([name, calls]) => name !== 'info' && calls !== (before.get(name) ?? 0)).map(([name, calls]) => [name, calls - (before.get(name) ?? 0)]));

beforeAll(async () => {
  await redis.connect();
});
// Each test's apps close after it, so no other app's checks run into the next test's command counts.
afterEach(async () => {
  for (const { app, prefix } of fixtures.splice(0)) {
    await app.close();
    const leftovers = await redis.keys(`${prefix}:*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
  }
});
afterAll(() => redis.disconnect());

describe('reads from memory (real Redis)', () => {
  it('serves from memory once loaded, and shows each apply at once, never an older state after a newer one', async () => {
    const f = await fixture();
    const v1 = await f.build('v1', 0);
    await waitForMemory(f);
    expect(await seen(f)).toBe(dateOf(0));
    for (let n = 1; n <= 20; n += 1) {
      await v1.set(n);
      await readUntil(f, dateOf(n), Array.from({ length: n }, (_, k) => dateOf(k)), 2000);
    }
    // The summary follows too: the item closed is counted closed.
    await v1.set(21, 'closed');
    await expect.poll(async () => (await f.get('/v1/summary')).json().byStatus?.closed, { timeout: 2000, interval: 5 }).toBe(1);
    expect((await f.connection.readModel.inMemory())?.version).toBeGreaterThan(0);
  });

  it('never serves a generation switched away from: a takeover by another generation is answered from it', async () => {
    const f = await fixture();
    await f.build('blue', 1);
    await waitForMemory(f);
    expect(await seen(f)).toBe(dateOf(1));
    const green = await f.build('green', 500, 'takeover');
    await readUntil(f, dateOf(500), [dateOf(1)]);
    await green.set(501);
    await readUntil(f, dateOf(501), [dateOf(1), dateOf(500)]);
    await waitForMemory(f);
    expect((await f.connection.readModel.inMemory())?.served.generation).toBe('green');
  });

  it('a rebuild of the served generation answers 503 until it is live again, never the state before it', async () => {
    const f = await fixture();
    const v1 = await f.build('v1', 7);
    await waitForMemory(f);
    // The projection found the data lost: a new build replaces the live one in the same generation.
    const rebuilt = await v1.store.beginBuild({ buildId: randomUUID(), targets: {}, now: new Date().toISOString(), log: {} }, v1.buildId);
    const answers = await readUntil(f, '503 GDHK_READ_MODEL_REBUILDING', [dateOf(7)]);
    expect(answers.at(-1)).toBe('503 GDHK_READ_MODEL_REBUILDING');
    expect(await v1.store.apply({ buildId: rebuilt.buildId, expect: [], advance: [], items: [itemAt(8)], feed: [] })).toEqual({ applied: true });
    // Still building: the new build's items are not served before it is live.
    expect(await seen(f)).toBe('503 GDHK_READ_MODEL_REBUILDING');
    expect(await v1.store.promote(readModelKeys(f.prefix), rebuilt.buildId, 'claim', new Date().toISOString())).toBe('live');
    await readUntil(f, dateOf(8), [dateOf(7)]);
  });

  it('changes made behind the store\'s back reach memory: current set by hand, the served meta deleted', async () => {
    const f = await fixture();
    await f.build('a', 1);
    await f.build('b', 2); // live beside a; `current` stays on a
    await waitForMemory(f);
    expect(await seen(f)).toBe(dateOf(1));
    await redis.set(readModelKeys(f.prefix).current, 'b');
    await readUntil(f, dateOf(2), [dateOf(1)]);
    await redis.del(readModelKeys(f.prefix).generation('b').meta);
    await readUntil(f, '503 GDHK_READ_MODEL_REBUILDING', [dateOf(2)]);
    expect(reloads(f, 'invalidation')).toBeGreaterThanOrEqual(2);
  });

  it('a dropped subscriber connection (CLIENT KILL) reloads from Redis, and a change made meanwhile is not lost', async () => {
    const f = await fixture();
    const v1 = await f.build('v1', 0);
    await waitForMemory(f);
    const sessions = reloads(f, 'session');
    const subscriber = String(await redis.client('LIST')).split('\n').find((line) => line.includes(` name=joint-api-views:${f.prefix} `));
    const id = /id=(\d+)/.exec(subscriber ?? '')?.[1];
    expect(id, 'the view memory subscribes on a connection of its own').toBeDefined();
    await redis.client('KILL', 'ID', String(id));
    await v1.set(1); // published while nobody of this process listens
    await readUntil(f, dateOf(1), [dateOf(0)]);
    await expect.poll(() => reloads(f, 'session'), { timeout: 5000, interval: 10 }).toBeGreaterThan(sessions);
    await waitForMemory(f);
    expect((await f.connection.readModel.inMemory())?.views.get(ITEM)?.joint.targetDate).toBe(dateOf(1));
    await v1.set(2);
    await readUntil(f, dateOf(2), [dateOf(0), dateOf(1)]);
  });

  it('a skipped version reloads instead of applying the next message', async () => {
    const f = await fixture();
    const v1 = await f.build('v1', 0);
    await waitForMemory(f);
    const missed = reloads(f, 'missed version');
    // A version taken without its message: what a lost message looks like to the subscriber.
    await redis.incr(readModelKeys(f.prefix).version);
    await v1.set(3);
    await readUntil(f, dateOf(3), [dateOf(0)]);
    await expect.poll(() => reloads(f, 'missed version'), { timeout: 3000, interval: 10 }).toBeGreaterThan(missed);
    await waitForMemory(f);
    expect((await f.connection.readModel.inMemory())?.views.get(ITEM)?.joint.targetDate).toBe(dateOf(3));
  });

  it('answers If-None-Match with 304 and a 200 from memory without a single Redis command', async () => {
    const f = await fixture({ checkMs: 60_000 });
    await f.build('v1', 4);
    await waitForMemory(f);
    const routes = [`/v1/items/${ITEM}`, '/v1/summary', '/v1/items?chapter=1'];
    const tags = new Map<string, string>();
    for (const route of routes) tags.set(route, String((await f.get(route)).headers.etag));
    const before = await commandCounts();
    for (let round = 0; round < 50; round += 1) {
      for (const route of routes) {
        const answer = await f.get(route, { 'if-none-match': tags.get(route) ?? '' });
        expect(answer.statusCode).toBe(304);
      }
      expect((await f.get(`/v1/items/${ITEM}`)).statusCode).toBe(200);
    }
    expect(commandsBetween(before, await commandCounts())).toEqual({});

    // The same count sees the reads of a joint-api without memory: the measure is not blind.
    const plain = await fixture({ memory: false });
    await plain.build('v1', 4);
    const counted = await commandCounts();
    expect((await plain.get(`/v1/items/${ITEM}`, { 'if-none-match': tags.get(`/v1/items/${ITEM}`) ?? '' })).statusCode).toBe(304);
    expect(commandsBetween(counted, await commandCounts())).toMatchObject({ exec: 1 });
  });

  it('sends the same bytes and ETag from memory as from Redis', async () => {
    const memory = await fixture();
    const plain = await fixture({ memory: false });
    for (const f of [memory, plain]) await f.build('v1', 9);
    await waitForMemory(memory);
    for (const route of [`/v1/items/${ITEM}`, '/v1/summary', '/v1/items', '/v1/items?status=in_progress', '/v1/decisions']) {
      const [a, b] = [await memory.get(route), await plain.get(route)];
      expect(a.statusCode, route).toBe(200);
      expect(a.json(), route).toEqual(b.json());
      expect(a.headers.etag, route).toBe(b.headers.etag);
      expect(a.headers['content-type'], route).toBe(b.headers['content-type']);
    }
  });
});
