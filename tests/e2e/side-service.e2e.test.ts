import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { devAuthKeys, issueToken } from '@gdhk/http';
import { readSigningKeyFile, sealEvent } from '@gdhk/integrity';
import { call, logPositions, recordsSince, startSystem, testInfra, readCommitted, type TestSystem } from '@gdhk/tests/support';

// gd-service and hk-service as `npm start` runs them, over HTTP, against real Kafka.
describe('side services over HTTP', () => {
  const infra = testInfra('side');
  let system: TestSystem;
  let kafka: Kafka;
  const gdTopic = () => `${infra.prefix}.gd.events`;

  type Service = 'gd-service' | 'hk-service';
  const write = (service: Service, path: string, token: string, body?: unknown, headers: Record<string, string> = {}, method = 'POST') =>
    call(`${system.url(service)}${path}`, { method, token, ...(body === undefined ? {} : { body }), headers: { 'idempotency-key': randomUUID(), ...headers } });

  const sideTopics = () => [`${infra.prefix}.gd.events`, `${infra.prefix}.hk.events`];
  let sentinels = 0;
  /**
   * Runs `refusals`, then one write that succeeds on each of `witnesses`: read to the log's end,
   * the side topics must have gained those writes and nothing else.
   */
  const expectNothingWritten = async (refusals: () => Promise<void>, witnesses: readonly Service[] = ['gd-service']) => {
    const before = await logPositions(infra.brokers, sideTopics());
    await refusals();
    const acknowledged: string[] = [];
    for (const service of witnesses) {
      sentinels += 1;
      const witness = await write(service, '/v1/items/2019-70/status', service === 'gd-service' ? gdCoordinator : hkCoordinator, { status: 'in_progress', progress: sentinels % 100, summary: `witness ${sentinels}` });
      expect(witness.status, JSON.stringify(witness.body)).toBe(201);
      acknowledged.push(witness.body.eventId);
    }
    // Events only: each witness's transaction also wrote its seal.
    const landed = (await recordsSince(infra.brokers, before)).filter((record) => record.value?.kind === undefined);
    expect(landed.map((record) => record.value?.eventId).sort()).toEqual(acknowledged.sort());
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
      const reportBody = docs.body.paths['/v1/items/{itemId}/status'].post.requestBody;
      expect(reportBody.content['application/json'].schema.required).toEqual(expect.arrayContaining(['status', 'progress', 'summary']));
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
      expect(report.body).toMatchObject({ type: 'item.status-reported', side: 'gd', itemId: '2019-02', streamVersion: 1, prevHash: '0'.repeat(64), schemaVersion: 2, commit: { prev: expect.stringMatching(/^[0-9a-f]{64}$/) } });
      // Version 2: no signature of its own, the seal of its transaction signs it.
      expect(report.body).not.toHaveProperty('signature');
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
  });

  // Every request below is sent the moment the one it depends on was acknowledged by the other
  // side, and must succeed on its first attempt: a decision is judged only after the deciding
  // side has read the other side's topic as it is in Kafka (docs/decisions.md). No retries.
  describe('decisions across the sides, each answered at once: 201 on the first attempt', () => {
    const expect201 = (answer: Awaited<ReturnType<typeof call>>) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body;
    };

    it('close_item: GD proposes right after HK reported completion; HK approves at once; the item is closed', async () => {
      const item = '2019-04';
      expect201(await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'completed', progress: 100, summary: 'Done' }));
      expect201(await write('hk-service', `/v1/items/${item}/status`, hkCoordinator, { status: 'completed', progress: 100, summary: 'Done' }));
      const proposal = expect201(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: item, kind: 'close_item', rationale: 'Both sides completed' }));
      expect(proposal).toMatchObject({ type: 'decision.proposed', side: 'gd', itemId: item, data: { kind: 'close_item' } });
      const approval = expect201(await write('hk-service', `/v1/decisions/${proposal.data.decisionId}/approve`, hkCoordinator, { comment: 'Agreed' }));
      expect(approval).toMatchObject({ type: 'decision.approved', side: 'hk', itemId: item, data: { decisionId: proposal.data.decisionId, comment: 'Agreed' } });

      // The approving side applied its own approval; the proposing side learns it before its next decision.
      const report = await write('hk-service', `/v1/items/${item}/status`, hkCoordinator, { status: 'completed', progress: 100, summary: 'Again' });
      expect(report.body).toMatchObject({ status: 409, code: 'GDHK_ITEM_CLOSED' });
      const again = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: item, kind: 'close_item', rationale: 'Twice' });
      expect(again.body).toMatchObject({ status: 409, code: 'GDHK_ITEM_CLOSED' });
    });

    it('reopen_item: GD proposes right after HK approved the close; HK approves at once; the item takes reports again', async () => {
      const item = '2019-08';
      expect201(await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'completed', progress: 100, summary: 'Done' }));
      expect201(await write('hk-service', `/v1/items/${item}/status`, hkCoordinator, { status: 'completed', progress: 100, summary: 'Done' }));
      const close = expect201(await write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'close_item', rationale: 'Done' }));
      expect201(await write('gd-service', `/v1/decisions/${close.data.decisionId}/approve`, gdCoordinator));
      // HK wrote the proposal, GD the approval: HK knows the item is closed only by reading GD's topic.
      const reopen = expect201(await write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'reopen_item', rationale: 'A defect was found' }));
      expect(reopen).toMatchObject({ type: 'decision.proposed', side: 'hk', data: { kind: 'reopen_item' } });
      expect201(await write('gd-service', `/v1/decisions/${reopen.data.decisionId}/approve`, gdCoordinator));
      const moving = expect201(await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'in_progress', progress: 80, summary: 'Fixing the defect' }));
      expect(moving).toMatchObject({ data: { status: 'in_progress', progress: 80 } });
    });

    it('extend_deadline: GD proposes, HK approves at once; GD proposing an earlier date at once is refused by the agreed date', async () => {
      const item = '2019-09';
      const extend = expect201(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: item, kind: 'extend_deadline', rationale: 'Land', targetDate: '2032-06-30' }));
      expect(extend).toMatchObject({ data: { kind: 'extend_deadline', targetDate: '2032-06-30' } });
      expect201(await write('hk-service', `/v1/decisions/${extend.data.decisionId}/approve`, hkCoordinator));
      const earlier = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: item, kind: 'extend_deadline', rationale: 'y', targetDate: '2032-01-01' });
      expect(earlier.body).toMatchObject({ status: 409, code: 'GDHK_TARGET_DATE_NOT_LATER' });
    });

    it('escalate: GD proposes, HK approves at once; a second escalation from GD at once is refused', async () => {
      const item = '2019-17';
      const escalation = expect201(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: item, kind: 'escalate', rationale: 'Stalled' }));
      expect201(await write('hk-service', `/v1/decisions/${escalation.data.decisionId}/approve`, hkCoordinator));
      const second = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: item, kind: 'escalate', rationale: 'Again' });
      expect(second.body).toMatchObject({ status: 409, code: 'GDHK_ALREADY_ESCALATED' });
    });

    it('HK proposes, GD rejects at once; HK proposes, HK withdraws; GD withdrawing HK\'s at once is refused', async () => {
      const item = '2019-05';
      const first = expect201(await write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'escalate', rationale: 'Stalled' }));
      const rejected = expect201(await write('gd-service', `/v1/decisions/${first.data.decisionId}/reject`, gdCoordinator, { comment: 'Not yet' }));
      expect(rejected).toMatchObject({ type: 'decision.rejected', side: 'gd', itemId: item });

      const second = expect201(await write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'extend_deadline', rationale: 'Land', targetDate: '2031-12-31' }));
      const foreign = await write('gd-service', `/v1/decisions/${second.data.decisionId}/withdraw`, gdCoordinator);
      expect(foreign.body).toMatchObject({ status: 403, code: 'GDHK_NOT_PROPOSER_SIDE' });
      const withdrawn = expect201(await write('hk-service', `/v1/decisions/${second.data.decisionId}/withdraw`, hkCoordinator));
      expect(withdrawn).toMatchObject({ type: 'decision.withdrawn', side: 'hk', itemId: item, data: { decisionId: second.data.decisionId } });
    });
  });

  // Every refusal below is followed by one write that succeeds; read to the log's end, the side
  // topics hold that write and nothing else.
  describe('400: bad input names every invalid field, and nothing is written', () => {
    it('body, params and headers', async () => {
      const fieldsOf = (answer: Awaited<ReturnType<typeof call>>) => {
        expect(answer.status, JSON.stringify(answer.body)).toBe(400);
        return answer.body.errors.map((error: { field: string }) => error.field);
      };
      await expectNothingWritten(async () => {
        const bad = await call(`${system.url('gd-service')}/v1/items/2019-06/status`, {
          token: gdCoordinator,
          headers: { 'idempotency-key': randomUUID() },
          body: { status: 'done', progress: 101, extra: true },
        });
        expect(bad.headers.get('content-type')).toContain('application/problem+json');
        expect(bad.body.code).toBe('GDHK_INVALID_INPUT');
        expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['body.status', 'body.progress', 'body.summary']));

        const noKey = await call(`${system.url('gd-service')}/v1/items/2019-06/status`, { token: gdCoordinator, body: { status: 'in_progress', progress: 1, summary: 'x' } });
        expect(fieldsOf(noKey)).toContain('headers.idempotency-key');
        expect(fieldsOf(await write('gd-service', '/v1/items/nope/status', gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x' }))).toContain('params.itemId');
        expect(fieldsOf(await write('gd-service', '/v1/items/2019-06/status', gdCoordinator, { status: 'blocked', progress: 1, summary: 'x' }))).toContain('body.blockers');
        expect(fieldsOf(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-06', kind: 'extend_deadline', rationale: 'x' }))).toContain('body.targetDate');
      });
    });

    it('413: a body over the limit is refused as problem+json', async () => {
      await expectNothingWritten(async () => {
        const huge = await write('gd-service', '/v1/items/2019-06/status', gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x'.repeat(200_000) });
        expect(huge.status).toBe(413);
        expect(huge.body.code).toBe('GDHK_BODY_TOO_LARGE');
      });
    });
  });

  describe('401 and 403, and nothing is written', () => {
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

      await expectNothingWritten(async () => {
        const refused = await call(`${system.url('gd-service')}/v1/items/2019-07/status`, { token: forged, headers: { 'idempotency-key': randomUUID() }, body: { status: 'in_progress', progress: 1, summary: 'x' } });
        expect(refused.status).toBe(401);
      });
    });

    it('the algorithm is pinned: the issuer\'s own key under any algorithm but EdDSA is refused, and so is alg none', async () => {
      const url = `${system.url('gd-service')}/v1/items`;
      const { privateKey } = await devAuthKeys(system.keysDir);
      const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const claims = part({ sub: 'u', side: 'gd', roles: ['coordinator'], iss: 'gdhk-dev', aud: 'gdhk', exp: Math.floor(Date.now() / 1000) + 3600 });
      /** The issuer's real Ed25519 signature over a header naming `alg`. */
      const signedAs = async (header: object) => {
        const input = `${part(header)}.${claims}`;
        return `${input}.${Buffer.from(await crypto.subtle.sign('Ed25519', privateKey, Buffer.from(input))).toString('base64url')}`;
      };
      // The same construction under the pinned algorithm passes: only the header differs below.
      expect((await call(url, { token: await signedAs({ alg: 'EdDSA', typ: 'JWT' }) })).status).toBe(200);
      // RFC 9864's fully-specified name for the same signature: valid key, valid signature, not the pinned algorithm.
      expect((await call(url, { token: await signedAs({ alg: 'Ed25519', typ: 'JWT' }) })).status).toBe(401);
      expect((await call(url, { token: await signedAs({ alg: 'none', typ: 'JWT' }) })).status).toBe(401);
      expect((await call(url, { token: `${part({ alg: 'none', typ: 'JWT' })}.${claims}.` })).status).toBe(401);
      // Algorithm confusion: the issuer's public key, which every service holds, used as an HMAC secret.
      const publicPem = readFileSync(join(system.keysDir, 'jwt-issuer.public.pem'));
      const hmacInput = `${part({ alg: 'HS256', typ: 'JWT' })}.${claims}`;
      expect((await call(url, { token: `${hmacInput}.${createHmac('sha256', publicPem).update(hmacInput).digest('base64url')}` })).status).toBe(401);
    });

    it('403 for the other side\'s or the joint side\'s token', async () => {
      const other = await call(`${system.url('gd-service')}/v1/items`, { token: hkCoordinator });
      expect(other.status).toBe(403);
      expect(other.body.code).toBe('GDHK_WRONG_SIDE');
      const secretariat = await system.token('joint', 'secretariat');
      expect((await call(`${system.url('hk-service')}/v1/items`, { token: secretariat })).status).toBe(403);
      await expectNothingWritten(async () => {
        expect((await write('gd-service', '/v1/items/2019-07/status', hkCoordinator, { status: 'in_progress', progress: 1, summary: 'x' })).status).toBe(403);
        expect((await write('hk-service', '/v1/items/2019-07/status', secretariat, { status: 'in_progress', progress: 1, summary: 'x' })).status).toBe(403);
      });
    });

    it('403 for staff on an item not assigned to their department, and for staff deciding or assigning', async () => {
      const staff = await system.token('gd', 'staff', 'Commerce Department', 'gd-staff-commerce');
      const proposal = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-07', kind: 'escalate', rationale: 'x' });
      expect(proposal.status).toBe(201);
      await expectNothingWritten(async () => {
        const unassigned = await write('gd-service', '/v1/items/2019-07/status', staff, { status: 'in_progress', progress: 1, summary: 'x' });
        expect(unassigned.status).toBe(403);
        expect(unassigned.body.code).toBe('GDHK_NOT_ASSIGNED');
        const deciding = await write('gd-service', '/v1/decisions', staff, { itemId: '2019-07', kind: 'escalate', rationale: 'x' });
        expect(deciding.status).toBe(403);
        expect(deciding.body.code).toBe('GDHK_ROLE_FORBIDDEN');
        expect((await write('gd-service', '/v1/items/2019-07/assignments', staff, { department: 'Commerce Department' })).status).toBe(403);
        expect((await write('gd-service', `/v1/decisions/${proposal.body.data.decisionId}/withdraw`, staff)).status).toBe(403);
      });
    });

    it('403 for answering one\'s own side\'s proposal or withdrawing the other side\'s', async () => {
      const proposal = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-18', kind: 'escalate', rationale: 'x' });
      expect(proposal.status).toBe(201);
      await expectNothingWritten(async () => {
        const own = await write('gd-service', `/v1/decisions/${proposal.body.data.decisionId}/approve`, gdCoordinator);
        expect(own.body).toMatchObject({ status: 403, code: 'GDHK_OWN_SIDE_DECISION' });
        const foreign = await write('hk-service', `/v1/decisions/${proposal.body.data.decisionId}/withdraw`, hkCoordinator);
        expect(foreign.body).toMatchObject({ status: 403, code: 'GDHK_NOT_PROPOSER_SIDE' });
      }, ['gd-service', 'hk-service']);
    });
  });

  describe('404, and nothing is written', () => {
    it('an unknown item or decision', async () => {
      const item = await call(`${system.url('gd-service')}/v1/items/2019-99`, { token: gdCoordinator });
      expect(item.status).toBe(404);
      expect(item.body.code).toBe('GDHK_ITEM_NOT_FOUND');
      await expectNothingWritten(async () => {
        expect((await write('gd-service', '/v1/items/2019-99/status', gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x' })).body).toMatchObject({ status: 404, code: 'GDHK_ITEM_NOT_FOUND' });
        expect((await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-99', kind: 'escalate', rationale: 'x' })).body).toMatchObject({ status: 404, code: 'GDHK_ITEM_NOT_FOUND' });
        const decision = await write('gd-service', `/v1/decisions/${randomUUID()}/approve`, gdCoordinator);
        expect(decision.body).toMatchObject({ status: 404, code: 'GDHK_DECISION_NOT_FOUND' });
      });
    });
  });

  describe('409: every broken rule, nothing written', () => {
    const expectConflict = async (answer: Awaited<ReturnType<typeof call>>, code: string) => {
      expect(answer.status, JSON.stringify(answer.body)).toBe(409);
      expect(answer.body.code).toBe(code);
    };

    it('assignments', async () => {
      expect((await write('gd-service', '/v1/items/2019-10/assignments', gdCoordinator, { department: 'Water Resources' })).status).toBe(201);
      await expectNothingWritten(async () => {
        await expectConflict(await write('gd-service', '/v1/items/2019-10/assignments', gdCoordinator, { department: 'Water Resources' }), 'GDHK_ALREADY_ASSIGNED');
        await expectConflict(await write('gd-service', '/v1/items/2019-10/assignments/Nobody', gdCoordinator, undefined, {}, 'DELETE'), 'GDHK_ALREADY_UNASSIGNED');
      });
    });

    it('status after completion, close before both completed, reopen of an open item', async () => {
      expect((await write('gd-service', '/v1/items/2019-11/status', gdCoordinator, { status: 'completed', progress: 100, summary: 'Done' })).status).toBe(201);
      await expectNothingWritten(async () => {
        await expectConflict(await write('gd-service', '/v1/items/2019-11/status', gdCoordinator, { status: 'in_progress', progress: 90, summary: 'Oops' }), 'GDHK_ITEM_COMPLETED');
        await expectConflict(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-11', kind: 'close_item', rationale: 'x' }), 'GDHK_NOT_BOTH_COMPLETED');
        await expectConflict(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-11', kind: 'reopen_item', rationale: 'x' }), 'GDHK_ITEM_NOT_CLOSED');
      });
    });

    it('one open decision per kind; answers only to open decisions; no second escalation', async () => {
      const first = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-12', kind: 'escalate', rationale: 'x' });
      expect(first.status).toBe(201);
      await expectNothingWritten(async () => {
        await expectConflict(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-12', kind: 'escalate', rationale: 'y' }), 'GDHK_DECISION_OPEN_EXISTS');
      });
      expect((await write('hk-service', `/v1/decisions/${first.body.data.decisionId}/approve`, hkCoordinator)).status).toBe(201);
      await expectNothingWritten(async () => {
        await expectConflict(await write('hk-service', `/v1/decisions/${first.body.data.decisionId}/reject`, hkCoordinator), 'GDHK_DECISION_NOT_OPEN');
        await expectConflict(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-12', kind: 'escalate', rationale: 'z' }), 'GDHK_ALREADY_ESCALATED');
        await expectConflict(await write('gd-service', `/v1/decisions/${first.body.data.decisionId}/withdraw`, gdCoordinator), 'GDHK_DECISION_NOT_OPEN');
      }, ['gd-service', 'hk-service']);
    });

    it('a deadline extension must be later than the agreed target date', async () => {
      const extend = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-13', kind: 'extend_deadline', rationale: 'x', targetDate: '2032-06-30' });
      expect(extend.status).toBe(201);
      expect((await write('hk-service', `/v1/decisions/${extend.body.data.decisionId}/approve`, hkCoordinator)).status).toBe(201);
      await expectNothingWritten(async () => {
        await expectConflict(await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-13', kind: 'extend_deadline', rationale: 'y', targetDate: '2032-01-01' }), 'GDHK_TARGET_DATE_NOT_LATER');
      });
    });

    it('a closed item takes no close and no report', async () => {
      const item = '2019-14';
      expect((await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'completed', progress: 100, summary: 'Done' })).status).toBe(201);
      expect((await write('hk-service', `/v1/items/${item}/status`, hkCoordinator, { status: 'completed', progress: 100, summary: 'Done' })).status).toBe(201);
      const close = await write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'close_item', rationale: 'x' });
      expect(close.status).toBe(201);
      expect((await write('gd-service', `/v1/decisions/${close.body.data.decisionId}/approve`, gdCoordinator)).status).toBe(201);
      await expectNothingWritten(async () => {
        await expectConflict(await write('hk-service', '/v1/decisions', hkCoordinator, { itemId: item, kind: 'close_item', rationale: 'again' }), 'GDHK_ITEM_CLOSED');
        await expectConflict(await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'completed', progress: 100, summary: 'x' }), 'GDHK_ITEM_CLOSED');
      }, ['gd-service', 'hk-service']);
    });

    it('a record forged without the side\'s key changes nothing: it is quarantined and the item still takes writes', async () => {
      const item = '2019-15';
      expect((await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x' })).status).toBe(201);
      // Someone without the side's key appends to the topic directly.
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: gdTopic(), acks: -1, messages: [{ key: item, value: JSON.stringify({ itemId: item, side: 'gd', streamVersion: 2, forged: true }) }] });
      await producer.disconnect();
      const next = await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'in_progress', progress: 2, summary: 'y' });
      expect(next.status, JSON.stringify(next.body)).toBe(201);
      expect(next.body.streamVersion).toBe(2);
      expect((await call(`${system.url('gd-service')}/v1/items/${item}`, { token: gdCoordinator })).body.integrity).toBe('ok');
    });

    it("a fork signed with the side's own key halts the item: writes answer 409 and nothing is written", async () => {
      const item = '2019-16';
      const first = await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x' });
      expect(first.status).toBe(201);
      // A second, correctly signed version 1 (another history): only the key holder can write it.
      const key = readSigningKeyFile(join(system.keysDir, 'signing-gd.json'), 'gd');
      // The service writes schema version 2; the rival is a schema version 1 event with its own signature.
      const { commit: _commit, ...content } = first.body as Record<string, unknown>;
      const rival = sealEvent({ ...content, schemaVersion: 1, eventId: '01900000-0000-7000-8000-00000000fa11', data: { status: 'completed', progress: 100, summary: 'another history' } }, first.body.prevHash, key);
      const producer = kafka.producer();
      await producer.connect();
      await producer.send({ topic: gdTopic(), acks: -1, messages: [{ key: item, value: JSON.stringify(rival) }] });
      await producer.disconnect();
      await expect.poll(async () => (await call(`${system.url('gd-service')}/v1/items/${item}`, { token: gdCoordinator })).body.integrity, { timeout: 10_000 }).toMatch(/is halted by .*: fork: a second, correctly signed version 1/);
      await expectNothingWritten(async () => {
        await expectConflict(await write('gd-service', `/v1/items/${item}/status`, gdCoordinator, { status: 'in_progress', progress: 2, summary: 'y' }), 'GDHK_STREAM_INTEGRITY');
      });
    });
  });

  describe('412, and nothing is written', () => {
    it('If-Match with a stale stream version; the current one passes', async () => {
      const first = await write('gd-service', '/v1/items/2019-20/status', gdCoordinator, { status: 'in_progress', progress: 1, summary: 'x' }, { 'if-match': '"0"' });
      expect(first.status).toBe(201);
      await expectNothingWritten(async () => {
        const stale = await write('gd-service', '/v1/items/2019-20/status', gdCoordinator, { status: 'in_progress', progress: 2, summary: 'y' }, { 'if-match': '"0"' });
        expect(stale.status).toBe(412);
        expect(stale.body.code).toBe('GDHK_VERSION_MISMATCH');
      });
      const current = await write('gd-service', '/v1/items/2019-20/status', gdCoordinator, { status: 'in_progress', progress: 2, summary: 'y' }, { 'if-match': first.headers.get('etag') ?? '' });
      expect(current.status).toBe(201);
      expect(current.body.streamVersion).toBe(2);
    });
  });

  describe('Idempotency-Key', () => {
    it('the same key and body replay the first response and write nothing, also after a restart; another body is 422', { timeout: 90_000 }, async () => {
      const key = randomUUID();
      const body = { status: 'in_progress', progress: 42, summary: 'Replay me' };
      const first = await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, body, { 'idempotency-key': key });
      expect(first.status).toBe(201);
      const proposal = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-30', kind: 'escalate', rationale: 'x' });
      expect(proposal.status).toBe(201);
      const proposalKey = proposal.body.commandId as string;

      await expectNothingWritten(async () => {
        const again = await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, body, { 'idempotency-key': key });
        expect(again.status).toBe(201);
        expect(again.headers.get('idempotent-replayed')).toBe('true');
        expect(again.body).toEqual(first.body);
        const proposedAgain = await write('gd-service', '/v1/decisions', gdCoordinator, { itemId: '2019-30', kind: 'escalate', rationale: 'x' }, { 'idempotency-key': proposalKey });
        expect(proposedAgain.body).toEqual(proposal.body);

        const reused = await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, { ...body, progress: 43 }, { 'idempotency-key': key });
        expect(reused.status).toBe(422);
        expect(reused.body.code).toBe('GDHK_IDEMPOTENCY_KEY_REUSED');
      });

      // Another user's identical key is another command.
      const colleague = await system.token('gd', 'coordinator', 'Development and Reform Commission', 'gd-coordinator-2');
      const colleagues = await write('gd-service', '/v1/items/2019-31/status', colleague, body, { 'idempotency-key': key });
      expect(colleagues.status).toBe(201);
      expect(colleagues.body).toMatchObject({ itemId: '2019-31', streamVersion: 1, commandId: key, actor: { userId: 'gd-coordinator-2' } });

      // Restarted with no recent responses kept: the replay reads its first response back from the log.
      await system.processes.get('gd-service')?.stop();
      process.env.IDEMPOTENCY_RECENT_RESPONSES = '0';
      try {
        await system.start('gd-service');
      } finally {
        delete process.env.IDEMPOTENCY_RECENT_RESPONSES;
      }
      await expectNothingWritten(async () => {
        const afterRestart = await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, body, { 'idempotency-key': key });
        expect(afterRestart.status).toBe(201);
        expect(afterRestart.body).toEqual(first.body);
        expect((await write('gd-service', '/v1/items/2019-30/status', gdCoordinator, { ...body, progress: 1 }, { 'idempotency-key': key })).status).toBe(422);
      });
      // The restart's fencing writes transaction markers only: the item's stream is its two events, read to the log's end.
      const stream = (await readCommitted(infra.brokers, [gdTopic()])).filter((record) => record.value?.itemId === '2019-30');
      expect(stream.map((record) => [record.value.streamVersion, record.value.eventId])).toEqual([
        [1, first.body.eventId],
        [2, proposal.body.eventId],
      ]);
    });
  });
});
