import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startRedisServer } from '@gdhk/infra';
import { Redis } from 'ioredis';
import { generateSigningKey, GENESIS_HASH, publicKeyEntry, sealEvent, type SigningKey } from '@gdhk/integrity';
import { consumerGroups, runAudit, testInfra, topicList } from '@gdhk/tests/support';

let sequence = 0;
const uuidV7 = () => `01900000-0000-7000-8000-${(++sequence).toString(16).padStart(12, '0')}`;

function report(key: SigningKey, itemId: string, version: number, prevHash: string, occurredAt: string, progress: number) {
  const id = uuidV7();
  return sealEvent(
    { eventId: id, type: 'item.status-reported', schemaVersion: 1, side: key.side, itemId, streamVersion: version, occurredAt, actor: { userId: `${key.side}-1`, department: '', role: 'coordinator' }, commandId: id, correlationId: id, causationId: id, data: { status: 'in_progress', progress, summary: `at ${progress}%` } },
    prevHash,
    key,
  );
}

// The audit CLI against a real broker, with logs written straight to Kafka: transactions
// (committed and aborted), key rotation, and the errors an auditor can run into.
describe('audit replay CLI', () => {
  const infra = testInfra('audit-cli');
  const keysDir = mkdtempSync(join(tmpdir(), 'gdhk-audit-keys-'));
  // GD rotated its key a minute ago: both keys verify the events of their own window. (Side
  // topics take the broker's append time, and occurredAt must lie within 5 minutes of it: a log
  // can only be written in the present.)
  const now = Math.floor(Date.now() / 1000) * 1000;
  const at = (secondsAgo: number) => new Date(now - secondsAgo * 1000).toISOString();
  const rotation = at(60);
  const gdOld = generateSigningKey('gd-2025-q1', 'gd');
  const gdNew = generateSigningKey('gd-2025-q2', 'gd');
  const hk = generateSigningKey('hk-2025', 'hk');
  const kafka = new Kafka({ clientId: 'audit-cli-test', brokers: infra.brokers, logLevel: logLevel.NOTHING });
  let events = 0;

  beforeAll(async () => {
    writeFileSync(join(keysDir, 'keyset.json'), JSON.stringify({ keys: [publicKeyEntry(gdOld, { validUntil: rotation }), publicKeyEntry(gdNew, { validFrom: rotation }), publicKeyEntry(hk)] }));
    await infra.createTopics(2);
    const first = report(gdOld, '2019-10', 1, GENESIS_HASH, at(61), 10);
    const second = report(gdNew, '2019-10', 2, first.hash, rotation, 20);
    const hkFirst = report(hk, '2019-10', 1, GENESIS_HASH, at(90), 5);
    const producer = kafka.producer({ transactionalId: `${infra.prefix}-tx`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const send = async (topic: string, value: unknown, commit: boolean) => {
      // Right after the topics are created the transaction coordinator may not know them yet.
      for (let attempt = 1; ; attempt++) {
        const transaction = await producer.transaction();
        try {
          await transaction.send({ topic, messages: [{ key: '2019-10', value: JSON.stringify(value) }] });
          await (commit ? transaction.commit() : transaction.abort());
          break;
        } catch (error) {
          await transaction.abort().catch(() => undefined);
          if (attempt >= 10) throw error;
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
      }
      if (commit) events += 1;
    };
    await send(`${infra.prefix}.gd.events`, first, true);
    // A side's write that failed: aborted, so never part of the log an auditor reads.
    await send(`${infra.prefix}.gd.events`, report(gdOld, '2019-10', 2, first.hash, at(61), 99), false);
    await send(`${infra.prefix}.gd.events`, second, true);
    await send(`${infra.prefix}.hk.events`, hkFirst, true);
    await producer.disconnect();
  });

  afterAll(async () => {
    await infra.cleanup();
    rmSync(keysDir, { recursive: true, force: true });
  });

  const audit = (args: string[] = [], overrides: { brokers?: string[]; prefix?: string } = {}) =>
    runAudit({ brokers: overrides.brokers ?? infra.brokers, prefix: overrides.prefix ?? infra.prefix, keysDir, args });

  it('verifies across a key rotation, skips aborted transactions, and joins no group nor writes anything', async () => {
    const [topicsBefore, groupsBefore] = [await topicList(infra.brokers), await consumerGroups(infra.brokers)];
    const run = await audit();
    expect(run.status, run.stderr).toBe(0);
    // A log of version 1 events (each signed on its own): no seals to read.
    expect(run.report.verification).toEqual({ events, verified: events, duplicates: 0, seals: { read: 0, verified: 0 }, checkpoints: { read: 0, verified: 0, heads: { checked: 0, missing: 0, differing: 0 }, latestCosigned: { gd: [], hk: [] } }, failures: [], repairs: [], checkpoint: null });
    expect(run.report.view.items[0].sides.gd).toMatchObject({ streamVersion: 2, progress: 20 });
    // The next offsets are past the transaction markers: 3 transactions and their markers on gd.
    const gdOffsets = Object.entries(run.report.offsets as Record<string, number>).filter(([key]) => key.startsWith(`${infra.prefix}.gd.events/`));
    expect(gdOffsets).toHaveLength(2);
    expect(Math.max(...gdOffsets.map(([, offset]) => offset))).toBeGreaterThanOrEqual(6);
    expect(await topicList(infra.brokers)).toEqual(topicsBefore);
    expect(await consumerGroups(infra.brokers)).toEqual(groupsBefore);
    // Not a terminal: no progress bar, only the one-line summary.
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^audit: verified 3 events; digest [0-9a-f]{64}$/)]);
  });

  it('rejects an event signed with a key outside its validity period', async () => {
    const late = mkdtempSync(join(tmpdir(), 'gdhk-audit-keys-'));
    try {
      // The same log, but a key set in which the old key stopped 30 s before it signed its event:
      // that event is quarantined, and the next one, now past a missing version, too.
      writeFileSync(join(late, 'keyset.json'), JSON.stringify({ keys: [publicKeyEntry(gdOld, { validUntil: at(91) }), publicKeyEntry(gdNew, { validFrom: rotation }), publicKeyEntry(hk)] }));
      const run = await runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: late });
      expect(run.status).toBe(1);
      expect(run.report.verification.failures.map((failure: { reason: string; stream: string }) => [failure.reason, failure.stream])).toEqual([
        ['key_not_valid', 'gd/2019-10'],
        ['version_gap', 'gd/2019-10'],
      ]);
    } finally {
      rmSync(late, { recursive: true, force: true });
    }
  });

  it('writes the report to --out and accepts an earlier report as --checkpoint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gdhk-audit-out-'));
    try {
      const first = await audit(['--out', join(dir, 'report.json')]);
      expect(first.status).toBe(0);
      expect(first.stdout).toBe('');
      const saved = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
      const again = await audit(['--checkpoint', join(dir, 'report.json'), '--format', 'md']);
      expect(again.status, again.stderr).toBe(0);
      expect(again.stdout).toContain(saved.digest);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('opens no Redis connection, even with REDIS_URL pointing at a live Redis', async () => {
    const redis = await startRedisServer();
    const watcher = new Redis(redis.url);
    try {
      const connections = async () => Number(/total_connections_received:(\d+)/.exec(await watcher.info('stats'))?.[1]);
      const before = await connections();
      expect(before).toBeGreaterThanOrEqual(1);
      const run = await runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir, env: { REDIS_URL: redis.url } });
      expect(run.status, run.stderr).toBe(0);
      // Every connection the server ever accepted: the watcher's own, and none from the replay.
      expect(await connections()).toBe(before);
      expect(String(await watcher.call('CLIENT', 'LIST')).trim().split('\n')).toHaveLength(1);
    } finally {
      watcher.disconnect();
      await redis.stop();
    }
  });

  it('names the brokers it tried when Kafka is unreachable', async () => {
    const port = await freePort();
    const run = await audit([], { brokers: [`127.0.0.1:${port}`] });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`127.0.0.1:${port}`);
    expect(run.stderr).toContain('KAFKA_BROKERS');
  });

  it('names the topics it tried when they do not exist', async () => {
    const run = await audit([], { prefix: `${infra.prefix}-missing` });
    expect(run.status).toBe(3);
    expect(run.stderr).toContain(`'${infra.prefix}-missing.gd.events'`);
    expect(run.stderr).toContain(`'${infra.prefix}-missing.hk.events'`);
    expect(await topicList(infra.brokers)).not.toContain(`${infra.prefix}-missing.gd.events`);
  });

  it('refuses bad arguments and a missing key set with status 2', async () => {
    expect((await audit(['--until', 'last tuesday'])).status).toBe(2);
    const missing = await runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: join(keysDir, 'nowhere') });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain(join(keysDir, 'nowhere', 'keyset.json'));
  });
});
