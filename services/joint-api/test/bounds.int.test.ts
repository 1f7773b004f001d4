import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { initialSideState, joint, type DecisionView } from '@gdhk/domain';
import { issueToken, type HttpApp } from '@gdhk/http';
import { connectJointReadModel, FeedTail, readModelKeys, ReadModelStore, type JointReadModelConnection } from '@gdhk/readmodel';
import { generateKeyPair, type CryptoKey } from 'jose';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildJointApp, type JointLimits } from '../src/app.ts';
import { CursorSeal } from '../src/cursor-seal.ts';

// joint-api's limits (docs/contract.md, HTTP, "Limits") over a read model in real Redis, written
// through the projection's own store: cursors, the rate limit, stream caps, decision pages, retention.

const SECRET = 'the cursor secret of this test, 32 characters or more';
const redisUrl = inject('redisUrl');
const logger = pino({ level: 'silent' });

interface Fixture {
  readonly prefix: string;
  readonly store: ReadModelStore;
  readonly buildId: string;
  readonly connection: JointReadModelConnection;
  readonly app: HttpApp;
  readonly token: (user: string) => Promise<string>;
  /** applies `count` events of item 2019-01 on gd/0, from offset `from` */
  readonly append: (from: number, count: number) => Promise<void>;
}

const redis = new Redis(redisUrl, { lazyConnect: true });
const fixtures: Fixture[] = [];

function feedEvent(offset: number) {
  return JSON.stringify({ eventId: `00000000-0000-7000-8000-${String(offset).padStart(12, '0')}`, type: 'item.status-reported', side: 'gd', itemId: '2019-01', streamVersion: offset + 1, occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, offset)).toISOString() });
}

function decision(itemId: string, n: number, state: DecisionView['state']): DecisionView {
  return {
    decisionId: `d-${itemId}-${n}`,
    itemId,
    kind: 'escalate',
    state,
    proposedBy: 'gd',
    // Several share a proposal time, so the page order's tie-breaks (item, decision id) matter.
    proposal: { actor: { userId: 'gd-coordinator', department: 'Policy', role: 'coordinator' }, occurredAt: new Date(Date.UTC(2025, 0, 1 + (n % 4))).toISOString(), eventId: randomUUID(), streamVersion: n + 1, rationale: `decision ${n}`, targetDate: null },
    resolution: null,
    answers: [],
  };
}

