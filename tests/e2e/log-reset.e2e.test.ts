import { randomUUID } from 'node:crypto';
import { topicNames } from '@gdhk/config';
import { Kafka, logLevel } from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { call, readWholeTopic, recreateSideTopics, SideWriter, useSystem } from '@gdhk/tests/support';

// The Kafka log wiped and its topics created again under the same names, while Redis keeps the
// old read model (issue 11): the projection sees that the topics are another log (their topic ids
// changed) and starts a fresh build — no stale item, no false integrity failure, no skipped offset.
describe('a log reset under a kept read model', () => {
  const ctx = useSystem('logreset', ['projection', 'joint-api'], { tokens: { secretariat: ['joint', 'secretariat'] } });
  const { infra } = ctx;

  const item = async (itemId: string) => (await call(`${ctx.system.url('joint-api')}/v1/items/${itemId}`, { token: ctx.tokens.secretariat })).body;
  const report = (itemId: string, progress: number, summary: string) => ({ itemId, type: 'item.status-reported', data: { status: 'in_progress', progress, summary } });

  it('starts a fresh build from the new log', { timeout: 120_000 }, async () => {
    const old = new SideWriter(infra, ctx.system.keysDir);
    await old.connect();
    await old.write('gd', [report('2019-01', 10, 'old 1'), report('2019-01', 20, 'old 2'), report('2019-01', 30, 'old 3'), report('2019-02', 40, 'old')]);
    await old.disconnect();
    await expect.poll(async () => (await item('2019-01')).sides?.gd?.streamVersion, { timeout: 15_000 }).toBe(3);

    // The projection stops; the side topics are deleted and created again, empty, same names.
    await ctx.system.processes.get('projection')?.stop();
    await recreateSideTopics(infra);

    // The new log: one report on 2019-01 (version 1 again), one on 2019-05.
    const fresh = new SideWriter(infra, ctx.system.keysDir);
    await fresh.connect();
    await fresh.write('gd', [report('2019-01', 5, 'new log'), report('2019-05', 50, 'new log')]);
    await fresh.disconnect();
    await ctx.system.start('projection');

    await expect.poll(async () => (await item('2019-05')).sides?.gd?.progress, { timeout: 30_000 }).toBe(50);
    const first = await item('2019-01');
    expect(first.sides.gd).toMatchObject({ streamVersion: 1, progress: 5 });
    expect(first.integrity).toBe('ok');
    // Nothing of the old log is left: 2019-02 was written only there.
    expect((await item('2019-02')).sides.gd.streamVersion).toBe(0);
    const digest = await call(`${ctx.system.url('joint-api')}/v1/digest`, { token: await ctx.system.token('joint', 'auditor') });
    expect(digest.body.items).toBe(2);
    const metrics = await (await fetch(`${ctx.system.url('projection')}/metrics`)).text();
    expect(metrics).toMatch(/gdhk_read_model_log_resets_total(\{[^}]*\})? 1/);
  });
});

// The same reset under a running side service: its write model describes the old log, so it must
// neither fold the new log on top of it nor write from it; a restart folds the new log.
describe('a log reset under a running side service', () => {
  const ctx = useSystem('logreset-side', ['gd-service'], { tokens: { coordinator: ['gd', 'coordinator'] } });
  const { infra } = ctx;

  const report = (progress: number) =>
    call(`${ctx.system.url('gd-service')}/v1/items/2019-03/status`, { method: 'POST', token: ctx.tokens.coordinator, headers: { 'idempotency-key': randomUUID() }, body: { status: 'in_progress', progress, summary: `at ${progress}` } });

  it('stops folding and writing, says why, and folds the new log once restarted', { timeout: 120_000 }, async () => {
    for (const progress of [10, 20]) expect((await report(progress)).status).toBe(201);
    await recreateSideTopics(infra);

    await expect.poll(async () => (await call(`${ctx.system.url('gd-service')}/health/ready`)).status, { timeout: 20_000, interval: 200 }).toBe(503);
    const ready = await call(`${ctx.system.url('gd-service')}/health/ready`);
    expect(JSON.stringify(ready.body.checks)).toMatch(/is another log now .*restart it to fold the new one/);
    // No write from the old model: nothing lands on the new log.
    const refused = await report(30);
    expect(refused.status, JSON.stringify(refused.body)).toBe(503);
    expect(refused.body.code).toBe('GDHK_LOG_UNAVAILABLE');
    expect(await readWholeTopic(infra, topicNames(infra.prefix).side.gd)).toEqual([]);
    const metrics = await (await fetch(`${ctx.system.url('gd-service')}/metrics`)).text();
    expect(metrics).toMatch(/gdhk_side_log_resets_total(\{[^}]*\})? 1/);

    await ctx.system.processes.get('gd-service')?.stop();
    await ctx.system.start('gd-service');
    const first = await report(40);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body.streamVersion).toBe(1);
  });
});

// Records deleted from the front of a side topic (an administrator's DeleteRecords; side topics
// are kept forever) before the projection applied them: no seek brings them back, so it goes on
// from the log's start, says so, and the stream that lost events shows the gap on its item.
describe('records deleted from the front of a side topic', () => {
  const ctx = useSystem('logfront', ['projection', 'joint-api'], { tokens: { secretariat: ['joint', 'secretariat'] } });
  const { infra } = ctx;

  const item = async (itemId: string) => (await call(`${ctx.system.url('joint-api')}/v1/items/${itemId}`, { token: ctx.tokens.secretariat })).body;

  it('goes on from the log\'s start instead of seeking back for ever', { timeout: 120_000 }, async () => {
    await ctx.system.processes.get('projection')?.stop();
    const writer = new SideWriter(infra, ctx.system.keysDir);
    await writer.connect();
    const written = await writer.write('gd', [1, 2, 3].map((n) => ({ itemId: '2019-07', type: 'item.status-reported', data: { status: 'in_progress', progress: n * 10, summary: `report ${n}` } })));
    await writer.disconnect();
    const records = await readWholeTopic(infra, topicNames(infra.prefix).side.gd);
    const third = records.find((record) => JSON.parse(record.value ?? '{}').eventId === written[2]?.eventId);
    if (!third) throw new Error('the third report is not in the log');
    await deleteRecordsBefore(infra, topicNames(infra.prefix).side.gd, third.partition, third.offset);

    await ctx.system.start('projection');
    await expect.poll(async () => (await item('2019-07')).quarantine?.count, { timeout: 30_000, interval: 200 }).toBe(1);
    const shown = await item('2019-07');
    expect(shown.quarantine.last).toMatchObject({ reason: 'version_gap', offset: third.offset });
    expect(shown.sides.gd.streamVersion).toBe(0);
    const ready = await call(`${ctx.system.url('projection')}/health/ready`);
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
    const metrics = await (await fetch(`${ctx.system.url('projection')}/metrics`)).text();
    expect(metrics).toMatch(/gdhk_read_model_log_truncations_total(\{[^}]*\})? 1/);
  });
});

async function deleteRecordsBefore(infra: { brokers: readonly string[]; prefix: string }, topic: string, partition: number, offset: string): Promise<void> {
  const admin = new Kafka({ clientId: `${infra.prefix}-delete-records`, brokers: [...infra.brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.fetchTopicMetadata({ topics: [topic] });
    await admin.deleteTopicRecords({ topic, partitions: [{ partition, offset }] });
  } finally {
    await admin.disconnect();
  }
}
