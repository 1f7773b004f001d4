import { randomUUID } from 'node:crypto';
import { topicNames } from '@gdhk/config';
import { describe, expect, it } from 'vitest';
import { call, runAudit, useSystem } from '@gdhk/tests/support';

// The operator procedure of docs/contract.md, "Repairing a halted stream": a record correctly
// signed with GD's own key forks GD's stream of an item (a second writer holding the key); the
// item halts everywhere; a GD coordinator reads the halt, repairs it naming the forking record,
// and the stream goes on — in the running processes, after a restart, and in the audit.
describe('repairing a halted stream', () => {
  const ctx = useSystem('repair', ['gd-service', 'hk-service', 'projection', 'joint-api'], {
    writer: true,
    tokens: { gdCoordinator: ['gd', 'coordinator'], gdStaff: ['gd', 'staff', 'Trade'], hkCoordinator: ['hk', 'coordinator'], secretariat: ['joint', 'secretariat'] },
  });
  const { infra } = ctx;
  const topics = topicNames(infra.prefix);
  const target = '2019-21';

  const report = (side: 'gd' | 'hk', token: string, progress: number) =>
    call(`${ctx.system.url(`${side}-service`)}/v1/items/${target}/status`, { method: 'POST', token, headers: { 'idempotency-key': randomUUID() }, body: { status: 'in_progress', progress, summary: `${side} at ${progress}` } });
  const repair = (token: string, body: unknown) => call(`${ctx.system.url('gd-service')}/v1/items/${target}/repair`, { method: 'POST', token, headers: { 'idempotency-key': randomUUID() }, body });
  const gdItem = async () => (await call(`${ctx.system.url('gd-service')}/v1/items/${target}`, { token: ctx.tokens.gdCoordinator })).body;
  const jointItem = async () => (await call(`${ctx.system.url('joint-api')}/v1/items/${target}`, { token: ctx.tokens.secretariat })).body;

  it('halts the item on a fork by the side\'s own key, and a coordinator\'s repair brings it back everywhere', { timeout: 180_000 }, async () => {
    const { gdCoordinator, gdStaff, hkCoordinator, secretariat } = ctx.tokens;
    const first = await report('gd', gdCoordinator, 10);
    expect(first.status, JSON.stringify(first.body)).toBe(201);

    // A second version 1, correctly signed with GD's key: only the key's holder can write it.
    const [rival] = await ctx.writer.write('gd', [{ type: 'item.status-reported', itemId: target, data: { status: 'completed', progress: 100, summary: 'another history' } }]);
    if (!rival) throw new Error('nothing written');
    await expect.poll(async () => (await gdItem()).halt, { timeout: 10_000, interval: 100 }).toMatchObject({ topic: topics.side.gd, hash: rival.hash });
    const halt = (await gdItem()).halt as { topic: string; partition: number; offset: string; hash: string };
    await expect.poll(async () => (await jointItem()).integrity, { timeout: 10_000, interval: 100 }).toMatch(`gd/${target} halted (fork) at ${halt.topic}/${halt.partition}@${halt.offset}`);

    // Halted: neither side writes on the item; the HK service sees the halt but has none to repair.
    for (const [side, token] of [['gd', gdCoordinator], ['hk', hkCoordinator]] as const) {
      const refused = await report(side, token, 20);
      expect(refused.status, `${side}: ${JSON.stringify(refused.body)}`).toBe(409);
      expect(refused.body.code).toBe('GDHK_STREAM_INTEGRITY');
    }
    expect((await call(`${ctx.system.url('hk-service')}/v1/items/${target}`, { token: hkCoordinator })).body.halt).toBeNull();
    const projectionReady = await call(`${ctx.system.url('projection')}/health/ready`);
    expect(JSON.stringify(projectionReady.body)).toMatch(/halted/);

    // The procedure: only a coordinator, only naming the very record the halt names, with a reason.
    const reason = 'a second writer held the GD key after the 1 December failover; its report is void';
    expect((await repair(gdStaff, { fork: halt, reason })).status).toBe(403);
    const wrong = await repair(gdCoordinator, { fork: { ...halt, hash: first.body.hash }, reason });
    expect(wrong.status, JSON.stringify(wrong.body)).toBe(409);
    expect(wrong.body.code).toBe('GDHK_FORK_MISMATCH');
    expect((await repair(gdCoordinator, { fork: halt })).status).toBe(400);
    const repaired = await repair(gdCoordinator, { fork: halt, reason });
    expect(repaired.status, JSON.stringify(repaired.body)).toBe(201);
    expect(repaired.body).toMatchObject({ type: 'stream.repaired', side: 'gd', itemId: target, streamVersion: 2, prevHash: first.body.hash, data: { fork: halt, reason } });
    // Not twice: the stream is no longer halted.
    const again = await repair(gdCoordinator, { fork: halt, reason });
    expect(again.status, JSON.stringify(again.body)).toBe(409);
    expect(again.body.code).toBe('GDHK_STREAM_NOT_HALTED');

    // The stream goes on, on both sides, and the joint view shows it with integrity ok.
    const next = await report('gd', gdCoordinator, 30);
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    expect(next.body.streamVersion).toBe(3);
    await expect.poll(async () => (await report('hk', hkCoordinator, 40)).status, { timeout: 10_000, interval: 200 }).toBe(201);
    await expect.poll(async () => { const item = await jointItem(); return [item.integrity, item.sides.gd.progress, item.sides.hk.progress]; }, { timeout: 10_000, interval: 100 }).toEqual(['ok', 30, 40]);
    const history = (await call(`${ctx.system.url('joint-api')}/v1/items/${target}/history`, { token: secretariat })).body;
    expect(JSON.stringify(history)).toContain('stream.repaired');
    for (const name of ['gd-service', 'hk-service', 'projection', 'joint-api'] as const) {
      const ready = await call(`${ctx.system.url(name)}/health/ready`);
      expect(ready.body.status, `${name}: ${JSON.stringify(ready.body)}`).toBe('ok');
    }

    // A restarted GD service folds fork and repair from the log alike and takes writes.
    await ctx.system.processes.get('gd-service')?.stop();
    await ctx.system.start('gd-service');
    expect((await gdItem()).halt).toBeNull();
    const afterRestart = await report('gd', gdCoordinator, 50);
    expect(afterRestart.status, JSON.stringify(afterRestart.body)).toBe(201);
    expect(afterRestart.body.streamVersion).toBe(4);

    // The audit passes, and lists the repair beside the fork it answers.
    const audit = await runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: ctx.system.keysDir });
    expect(audit.status, audit.stderr).toBe(0);
    expect(audit.report.verification.failures).toEqual([]);
    expect(audit.report.verification.repairs).toEqual([
      {
        stream: `gd/${target}`,
        fork: { ...halt, detail: expect.stringContaining('a second, correctly signed version 1') },
        repair: { topic: topics.side.gd, partition: halt.partition, offset: expect.any(String), eventId: repaired.body.eventId, occurredAt: repaired.body.occurredAt, userId: repaired.body.actor.userId, reason },
      },
    ]);
    const view = audit.report.view.items as { itemId: string; sides: { gd: { progress: number; streamVersion: number } } }[];
    expect(view.find((entry) => entry.itemId === target)?.sides.gd).toMatchObject({ streamVersion: 4, progress: 50 });
  });
});