async function fixture(options: { feedMaxEntries?: number; limits?: Partial<JointLimits>; scanRows?: number; decisions?: DecisionView[] } = {}): Promise<Fixture> {
  const prefix = `t-bounds-${randomUUID().slice(0, 8)}`;
  const keys = readModelKeys(prefix);
  const store = new ReadModelStore(redis, keys.generation('v1'), { feedMaxEntries: options.feedMaxEntries ?? 0 });
  const gd = `${prefix}.gd.events/0`;
  const hk = `${prefix}.hk.events/0`;
  const { buildId } = await store.beginBuild({ buildId: randomUUID(), targets: { [gd]: '0', [hk]: '0' }, now: new Date().toISOString(), log: {} });
  const byItem = new Map<string, DecisionView[]>();
  for (const entry of options.decisions ?? []) byItem.set(entry.itemId, [...(byItem.get(entry.itemId) ?? []), entry]);
  const items = [...byItem].map(([itemId, decisions]) => {
    const view = JSON.stringify({ joint: { ...joint(initialSideState('gd', itemId), initialSideState('hk', itemId)), decisions }, integrity: 'ok', quarantine: { count: 0, last: null } });
    return { itemId, document: '{}', view, index: 'in_progress||ok' };
  });
  expect(await store.apply({ buildId, expect: [], advance: [], items, feed: [] })).toEqual({ applied: true });
  expect(await store.promote(keys, buildId, 'claim', new Date().toISOString())).toBe('live');
  const connection = await connectJointReadModel(redisUrl, prefix);
  const tail = new FeedTail(connection.blocking, connection.readModel, logger);
  const { publicKey, privateKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const app = await buildJointApp({
    logger,
    readModel: connection.readModel,
    tail,
    auth: { publicKey, issuer: 'test', audience: 'test' },
    cursorSecrets: [SECRET],
    stream: { keepAliveMs: 200, scanRows: options.scanRows ?? 5000 },
    limits: { rateLimit: { perSecond: 0, burst: 1, maxUsers: 10 }, ...options.limits },
  });
  app.addHook('onClose', async () => {
    await tail.close();
    connection.close();
  });
  let applied = 0;
  const append = async (from: number, count: number) => {
    const feed = Array.from({ length: count }, (_, index) => ({ source: `gd/0@${from + index}`, event: feedEvent(from + index) }));
    const result = await store.apply({ buildId, expect: [{ topicPartition: gd, offset: String(applied) }], advance: [{ topicPartition: gd, to: String(from + count) }], items: [], feed });
    expect(result).toEqual({ applied: true });
    applied = from + count;
  };
  const token = (user: string) => issueToken(privateKey as CryptoKey, { sub: user, side: 'joint', roles: ['secretariat'], issuer: 'test', audience: 'test' });
  const made = { prefix, store, buildId, connection, app, token, append };
  fixtures.push(made);
  return made;
}

beforeAll(async () => {
  await redis.connect();
});
afterAll(async () => {
  for (const { app, prefix } of fixtures) {
    await app.close();
    const leftovers = await redis.keys(`${prefix}:*`);
    if (leftovers.length > 0) await redis.del(...leftovers);
  }
  redis.disconnect();
});

const get = async (f: Fixture, url: string, user = 'secretariat-1', headers: Record<string, string> = {}) =>
  f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await f.token(user)}`, 'accept-language': 'en', ...headers } });

describe('feed cursors (real Redis)', () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture();
    await f.append(0, 10);
  });

  it('issues signed cursors that resume exactly after their entry', async () => {
    const first = (await get(f, '/v1/feed?limit=4')).json();
    expect(first.events).toHaveLength(4);
    const rest = (await get(f, `/v1/feed?after=${first.next}`)).json();
    expect(rest.events.map((entry: { event: { streamVersion: number } }) => entry.event.streamVersion)).toEqual([5, 6, 7, 8, 9, 10]);
  });

  it('answers 400 GDHK_INVALID_CURSOR to a tampered cursor, on the feed and the stream alike', async () => {
    const { next } = (await get(f, '/v1/feed?limit=2')).json();
    const [body, tag] = String(next).split('.');
    const payload = Buffer.from(JSON.stringify(['feed', 'v1', f.buildId, '', { 'gd/0': '0' }])).toString('base64url');
    for (const tampered of [`${payload}.${tag}`, `${body}.${String(tag).replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`, 'bm90LWEtY3Vyc29y']) {
      const answer = await get(f, `/v1/feed?after=${tampered}`);
      expect(answer.statusCode).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(answer.json()).toMatchObject({ code: 'GDHK_INVALID_CURSOR' });
    }
    const stream = await get(f, '/v1/feed/stream', 'secretariat-1', { 'last-event-id': `${payload}.${tag}` });
    expect(stream.statusCode).toBe(400);
    expect(stream.json()).toMatchObject({ code: 'GDHK_INVALID_CURSOR' });
  });

  it('answers 400 to a signed cursor that names an unknown partition, a position past the feed or an offset past what was applied', async () => {
    // Signed with the API's own secret: what a holder of the secret (or a bug) could produce.
    const seal = new CursorSeal([SECRET]);
    const { streamId } = { streamId: (await redis.xrevrange(readModelKeys(f.prefix).generation('v1').feed, '+', '-', 'COUNT', 1))[0]?.[0] ?? '' };
    const cases = [
      [['feed', 'v1', f.buildId, streamId, { 'gd/9': '1' }], /partition gd\/9, which the feed does not have/],
      [['feed', 'v1', f.buildId, streamId, { 'gd/0': '11' }], /past what was applied/],
      [['feed', 'v1', f.buildId, '99999999999999-0', { 'gd/0': '10' }], /past the end of the feed/],
      [['feed', 'v1', f.buildId, 'not-an-id', {}], /not a feed stream id/],
      [['feed', 'v1', f.buildId, streamId, { 'gd/0': 'ten' }], /not an offset/],
    ] as const;
    for (const [payload, detail] of cases) {
      const answer = await get(f, `/v1/feed?after=${seal.seal(payload)}`);
      expect(answer.statusCode, JSON.stringify(payload)).toBe(400);
      expect(answer.json()).toMatchObject({ code: 'GDHK_INVALID_CURSOR', detail: expect.stringMatching(detail) });
    }
  });

  it('bounds the rows one request scans: after a rebuild a page ends short of the end, and `next` goes on without loss or repetition', async () => {
    const g = await fixture({ scanRows: 100 });
    await g.append(0, 250);
    const old = (await get(g, '/v1/feed?limit=150')).json();
    expect(old.events).toHaveLength(100);
    // A rebuild: the same log applied again under a new build (new stream ids).
    const keys = readModelKeys(g.prefix);
    const gd = `${g.prefix}.gd.events/0`;
    const rebuilt = await g.store.beginBuild({ buildId: randomUUID(), targets: { [gd]: '250' }, now: new Date().toISOString(), log: {} }, g.buildId);
    const feed = Array.from({ length: 250 }, (_, offset) => ({ source: `gd/0@${offset}`, event: feedEvent(offset) }));
    expect(await g.store.apply({ buildId: rebuilt.buildId, expect: [], advance: [{ topicPartition: gd, to: '250' }], items: [], feed })).toEqual({ applied: true });
    expect(await g.store.promote(keys, rebuilt.buildId, 'claim', new Date().toISOString())).toBe('live');
    await new Promise((resolve) => setTimeout(resolve, 250)); // the reader caches the served generation's name for 200 ms
    const versions: number[] = [];
    let after = old.next;
    let pages = 0;
    for (;;) {
      const page = (await get(g, `/v1/feed?after=${after}&limit=1000`)).json();
      pages++;
      versions.push(...page.events.map((entry: { event: { streamVersion: number } }) => entry.event.streamVersion));
      if (page.events.length === 0 && page.next === after) break;
      after = page.next;
    }
    expect(versions).toEqual(Array.from({ length: 150 }, (_, index) => 101 + index));
    expect(pages).toBeGreaterThan(2);
  });
});

describe('per-user rate limit (real Redis)', () => {
  it('answers 429 after the burst with Retry-After and RateLimit fields, per user, never on health or metrics', async () => {
    const f = await fixture({ limits: { rateLimit: { perSecond: 1, burst: 5, maxUsers: 100 } } });
    const token = await f.token('busy-user');
    const call = (url: string) => f.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    for (let index = 0; index < 5; index++) {
      const answer = await call('/v1/summary');
      expect(answer.statusCode).toBe(200);
      expect(answer.headers.ratelimit).toBe(`"per-user";r=${4 - index};t=0`);
      expect(answer.headers['ratelimit-policy']).toBe('"per-user";q=5;w=5');
    }
    const refused = await call('/v1/summary');
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.headers.ratelimit).toBe('"per-user";r=0;t=1');
    expect(refused.json()).toMatchObject({ status: 429, code: 'GDHK_RATE_LIMITED' });
    expect((await get(f, '/v1/summary', 'another-user')).statusCode).toBe(200);
    for (let index = 0; index < 20; index++) {
      expect((await f.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    }
    const metrics = await f.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toMatch(/gdhk_http_rate_limited_total\{route="\/v1\/summary",service="joint-api"\} 1/);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await call('/v1/summary')).statusCode).toBe(200);
  });
});

describe('event stream caps (real Redis)', () => {
  it('refuses a user past their streams with 429 and everyone past the total with 503, both with Retry-After; a closed stream frees its slot', async () => {
    const f = await fixture({ limits: { streamsPerUser: 2, streamsTotal: 3 } });
    await f.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(f.app.server.address() as AddressInfo).port}/v1/feed/stream`;
    const open = async (user: string) => {
      const controller = new AbortController();
      const response = await fetch(url, { headers: { authorization: `Bearer ${await f.token(user)}`, 'accept-language': 'en' }, signal: controller.signal });
      return { response, close: () => controller.abort() };
    };
    const alice = [await open('alice'), await open('alice')];
    expect(alice.map(({ response }) => response.status)).toEqual([200, 200]);
    const third = await open('alice');
    expect(third.response.status).toBe(429);
    expect(third.response.headers.get('retry-after')).toBe('5');
    expect(await third.response.json()).toMatchObject({ code: 'GDHK_TOO_MANY_STREAMS' });
    const bob = await open('bob');
    expect(bob.response.status).toBe(200);
    const carol = await open('carol');
    expect(carol.response.status).toBe(503);
    expect(carol.response.headers.get('retry-after')).toBe('5');
    expect(await carol.response.json()).toMatchObject({ code: 'GDHK_STREAMS_EXHAUSTED' });
    alice[0]?.close();
    const deadline = Date.now() + 5000;
    let again = await open('alice');
    while (again.response.status !== 200 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      again = await open('alice');
    }
    expect(again.response.status).toBe(200);
    const metrics = await f.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/gdhk_sse_refused_total\{cap="user",service="joint-api"\} 1/);
    expect(metrics.body).toMatch(/gdhk_sse_streams\{service="joint-api"\} 3/);
    for (const stream of [...alice, bob, again]) stream.close();
  });
});

