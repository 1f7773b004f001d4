import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, runAudit, startSystem, testInfra, type TestSystem } from '@gdhk/tests/support';

// The auditor trusts neither the projection nor Redis, and does not need to: both arrive at
// the same joint view, so the replay's digest equals joint-api's for the same log.
describe('the audit digest equals joint-api\'s GET /v1/digest', () => {
  const infra = testInfra('audit-digest');
  let system: TestSystem;

  beforeAll(async () => {
    await infra.createTopics(3);
    system = await startSystem(infra, ['gd-service', 'hk-service', 'projection', 'joint-api']);
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
    await infra.cleanup();
  });

  it('for the same offsets', async () => {
    const gd = await system.token('gd', 'coordinator', 'Commerce and Economic Development', 'gd-coordinator-1');
    const hk = await system.token('hk', 'coordinator', 'Constitutional and Mainland Affairs', 'hk-coordinator-1');
    const auditor = await system.token('joint', 'auditor');
    // No retry: an answer is sent the moment its proposal was acknowledged (the answering side catches up first).
    const post = async (service: 'gd-service' | 'hk-service', path: string, token: string, body?: unknown) => {
      const response = await call(`${system.url(service)}${path}`, { method: 'POST', token, headers: { 'idempotency-key': randomUUID() }, ...(body === undefined ? {} : { body }) });
      expect(response.status, JSON.stringify(response.body)).toBe(201);
      return response.body;
    };
    await post('gd-service', '/v1/items/2019-11/status', gd, { status: 'in_progress', progress: 40, summary: 'Started' });
    await post('hk-service', '/v1/items/2019-11/status', hk, { status: 'blocked', progress: 10, summary: 'Waiting', blockers: 'Funding' });
    const escalate = await post('hk-service', '/v1/decisions', hk, { itemId: '2019-11', kind: 'escalate', rationale: 'Funding' });
    await post('gd-service', `/v1/decisions/${escalate.data.decisionId}/approve`, gd);
    const extend = await post('gd-service', '/v1/decisions', gd, { itemId: '2019-12', kind: 'extend_deadline', rationale: 'More time', targetDate: '2027-01-31' });
    await post('hk-service', `/v1/decisions/${extend.data.decisionId}/reject`, hk, { comment: 'No' });

    const run = await runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: system.keysDir });
    expect(run.status, run.stderr).toBe(0);
    // The projection may still be applying the last events: poll joint-api until its digest is the replay's, or the deadline.
    await expect
      .poll(async () => (await call(`${system.url('joint-api')}/v1/digest`, { token: auditor })).body?.digest, { timeout: 15_000, interval: 100 })
      .toBe(run.report.digest);
    const joint = (await call(`${system.url('joint-api')}/v1/digest`, { token: auditor })).body as { digest: string; offsets: Record<string, number> };
    expect(joint.digest).toBe(run.report.digest);
    // The projection counts a partition up to its last event; the audit up to the last stable
    // offset, past the transaction's commit marker: the same events either way.
    for (const [topicPartition, offset] of Object.entries(joint.offsets)) {
      expect(offset).toBeLessThanOrEqual(run.report.offsets[topicPartition]);
      expect(offset).toBeGreaterThanOrEqual(run.report.offsets[topicPartition] - 1);
    }
  });

  it('names the log it counts in, so the audit takes the digest as a checkpoint of this log only', async () => {
    const auditor = await system.token('joint', 'auditor');
    const joint = (await call(`${system.url('joint-api')}/v1/digest`, { token: auditor })).body as { log?: Record<string, string> };
    // The same topic ids the audit reads (its report's `log`).
    const run = await runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: system.keysDir });
    expect(run.status, run.stderr).toBe(0);
    expect(joint.log).toEqual(run.report.log);
    expect(Object.keys(joint.log ?? {}).sort()).toEqual([`${infra.prefix}.gd.events`, `${infra.prefix}.hk.events`]);

    const dir = mkdtempSync(join(tmpdir(), 'gdhk-digest-'));
    try {
      const file = join(dir, 'digest.json');
      writeFileSync(file, JSON.stringify(joint));
      const checked = await runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: system.keysDir, args: ['--checkpoint', file] });
      expect(checked.status, checked.stderr).toBe(0);
      expect(checked.report.verification.checkpoint).toMatchObject({ log: 'same' });
      // The same digest claimed for another log is not compared, and fails.
      writeFileSync(file, JSON.stringify({ ...joint, log: Object.fromEntries(Object.keys(joint.log ?? {}).map((topic) => [topic, 'AAAAAAAAAAAAAAAAAAAAAA'])) }));
      const other = await runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: system.keysDir, args: ['--checkpoint', file] });
      expect(other.status).toBe(1);
      expect(other.report.verification.checkpoint).toMatchObject({ log: 'other' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
