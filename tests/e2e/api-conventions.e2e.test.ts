import { randomUUID } from 'node:crypto';
import { createJointClient, createSideClient, type JointClient } from '@gdhk/client';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, spawnInstance, startSystem, testInfra, type RunningProcess, type TestSystem } from '@gdhk/tests/support';
import { redoclyLint } from '../support/openapi.ts';

// The HTTP conventions over the real processes: documents that lint clean, conditional GETs,
// CORS, strong If-Match, structured Idempotency-Key, localised problems, history and exports.
describe('API conventions', () => {
  const infra = testInfra('conventions');
  let system: TestSystem;
  let corsApi: RunningProcess;
  let secretariat: string;
  let gdCoordinator: string;
  let hkCoordinator: string;
  let client: JointClient;

  beforeAll(async () => {
    await infra.createTopics();
    system = await startSystem(infra, ['gd-service', 'hk-service', 'projection', 'joint-api']);
    corsApi = await spawnInstance(infra, system, 'joint-api', { GDHK_CORS_ORIGINS: 'https://desk.example.gov, http://localhost:5173' });
    secretariat = await system.token('joint', 'secretariat');
    gdCoordinator = await system.token('gd', 'coordinator', 'Transport and Housing');
    hkCoordinator = await system.token('hk', 'coordinator', 'Security Bureau');
    client = createJointClient({ baseUrl: system.url('joint-api'), token: () => secretariat });
  });
  afterAll(async () => {
    await corsApi?.stop();
    await system?.stop();
    await infra.cleanup();
  });

  const report = (side: 'gd' | 'hk', itemId: string, progress: number, headers: Record<string, string> = {}) =>
    call(`${system.url(`${side}-service`)}/v1/items/${itemId}/status`, {
      token: side === 'gd' ? gdCoordinator : hkCoordinator,
      headers: { 'idempotency-key': randomUUID(), ...headers },
      body: { status: 'in_progress', progress, summary: `${side} at ${progress}` },
    });
  const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 10_000, interval: 50 });

  it('both OpenAPI documents pass redocly lint (recommended) with no error, and /docs serves an HTML reference', async () => {
    for (const service of ['joint-api', 'gd-service'] as const) {
      const document = (await call(`${system.url(service)}/docs/json`)).body;
      const result = await redoclyLint(document);
      expect(result.errors, result.output).toBe(0);
      expect(result.warnings, result.output).toBe(0);
      for (const path of Object.values(document.paths as Record<string, Record<string, { operationId?: string; tags?: string[]; responses: Record<string, { content?: object; headers?: object }> }>>)) {
        for (const operation of Object.values(path)) {
          expect(operation.operationId).toBeTruthy();
          expect(operation.tags?.length).toBeGreaterThan(0);
          for (const [status, response] of Object.entries(operation.responses)) {
            expect(Object.keys(response.headers ?? {})).toContain('X-Correlation-Id');
            if (/^[45]/.test(status)) expect(Object.keys(response.content ?? {})).toEqual(['application/problem+json']);
          }
        }
      }
    }
    const html = await fetch(`${system.url('joint-api')}/docs`, { headers: { accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.url).toMatch(/\/docs\/ui\/$/);
    expect(await html.text()).toContain('swagger');
  });

  it('items, item, summary and decisions answer 304 to a current ETag, and vary by language', async () => {
    const reads = ['/v1/items', '/v1/items/2019-05', '/v1/summary', '/v1/decisions'];
    const tags = new Map<string, string>();
    for (const path of reads) {
      const first = await call(`${system.url('joint-api')}${path}`, { token: secretariat, headers: { 'accept-language': 'en' } });
      expect(first.status).toBe(200);
      const etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]+"$/);
      tags.set(path, etag);
      const again = await call(`${system.url('joint-api')}${path}`, { token: secretariat, headers: { 'accept-language': 'en', 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(again.headers.get('etag')).toBe(etag);
      expect((await call(`${system.url('joint-api')}${path}`, { token: secretariat, headers: { 'accept-language': 'en', 'if-none-match': `W/${etag}, "other"` } })).status).toBe(304);
      if (path !== '/v1/decisions') {
        expect(first.headers.get('vary')).toContain('Accept-Language');
        const chinese = await call(`${system.url('joint-api')}${path}`, { token: secretariat, headers: { 'accept-language': 'zh-Hans', 'if-none-match': etag } });
        expect(chinese.status).toBe(200);
        expect(chinese.headers.get('content-language')).toBe('zh-Hans');
      }
    }
    expect((await report('gd', '2019-05', 5)).status).toBe(201);
    await eventually(async () => (await call(`${system.url('joint-api')}/v1/items/2019-05`, { token: secretariat, headers: { 'accept-language': 'en', 'if-none-match': tags.get('/v1/items/2019-05') ?? '' } })).status).toBe(200);
    expect((await call(`${system.url('joint-api')}/v1/items`, { token: secretariat, headers: { 'accept-language': 'en', 'if-none-match': tags.get('/v1/items') ?? '' } })).status).toBe(200);
  });

  it('CORS is off by default and answers only the configured origins', async () => {
    const preflight = (base: string, origin: string) =>
      fetch(`${base}/v1/items`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization, if-none-match' } });
    const plain = await preflight(system.url('joint-api'), 'https://desk.example.gov');
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
    const get = await call(`${system.url('joint-api')}/v1/summary`, { token: secretariat, headers: { origin: 'https://desk.example.gov' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();

    const allowed = await preflight(corsApi.url, 'https://desk.example.gov');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://desk.example.gov');
    expect(allowed.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const read = await call(`${corsApi.url}/v1/summary`, { token: secretariat, headers: { origin: 'http://localhost:5173' } });
    expect(read.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(read.headers.get('access-control-expose-headers')).toContain('ETag');
    expect(read.headers.get('vary')).toContain('Origin');
    const refused = await preflight(corsApi.url, 'https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('If-Match compares strongly: weak → 412, malformed → 400, * → any version, the current tag passes', async () => {
    const first = await report('gd', '2019-06', 1);
    expect(first.status).toBe(201);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toBe('"1"');
    expect((await report('gd', '2019-06', 2, { 'if-match': `W/${etag}` })).status).toBe(412);
    const malformed = await report('gd', '2019-06', 2, { 'if-match': '1' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.errors.map((error: { field: string }) => error.field)).toContain('headers.if-match');
    expect((await report('gd', '2019-06', 2, { 'if-match': '"0"' })).status).toBe(412);
    expect((await report('gd', '2019-06', 2, { 'if-match': `"7", ${etag}` })).status).toBe(201);
    expect((await report('gd', '2019-06', 3, { 'if-match': '*' })).status).toBe(201);
  });

  it('Idempotency-Key is a structured-field string: the quoted and bare spellings are one key', async () => {
    const hk = createSideClient({ baseUrl: system.url('hk-service'), token: () => hkCoordinator });
    const key = randomUUID();
    const send = (field: string) =>
      hk.POST('/v1/items/{itemId}/status', { params: { path: { itemId: '2019-07' }, header: { 'idempotency-key': field } }, body: { status: 'in_progress', progress: 10, summary: 'hk at 10' } });
    const quoted = await send(`"${key}"`);
    expect(quoted.response.status).toBe(201);
    const bare = await send(key);
    expect(bare.response.status).toBe(201);
    expect(bare.response.headers.get('idempotent-replayed')).toBe('true');
    expect(bare.data?.eventId).toBe(quoted.data?.eventId);
    const bad = await report('hk', '2019-07', 10, { 'idempotency-key': '"unterminated' });
    expect(bad.status).toBe(400);
  });

  it('problem details speak the caller\'s language and carry the correlation id as instance', async () => {
    const invalid = (language: string) =>
      call(`${system.url('gd-service')}/v1/items/2019-08/status`, {
        token: gdCoordinator,
        headers: { 'idempotency-key': randomUUID(), 'accept-language': language, 'x-correlation-id': `corr-${language}` },
        body: { status: 'in_progress', progress: 'lots' },
      });
    const english = await invalid('en');
    expect(english.status).toBe(400);
    expect(english.headers.get('content-type')).toContain('application/problem+json');
    expect(english.headers.get('content-language')).toBe('en');
    expect(english.body).toMatchObject({ title: 'Bad Request', code: 'GDHK_INVALID_INPUT', instance: 'corr-en' });
    expect(english.body.errors.find((error: { field: string }) => error.field === 'body.progress').message).toMatch(/expected number/);
    const simplified = await invalid('zh-CN');
    expect(simplified.body).toMatchObject({ title: '请求无效', instance: 'corr-zh-CN' });
    expect(simplified.body.errors.find((error: { field: string }) => error.field === 'body.progress').message).toMatch(/期望/);
    const traditional = await invalid('zh-HK');
    expect(traditional.body.title).toBe('請求無效');
    expect(traditional.body.errors.find((error: { field: string }) => error.field === 'body.summary').message).toMatch(/[\u4e00-\u9fff]/);

    const unauthorised = await call(`${system.url('joint-api')}/v1/summary`, { headers: { 'accept-language': 'en' } });
    expect(unauthorised.body).toMatchObject({ status: 401, title: 'Unauthorized', instance: unauthorised.headers.get('x-correlation-id') });
    const missing = (language: string) => call(`${system.url('joint-api')}/v1/items/2019-99`, { token: secretariat, headers: { 'accept-language': language } });
    expect((await missing('en')).body).toMatchObject({ title: 'Not Found', code: 'GDHK_ITEM_NOT_FOUND', detail: 'no item 2019-99 in the 2019 plan' });
    expect((await missing('zh-Hant')).body.detail).toMatch(/^計劃中沒有此事項/);
    expect((await missing('zh-Hans')).body.detail).toMatch(/^计划中没有此事项/);
    const conflict = await call(`${system.url('gd-service')}/v1/decisions`, {
      token: gdCoordinator,
      headers: { 'idempotency-key': randomUUID(), 'accept-language': 'zh-Hans' },
      body: { itemId: '2019-08', kind: 'close_item', rationale: 'too early' },
    });
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ title: '与规则冲突', code: 'GDHK_NOT_BOTH_COMPLETED' });
    expect(conflict.body.detail).toMatch(/^结项须双方均已完成/);
  });

  it("the history endpoint lists both sides' events in (occurredAt, side, eventId) order, page by page", async () => {
    for (let round = 0; round < 3; round++) {
      expect((await report('gd', '2019-09', 10 + round)).status).toBe(201);
      expect((await report('hk', '2019-09', 20 + round)).status).toBe(201);
    }
    await eventually(async () => (await client.GET('/v1/items/{itemId}/history', { params: { path: { itemId: '2019-09' } } })).data?.total).toBe(6);
    const seen: { occurredAt: string; side: string; eventId: string }[] = [];
    let after: string | undefined;
    for (let page = 0; page < 10; page++) {
      const { data, response } = await client.GET('/v1/items/{itemId}/history', { params: { path: { itemId: '2019-09' }, query: { limit: 4, ...(after ? { after } : {}) } } });
      expect(response.status).toBe(200);
      seen.push(...(data?.events ?? []).map((event) => ({ occurredAt: String(event.occurredAt), side: event.side, eventId: event.eventId })));
      if (!data?.next) break;
      after = data.next;
    }
    expect(seen).toHaveLength(6);
    expect(new Set(seen.map((event) => event.side))).toEqual(new Set(['gd', 'hk']));
    const sorted = [...seen].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.side < b.side ? -1 : a.side > b.side ? 1 : a.eventId < b.eventId ? -1 : 1));
    expect(seen).toEqual(sorted);
    expect((await client.GET('/v1/items/{itemId}/history', { params: { path: { itemId: '2019-99' } } })).response.status).toBe(404);
  });

  it('exports items and decisions as CSV (BOM, localised) and XLSX, by format or Accept', async () => {
    const csv = await fetch(`${system.url('joint-api')}/v1/exports/items?format=csv`, { headers: { authorization: `Bearer ${secretariat}`, 'accept-language': 'en' } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('items-en.csv');
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFFItem,No\.,Chapter/);
    expect(lines.filter((line) => /^20\d\d-\d\d,/.test(line))).toHaveLength(74);

    const xlsx = await fetch(`${system.url('joint-api')}/v1/exports/items`, { headers: { authorization: `Bearer ${secretariat}`, 'accept-language': 'zh-Hant', accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.worksheets[0];
    expect(sheet?.rowCount).toBe(75);
    expect(sheet?.getRow(1).getCell(1).value).toBe('事項');

    const decisions = await fetch(`${system.url('joint-api')}/v1/exports/decisions`, { headers: { authorization: `Bearer ${secretariat}`, accept: 'text/csv', 'accept-language': 'zh-Hans' } });
    expect(decisions.status).toBe(200);
    // (Response.text() drops a BOM, as a UTF-8 decoder does)
    expect((await decisions.text()).split('\r\n')[0]).toBe('决定,事项,类别,状态,提出方,提出人,提出时间,理由,目标日期,结果,结果时间');
  });
});