describe('decisions in pages (real Redis)', () => {
  const decisions = ['2019-01', '2019-02', '2019-07', '2019-30'].flatMap((itemId, item) => Array.from({ length: 9 }, (_, n) => decision(itemId, n, (n + item) % 3 === 0 ? 'open' : 'effective')));
  let f: Fixture;
  beforeAll(async () => {
    f = await fixture({ decisions });
  });

  const walk = async (query: string) => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const answer = await get(f, `/v1/decisions?${query}${after ? `&after=${after}` : ''}`);
      expect(answer.statusCode).toBe(200);
      const page: { decisions: DecisionView[]; next: string | null } = answer.json();
      expect(page.decisions.length).toBeLessThanOrEqual(7);
      seen.push(...page.decisions.map((entry) => entry.decisionId));
      if (page.next === null) return seen;
      after = page.next;
    }
    throw new Error('the pages never ended');
  };

  it('walks every page without loss or repetition, in the listing order', async () => {
    const all: { decisions: DecisionView[]; next: string | null } = (await get(f, '/v1/decisions?limit=1000')).json();
    expect(all.decisions).toHaveLength(36);
    expect(all.next).toBeNull();
    const paged = await walk('limit=7');
    expect(paged).toEqual(all.decisions.map((entry) => entry.decisionId));
    expect(new Set(paged).size).toBe(36);
    const open = await walk('limit=7&state=open');
    expect(open).toEqual(all.decisions.filter((entry) => entry.state === 'open').map((entry) => entry.decisionId));
  });

  it('pages by 100 by default, refuses a limit over 1000 and a tampered cursor', async () => {
    expect((await get(f, '/v1/decisions')).json().next).toBeNull();
    expect((await get(f, '/v1/decisions?limit=1001')).statusCode).toBe(400);
    const { next } = (await get(f, '/v1/decisions?limit=3')).json();
    const answer = await get(f, `/v1/decisions?after=${String(next).slice(1)}`);
    expect(answer.statusCode).toBe(400);
    expect(answer.json()).toMatchObject({ code: 'GDHK_INVALID_CURSOR' });
  });
});

