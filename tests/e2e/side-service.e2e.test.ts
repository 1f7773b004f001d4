import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAuthKeys, issueToken } from '@gdhk/http';
import { call, startSystem, testInfra, type TestSystem } from '@gdhk/tests/support';

// gd-service and hk-service as `npm start` runs them, over HTTP, against real Kafka.
describe('side services over HTTP', () => {
  const infra = testInfra('side');
  let system: TestSystem;
  let kafka: Kafka;
  const gdTopic = () => `${infra.prefix}.gd.events`;

  type Service = 'gd-service' | 'hk-service';
  const write = (service: Service, path: string, token: string, body?: unknown, headers: Record<string, string> = {}, method = 'POST') =>
    call(`${system.url(service)}${path}`, { method, token, ...(body === undefined ? {} : { body }), headers: { 'idempotency-key': randomUUID(), ...headers } });

  /** Cross-side writes wait until the answering side has folded the other side's event. */
  const eventually = async (attempt: () => ReturnType<typeof call>, status: number, code?: string) => {
    let last: Awaited<ReturnType<typeof call>> | undefined;
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      last = await attempt();
      if (last.status === status && (code === undefined || last.body?.code === code)) return last;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`expected ${status}, last answer ${last?.status}: ${JSON.stringify(last?.body)}`);
  };

  const topicEnd = async (topic: string) => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(topic)).reduce((sum, partition) => sum + Number(partition.high), 0);
    } finally {
      await admin.disconnect();
    }
  };

  let gdCoordinator: string;
  let hkCoordinator: string;

  beforeAll(async () => {
    await infra.createTopics();
    kafka = new Kafka({ clientId: 'side-test', brokers: infra.brokers, logLevel: logLevel.NOTHING });
    system = await startSystem(infra, ['gd-service', 'hk-service']);
    gdCoordinator = await system.token('gd', 'coordinator', 'Development and Reform Commission');
    hkCoordinator = await system.token('hk', 'coordinator', 'Constitutional and Mainland Affairs Bureau');
  });
  afterAll(async () => {
    await system?.stop();
    await infra.cleanup();
  });

  describe('reads', () => {
    it('lists the 74 items with this side\'s state, and one item with its stream version as ETag', async () => {
      const list = await call(`${system.url('gd-service')}/v1/items`, { token: gdCoordinator, headers: { 'accept-language': 'en' } });
      expect(list.status).toBe(200);
      expect(list.body.items).toHaveLength(74);
      expect(list.body.items[0]).toMatchObject({ itemId: '2019-01', locale: 'en', streamVersion: 0, status: 'not_started', integrity: 'ok' });

      await write('gd-service', '/v1/items/2019-01/status', gdCoordinator, { status: 'in_progress', progress: 10, summary: 'Started' });
      const one = await call(`${system.url('gd-service')}/v1/items/2019-01`, { token: gdCoordinator, headers: { 'accept-language': 'zh-Hans' } });
      expect(one.status).toBe(200);
      expect(one.headers.get('etag')).toBe('"1"');
      expect(one.body).toMatchObject({ itemId: '2019-01', locale: 'zh-Hans', streamVersion: 1, status: 'in_progress', progress: 10 });
    });

    it('serves /docs generated from the route schemas, /metrics and health without a token', async () => {
      const docs = await call(`${system.url('gd-service')}/docs`);
      expect(docs.status).toBe(200);
      expect(Object.keys(docs.body.paths)).toEqual(
        expect.arrayContaining(['/v1/items', '/v1/items/{itemId}', '/v1/items/{itemId}/status', '/v1/items/{itemId}/assignments', '/v1/items/{itemId}/assignments/{department}', '/v1/decisions', '/v1/decisions/{decisionId}/approve', '/v1/decisions/{decisionId}/reject', '/v1/decisions/{decisionId}/withdraw']),
      );
      expect(docs.body.paths['/v1/items/{itemId}/status'].post.requestBody).toBeDefined();
      const metrics = await call(`${system.url('gd-service')}/metrics`);
      expect(metrics.status).toBe(200);
      for (const name of ['gdhk_http_request_duration_seconds', 'gdhk_produce_duration_seconds', 'gdhk_produce_batch_size', 'gdhk_write_model_lag_events', 'gdhk_writer_state']) {
        expect(metrics.body).toContain(name);
      }
      expect((await call(`${system.url('gd-service')}/health/ready`)).status).toBe(200);
    });
  });

  describe('writes: every endpoint answers 201 with the event it wrote', () => {
    it('status report, assignment and unassignment form one contiguous, hash-chained stream', async () => {
      const report = await write('gd-service', '/v1/items/2019-02/status', gdCoordinator, { status: 'in_progress', progress: 30, summary: 'Design done', nextSteps: 'Tender' });
      expect(report.status).toBe(201);
      expect(report.headers.get('etag')).toBe('"1"');
      expect(report.body).toMatchObject({ type: 'item.status-reported', side: 'gd', itemId: '2019-02', streamVersion: 1, prevHash: '0'.repeat(64), schemaVersion: 1 });
      expect(report.body.signature).toMatchObject({ alg: 'Ed25519' });
      expect(report.body.hash).toMatch(/^[0-9a-f]{64}$/);

      const assigned = await write('gd-service', '/v1/items/2019-02/assignments', gdCoordinator, { department: 'Transport Department' });
      expect(assigned.status).toBe(201);
      expect(assigned.body).toMatchObject({ type: 'item.department-assigned', streamVersion: 2, prevHash: report.body.hash, data: { department: 'Transport Department' } });

      const unassigned = await write('gd-service', `/v1/items/2019-02/assignments/${encodeURIComponent('Transport Department')}`, gdCoordinator, undefined, {}, 'DELETE');
      expect(unassigned.status).toBe(201);
      expect(unassigned.body).toMatchObject({ type: 'item.department-unassigned', streamVersion: 3, prevHash: assigned.body.hash });
    });

    it('staff of an assigned department report; the actor is recorded with the correlation id', async () => {
      await write('hk-service', '/v1/items/2019-03/assignments', hkCoordinator, { department: 'Housing Bureau' });
      const staff = await system.token('hk', 'staff', 'Housing Bureau', 'hk-staff-housing');
      const correlationId = randomUUID();
      const report = await write('hk-service', '/v1/items/2019-03/status', staff, { status: 'blocked', progress: 5, summary: 'Waiting', blockers: 'Land' }, { 'x-correlation-id': correlationId });
      expect(report.status).toBe(201);
      expect(report.headers.get('x-correlation-id')).toBe(correlationId);
      expect(report.body).toMatchObject({ side: 'hk', streamVersion: 2, correlationId, actor: { userId: 'hk-staff-housing', department: 'Housing Bureau', role: 'staff' } });
    });

    it('propose → the other side approves: close_item takes effect and the item takes no more reports', async () => {
      const item = '2019-04';
      await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'completed', progress: 100, summary: 'Done' });
      await write('hk-service', `/v1/items/${item}/status`, hkCoordinator, { status: 'completed', progress: 100, summary: 'Done' });
      const proposal = await eventually(() => write('gd-service', '/v1/decisions', gdCoordinator, { itemId: item, kind: 'close_item', rationale: 'Both sides completed' }), 201);
      expect(proposal.body).toMatchObject({ type: 'decision.proposed', side: 'gd', itemId: item, data: { kind: 'close_item' } });
      const decisionId: string = proposal.body.data.decisionId;

      const approval = await eventually(() => write('hk-service', `/v1/decisions/${decisionId}/approve`, hkCoordinator, { comment: 'Agreed' }), 201);
      expect(approval.body).toMatchObject({ type: 'decision.approved', side: 'hk', itemId: item, data: { decisionId, comment: 'Agreed' } });

      const closed = await eventually(() => write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'completed', progress: 100, summary: 'Again' }), 409, 'GDHK_ITEM_CLOSED');
      expect(closed.body).toMatchObject({ code: 'GDHK_ITEM_CLOSED', status: 409 });
    });

    it('propose → the other side rejects; propose → the proposer withdraws', async () => {
      const item = '2019-05';
      const first = await write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'escalate', rationale: 'Stalled' });
      expect(first.status).toBe(201);
      const rejected = await eventually(() => write('gd-service', `/v1/decisions/${first.body.data.decisionId}/reject`, gdCoordinator, { comment: 'Not yet' }), 201);
      expect(rejected.body).toMatchObject({ type: 'decision.rejected', side: 'gd', itemId: item });

      const second = await write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'extend_deadline', rationale: 'Land', targetDate: '2031-12-31' });
      expect(second.status).toBe(201);
      const withdrawn = await write('hk-service', `/v1/decisions/${second.body.data.decisionId}/withdraw`, hkCoordinator);
      expect(withdrawn.status).toBe(201);
      expect(withdrawn.body).toMatchObject({ type: 'decision.withdrawn', side: 'hk', itemId: item, data: { decisionId: second.body.data.decisionId } });
    });
  });

  describe('400: bad input names every invalid field', () => {
    it('body, params and headers', async () => {
      const bad = await call(`${system.url('gd-service')}/v1/items/2019-06/status`, {
        token: gdCoordinator,
        headers: { 'idempotency-key': randomUUID() },
        body: { status: 'done', progress: 101, extra: true },
      });
      expect(bad.status).toBe(400);
      expect(bad.headers.get('content-type')).toContain('application/problem+json');
      expect(bad.body.code).toBe('GDHK_INVALID_INPUT');
      const fields = bad.body.errors.map((error: { field: string }) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['body.status', 'body.progress', 'body.summary']));

      const noKey = await call(`${system.url('gd-service')}/v1/items/2019-06/status`, { token: gdCoordinator, body: { status: 'in_progress', progress: 1, summary: 'x' } });
      expect(noKey.status).toBe(400);
      expect(noKey.body.errors.map((error: { field: string }) => error.field)).toContain('headers.idempotency-key');

      const badItem = await write('gd-service', '/v1/items/nope/status', gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x' });
      expect(badItem.status).toBe(400);
      expect(badItem.body.errors.map((error: { field: string }) => error.field)).toContain('params.itemId');

      const rule = await write('gd-service', '/v1/items/2019-06/status', gdCoordinator, { status: 'blocked', progress: 1, summary: 'x' });
      expect(rule.status).toBe(400);
      expect(rule.body.errors.map((error: { field: string }) => error.field)).toContain('body.blockers');

      const proposal = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-06', kind: 'extend_deadline', rationale: 'x' });
      expect(proposal.status).toBe(400);
      expect(proposal.body.errors.map((error: { field: string }) => error.field)).toContain('body.targetDate');
    });

    it('a body over the limit is refused as problem+json', async () => {
      const huge = await write('gd-service', '/v1/items/2019-06/status', gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x'.repeat(200_000) });
      expect(huge.status).toBe(413);
      expect(huge.body.code).toBe('GDHK_BODY_TOO_LARGE');
    });
  });

  describe('401 and 403', () => {
    it('401 without a token, with a forged, expired or wrongly signed token', async () => {
      const url = `${system.url('gd-service')}/v1/items`;
      expect((await call(url)).status).toBe(401);
      expect((await call(url)).headers.get('www-authenticate')).toBe('Bearer');
      expect((await call(url, { token: 'not-a-jwt' })).status).toBe(401);

      const { privateKey } = await devAuthKeys(system.keysDir);
      const expired = await issueToken(privateKey, { sub: 'u', side: 'gd', roles: ['coordinator'], issuer: 'gdhk-dev', audience: 'gdhk', expiresIn: '0s' });
      const answer = await call(url, { token: expired });
      expect(answer.status).toBe(401);
      expect(answer.body.detail).toContain('expired');

      const wrongAudience = await issueToken(privateKey, { sub: 'u', side: 'gd', roles: ['coordinator'], issuer: 'gdhk-dev', audience: 'elsewhere' });
      expect((await call(url, { token: wrongAudience })).status).toBe(401);

      const strangerDir = mkdtempSync(join(tmpdir(), 'gdhk-stranger-'));
      const stranger = await devAuthKeys(strangerDir);
      rmSync(strangerDir, { recursive: true, force: true });
      const forged = await issueToken(stranger.privateKey, { sub: 'u', side: 'gd', roles: ['coordinator'], issuer: 'gdhk-dev', audience: 'gdhk' });
      expect((await call(url, { token: forged })).status).toBe(401);

      // A shared-secret token must not pass however its claims look: the algorithm is pinned.
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'u', side: 'gd', roles: ['coordinator'], iss: 'gdhk-dev', aud: 'gdhk', exp: Math.floor(Date.now() / 1000) + 3600 })}`;
      const hmac = `${unsigned}.${createHmac('sha256', 'x'.repeat(32)).update(unsigned).digest('base64url')}`;
      expect((await call(url, { token: hmac })).status).toBe(401);
    });

    it('403 for the other side\'s or the joint side\'s token', async () => {
      const other = await call(`${system.url('gd-service')}/v1/items`, { token: hkCoordinator });
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('GDHK_WRONG_SIDE');
      const secretariat = await system.token('joint', 'secretariat');
      expect((await call(`${system.url('hk-service')}/v1/items`, { token: secretariat })).status).toBe(403);
      const before = await topicEnd(gdTopic());
      expect((await write('gd-service', '/v1/items/2019-07/status', hkCoordinator, { status: 'in_progress', progress: 1, summary: 'x' })).status).toBe(403);
      expect(await topicEnd(gdTopic())).toBe(before);
    });

    it('403 for staff on an item not assigned to their department, and for staff deciding or assigning', async () => {
      const staff = await system.token('gd', 'staff', 'Commerce Department', 'gd-staff-commerce');
      const unassigned = await write('gd-service', '/v1/items/2019-07/status', staff, { status: 'in_progress', progress: 1, summary: 'x' });
      expect(unassigned.status).toBe(403);
      expect(unassigned.body.code).toBe('GDHK_NOT_ASSIGNED');

      const deciding = await write('gd-service', '/v1/decisions', staff, { itemId: '2019-07', kind: 'escalate', rationale: 'x' });
      expect(deciding.status).toBe(403);
      expect(deciding.body.code).toBe('GDHK_ROLE_FORBIDDEN');
      expect((await write('gd-service', '/v1/items/2019-07/assignments', staff, { department: 'Commerce Department' })).status).toBe(403);

      const proposal = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-07', kind: 'escalate', rationale: 'x' });
      const answering = await eventually(() => write('hk-service', `/v1/decisions/${proposal.body.data.decisionId}/approve`, hkCoordinator), 201);
      expect(answering.status).toBe(201);
      const staffAnswer = await write('gd-service', `/v1/decisions/${proposal.body.data.decisionId}/withdraw`, staff);
      expect(staffAnswer.status).toBe(403);
    });

    it('403 for answering one\'s own side\'s proposal or withdrawing the other side\'s', async () => {
      const proposal = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-08', kind: 'escalate', rationale: 'x' });
      const own = await write('gd-service', `/v1/decisions/${proposal.body.data.decisionId}/approve`, gdCoordinator);
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('GDHK_OWN_SIDE_DECISION');
      const foreign = await eventually(() => write('hk-service', `/v1/decisions/${proposal.body.data.decisionId}/withdraw`, hkCoordinator), 403, 'GDHK_NOT_PROPOSER_SIDE');
      expect(foreign.body.code).toBe('GDHK_NOT_PROPOSER_SIDE');
    });
  });

  describe('404', () => {
    it('an unknown item or decision', async () => {
      const item = await call(`${system.url('gd-service')}/v1/items/2019-99`, { token: gdCoordinator });
      expect(item.status).toBe(404);
      expect(item.body.code).toBe('GDHK_ITEM_NOT_FOUND');
      expect((await write('gd-service', '/v1/items/2019-99/status', gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x' })).status).toBe(404);
      const decision = await write('gd-service', `/v1/decisions/${randomUUID()}/approve`, gdCoordinator);
      expect(decision.status).toBe(404);
      expect(decision.body.code).toBe('GDHK_DECISION_NOT_FOUND');
    });
  });

  describe('409: every broken rule, nothing written', () => {
    const expectConflict = async (answer: Awaited<ReturnType<typeof call>>, code: string) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(409);
      expect(answer.body.code).toBe(code);
    };

    it('assignments', async () => {
      await write('gd-service', '/v1/items/2019-10/assignments', gdCoordinator, { department: 'Water Resources' });
      const before = await topicEnd(gdTopic());
      await expectConflict(await write('gd-service', '/v1/items/2019-10/assignments', gdCoordinator, { department: 'Water Resources' }), 'GDHK_ALREADY_ASSIGNED');
      await expectConflict(await write('gd-service', '/v1/items/2019-10/assignments/Nobody', gdCoordinator, undefined, {}, 'DELETE'), 'GDHK_ALREADY_UNASSIGNED');
      expect(await topicEnd(gdTopic())).toBe(before);
    });

    it('status after completion, close before both completed, reopen of an open item', async () => {
      await write('gd-service', '/v1/items/2019-11/status', gdCoordinator, { status: 'completed', progress: 100, summary: 'Done' });
      await expectConflict(await write('gd-service', '/v1/items/2019-11/status', gdCoordinator, { status: 'in_progress', progress: 90, summary: 'Oops' }), 'GDHK_ITEM_COMPLETED');
      await expectConflict(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-11', kind: 'close_item', rationale: 'x' }), 'GDHK_NOT_BOTH_COMPLETED');
      await expectConflict(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-11', kind: 'reopen_item', rationale: 'x' }), 'GDHK_ITEM_NOT_CLOSED');
    });

    it('one open decision per kind; answers only to open decisions; no second escalation', async () => {
      const first = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-12', kind: 'escalate', rationale: 'x' });
      await expectConflict(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-12', kind: 'escalate', rationale: 'y' }), 'GDHK_DECISION_OPEN_EXISTS');
      await eventually(() => write('hk-service', `/v1/decisions/${first.body.data.decisionId}/approve`, hkCoordinator), 201);
      await expectConflict(await write('hk-service', `/v1/decisions/${first.body.data.decisionId}/reject`, hkCoordinator), 'GDHK_DECISION_NOT_OPEN');
      await expectConflict(await eventually(() => write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-12', kind: 'escalate', rationale: 'z' }), 409, 'GDHK_ALREADY_ESCALATED'), 'GDHK_ALREADY_ESCALATED');
      await expectConflict(await write('gd-service', `/v1/decisions/${first.body.data.decisionId}/withdraw`, gdCoordinator), 'GDHK_DECISION_NOT_OPEN');
    });

    it('a deadline extension must be later than the agreed target date', async () => {
      const extend = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-13', kind: 'extend_deadline', rationale: 'x', targetDate: '2032-06-30' });
      await eventually(() => write('hk-service', `/v1/decisions/${extend.body.data.decisionId}/approve`, hkCoordinator), 201);
      await expectConflict(
        await eventually(() => write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-13', kind: 'extend_deadline', rationale: 'y', targetDate: '2032-01-01' }), 409, 'GDHK_TARGET_DATE_NOT_LATER'),
        'GDHK_TARGET_DATE_NOT_LATER',
      );
    });

    it('a closed item takes no close and no report', async () => {
      const item = '2019-14';
      await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'completed', progress: 100, summary: 'Done' });
      await write('hk-service', `/v1/items/${item}/status`, hkCoordinator, { status: 'completed', progress: 100, summary: 'Done' });
      const close = await eventually(() => write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'close_item', rationale: 'x' }), 201);
      await eventually(() => write('gd-service', `/v1/decisions/${close.body.data.decisionId}/approve`, gdCoordinator), 201);
      await expectConflict(await eventually(() => write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'close_item', rationale: 'again' }), 409, 'GDHK_ITEM_CLOSED'), 'GDHK_ITEM_CLOSED');
      await expectConflict(await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'completed', progress: 100, summary: 'x' }), 'GDHK_ITEM_CLOSED');
    });

    it('a concurrent request with the same Idempotency-Key', async () => {
      const key = randomUUID();
      const body = { status: 'in_progress', progress: 50, summary: 'Half' };
      const url = `${system.url('gd-service')}/v1/items/2019-15/status`;
      // Writes queued ahead on the item keep the first duplicate in flight when the second arrives.
      const ahead = Array.from({ length: 8 }, (_, i) => call(url, { token: gdCoordinator, headers: { 'idempotency-key': randomUUID() }, body: { ...body, progress: i } }));
      const first = call(url, { token: gdCoordinator, headers: { 'idempotency-key': key }, body });
      await new Promise((resolve) => setTimeout(resolve, 5));
      const second = call(url, { token: gdCoordinator, headers: { 'idempotency-key': key }, body });
      const answers = await Promise.all([first, second]);
      await Promise.all(ahead);
      expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
      expect(answers.find((answer) => answer.status === 409)?.body.code).toBe('GDHK_IDEMPOTENCY_IN_FLIGHT');
    });

    it('an item whose stream stopped verifying takes no writes', async () => {
      const item = '2019-16';
      await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x' });
      // Someone without the side's key appends to the topic directly.
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: gdTopic(), acks: -1, messages: [{ key: item, value: JSON.stringify({ itemId: item, side: 'gd', streamVersion: 2, forged: true }) }] });
      await producer.disconnect();
      await expect.poll(async () => (await call(`${system.url('gd-service')}/v1/items/${item}`, { token: gdCoordinator })).body.integrity, { timeout: 10_000 }).not.toBe('ok');
      await expectConflict(await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'in_progress', progress: 2, summary: 'y' }), 'GDHK_STREAM_INTEGRITY');
    });
  });

  describe('412', () => {
    it('If-Match with a stale stream version; the current one passes', async () => {
      const first = await write('gd-service', '/v1/items/2019-20/status', gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x' }, { 'if-match': '"0"' });
      expect(first.status).toBe(201);
      const stale = await write('gd-service', '/v1/items/2019-20/status', gdCoordinator, { status: 'in_progress', progress: 2, summary: 'y' }, { 'if-match': '"0"' });
      expect(stale.status).toBe(412);
      expect(stale.body.code).toBe('GDHK_VERSION_MISMATCH');
      const current = await write('gd-service', '/v1/items/2019-20/status', gdCoordinator, { status: 'in_progress', progress: 2, summary: 'y' }, { 'if-match': first.headers.get('etag') ?? '' });
      expect(current.status).toBe(201);
    });
  });

  describe('Idempotency-Key', () => {
    it('the same key and body replay the first response and write nothing, also after a restart; another body is 422', { timeout: 90_000 }, async () => {
      const key = randomUUID();
      const body = { status: 'in_progress', progress: 42, summary: 'Replay me' };
      const first = await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      const proposal = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-30', kind: 'escalate', rationale: 'x' });
      const proposalKey = proposal.body.commandId as string;
      const end = await topicEnd(gdTopic());

      const again = await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, body, { 'idempotency-key': key });
      expect(again.status).toBe(201);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(first.body);
      const proposedAgain = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-30', kind: 'escalate', rationale: 'x' }, { 'idempotency-key': proposalKey });
      expect(proposedAgain.body).toEqual(proposal.body);

      const reused = await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, { ...body, progress: 43 }, { 'idempotency-key': key });
      expect(reused.status).toBe(422);
      expect(reused.body.code).toBe('GDHK_IDEMPOTENCY_KEY_REUSED');

      // Another user's identical key is another command.
      const colleague = await system.token('gd', 'coordinator', 'Development and Reform Commission', 'gd-coordinator-2');
      expect((await write('gd-service', '/v1/items/2019-31/status', colleague, body, { 'idempotency-key': key })).status).toBe(201);
      const afterColleague = await topicEnd(gdTopic());
      expect(afterColleague).toBeGreaterThan(end);

      // Restarted with no recent responses kept: the replay reads its first response back from the log.
      await system.processes.get('gd-service')?.stop();
      process.env.IDEMPOTENCY_RECENT_RESPONSES = '0';
      try {
        await system.start('gd-service');
      } finally {
        delete process.env.IDEMPOTENCY_RECENT_RESPONSES;
      }
      const afterRestart = await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, body, { 'idempotency-key': key });
      expect(afterRestart.status).toBe(201);
      expect(afterRestart.body).toEqual(first.body);
      expect((await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, { ...body, progress: 1 }, { 'idempotency-key': key })).status).toBe(422);
      // The restart's fencing writes transaction markers only; no event was added.
      const admin = kafka.admin();
      await admin.connect();
      const consumer = kafka.consumer({ groupId: `${infra.prefix}.check.${randomUUID()}` });
      await consumer.connect();
      await consumer.subscribe({ topics: [gdTopic()], fromBeginning: true });
      const seen: { itemId: string; streamVersion: number }[] = [];
      await consumer.run({ eachMessage: async ({ message }) => void seen.push(JSON.parse(message.value?.toString() ?? '{}')) });
      await expect.poll(() => seen.filter((event) => event.itemId === '2019-30').length, { timeout: 10_000 }).toBe(2);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await consumer.disconnect();
      await admin.disconnect();
      expect(seen.filter((event) => event.itemId === '2019-30').map((event) => event.streamVersion)).toEqual([1, 2]);
    });
  });
});
