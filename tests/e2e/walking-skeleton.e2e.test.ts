import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startSystem, testInfra, type TestSystem } from '@gdhk/tests/support';

// The whole system as `npm start` runs it: four processes over real Kafka and Redis.
describe('walking skeleton', () => {
  const infra = testInfra('skeleton');
  let system: TestSystem;

  beforeAll(async () => {
    await infra.createTopics();
    system = await startSystem(infra, ['gd-service', 'hk-service', 'projection', 'joint-api']);
  });
  afterAll(async () => {
    await system?.stop();
    await infra.cleanup();
  });

  it('every process is live and ready', async () => {
    for (const name of ['gd-service', 'hk-service', 'projection', 'joint-api'] as const) {
      expect((await call(`${system.url(name)}/health/live`)).status).toBe(200);
      expect((await call(`${system.url(name)}/health/ready`)).status).toBe(200);
    }
  });

  it('a report posted to gd-service appears in joint-api within 2 s', async () => {
    const coordinator = await system.token('gd', 'coordinator', 'Transport and Housing');
    const secretariat = await system.token('joint', 'secretariat');
    const posted = await call(`${system.url('gd-service')}/v1/items/2019-05/status`, {
      token: coordinator,
      headers: { 'idempotency-key': randomUUID() },
      body: { status: 'in_progress', progress: 40, summary: 'Liantang/Heung Yuen Wai works under way' },
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ type: 'item.status-reported', side: 'gd', itemId: '2019-05', streamVersion: 1 });

    const acknowledged = Date.now();
    let seen: Awaited<ReturnType<typeof call>> | undefined;
    while (Date.now() - acknowledged < 2000) {
      const read = await call(`${system.url('joint-api')}/v1/items/2019-05`, { token: secretariat });
      if (read.status === 200 && read.body.sides.gd.streamVersion === 1) {
        seen = read;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen, 'the report did not reach joint-api within 2 s').toBeDefined();
    expect(seen?.body).toMatchObject({ itemId: '2019-05', status: 'in_progress', sides: { gd: { status: 'in_progress', progress: 40 }, hk: { status: 'not_started' } } });
  });

  it('hk-service writes to the HK stream, and the joint view combines both sides', async () => {
    const coordinator = await system.token('hk', 'coordinator', 'Security Bureau');
    const secretariat = await system.token('joint', 'secretariat');
    const posted = await call(`${system.url('hk-service')}/v1/items/2019-05/status`, {
      token: coordinator,
      headers: { 'idempotency-key': randomUUID() },
      body: { status: 'blocked', progress: 20, summary: 'Awaiting approval', blockers: 'Land resumption' },
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ side: 'hk', streamVersion: 1 });
    await expect
      .poll(async () => (await call(`${system.url('joint-api')}/v1/items/2019-05`, { token: secretariat })).body.status, { timeout: 5000, interval: 50 })
      .toBe('blocked');
  });
});