describe("the feed's retention (real Redis)", () => {
  it('keeps the newest entries; a cursor behind them is 410 with a problem saying how to replay; history says it is incomplete', async () => {
    const f = await fixture({ feedMaxEntries: 5 });
    await f.append(0, 4);
    const early = (await get(f, '/v1/feed?limit=2')).json();
    const late = (await get(f, '/v1/feed?limit=4')).json();
    await f.append(4, 4);
    expect(await redis.xlen(readModelKeys(f.prefix).generation('v1').feed)).toBe(5);

    const gone = await get(f, `/v1/feed?after=${early.next}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(gone.json()).toMatchObject({ status: 410, code: 'GDHK_CURSOR_EXPIRED', detail: expect.stringMatching(/from its start .*npm run audit -- replay/) });
    const streamGone = await get(f, '/v1/feed/stream', 'secretariat-1', { 'last-event-id': early.next });
    expect(streamGone.statusCode).toBe(410);

    // A cursor at or after the trimmed part still reads on; the start reads what is kept.
    const rest = (await get(f, `/v1/feed?after=${late.next}`)).json();
    expect(rest.events.map((entry: { event: { streamVersion: number } }) => entry.event.streamVersion)).toEqual([5, 6, 7, 8]);
    const kept = (await get(f, '/v1/feed')).json();
    expect(kept.events.map((entry: { event: { streamVersion: number } }) => entry.event.streamVersion)).toEqual([4, 5, 6, 7, 8]);

    const history = (await get(f, '/v1/items/2019-01/history')).json();
    expect(history).toMatchObject({ total: 5, complete: false });
  });
});
