import { createHash, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { topicNames } from '@gdhk/config';
import { itemPartitioner } from '@gdhk/eventlog';
import { readSigningKeyFile, sealEvent } from '@gdhk/integrity';
import { describe, expect, it } from 'vitest';
import { call, readWholeTopic, runAudit, useSystem } from '@gdhk/tests/support';

// An attacker with broker access writes straight to GD's topic (issue 11): every process stays
// ready, the genuine next report on the same item — and one on another item of the same
// partition — shows in joint-api within 2 s, every hostile record is in the DLQ with its reason
// and shown on its item, and the audit exits 1 naming each bad offset with the full report.
describe('hostile records written to a side topic', () => {
  const ctx = useSystem('hostile', ['gd-service', 'hk-service', 'projection', 'joint-api'], { writer: true, tokens: { coordinator: ['gd', 'coordinator'], secretariat: ['joint', 'secretariat'] } });
  const { infra } = ctx;
  const topics = topicNames(infra.prefix);
  const partitionOf = itemPartitioner(3);
  const target = '2019-40';
  // Another item on the same partition: the hostile records must not hold it up.
  const neighbour = Array.from({ length: 74 }, (_, index) => `2019-${String(index + 1).padStart(2, '0')}`).find((itemId) => itemId !== target && partitionOf(itemId) === partitionOf(target)) ?? '';

  const report = (itemId: string, progress: number) =>
    call(`${ctx.system.url('gd-service')}/v1/items/${itemId}/status`, { method: 'POST', token: ctx.tokens.coordinator, headers: { 'idempotency-key': randomUUID() }, body: { status: 'in_progress', progress, summary: `at ${progress}` } });
  const item = async (itemId: string) => (await call(`${ctx.system.url('joint-api')}/v1/items/${itemId}`, { token: ctx.tokens.secretariat })).body;

  it('quarantines each one; nothing stops, freezes or lies', { timeout: 120_000 }, async () => {
    const first = await report(target, 10);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    // The service writes version 2 (sealed commits); the forgeries are version 1 events, which carry their own signature.
    const genuine = first.body as Record<string, unknown> & { hash: string; prevHash: string; schemaVersion: number; commit: { prev: string } };
    expect(genuine.schemaVersion).toBe(2);
    const hkKey = readSigningKeyFile(join(ctx.system.keysDir, 'signing-hk.json'), 'hk');
    const gdKeyId = readSigningKeyFile(join(ctx.system.keysDir, 'signing-gd.json'), 'gd').keyId;
    const next = { ...genuine, eventId: '01900000-0000-7000-8000-00000000bad1', schemaVersion: 1, streamVersion: 2, prevHash: genuine.hash, occurredAt: new Date().toISOString() };
    const { hash: _h, commit: _c, ...unsealed } = next;
    const hostile: { name: string; reason: string; value: string; key?: string }[] = [
      // The record of the issue: a real envelope, version 99, its summary nested 6,000 arrays deep.
      { name: 'nested 6,000 deep', reason: 'over_limit', value: JSON.stringify({ ...genuine, streamVersion: 99, data: { ...(genuine.data as object), summary: 0 } }).replace('"summary":0', `"summary":${'['.repeat(6000)}${']'.repeat(6000)}`) },
      { name: 'one byte', reason: 'not_json', value: 'x' },
      { name: 'forged next version', reason: 'bad_signature', value: JSON.stringify({ ...sealEvent(unsealed, genuine.hash, { ...hkKey, side: 'gd', keyId: gdKeyId }) }) },
      { name: "signed with HK's key", reason: 'foreign_key', value: JSON.stringify(sealEvent(unsealed, genuine.hash, { ...hkKey, side: 'gd' })) },
      { name: 'altered after sealing', reason: 'bad_hash', value: JSON.stringify({ ...genuine, data: { status: 'completed', progress: 100, summary: 'forged' } }) },
      { name: 'an exact copy of the head', reason: 'duplicate', value: JSON.stringify(genuine) },
    ];
    await ctx.writer.writeRaw('gd', hostile.map(({ value, key }) => ({ key: key ?? target, value })));

    // The genuine next reports, on the same item and on its neighbour, right behind the hostile records.
    const [second, other] = await Promise.all([report(target, 20), report(neighbour, 30)]);
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body.streamVersion).toBe(2);
    expect(other.status, JSON.stringify(other.body)).toBe(201);
    const started = Date.now();
    await expect.poll(async () => (await item(target)).sides.gd.progress, { timeout: 2000, interval: 50 }).toBe(20);
    await expect.poll(async () => (await item(neighbour)).sides.gd.progress, { timeout: Math.max(100, 2000 - (Date.now() - started)), interval: 50 }).toBe(30);

    // Every process is still ready (no halted stream: "ok", not merely "degraded").
    for (const name of ['gd-service', 'hk-service', 'projection', 'joint-api'] as const) {
      const ready = await call(`${ctx.system.url(name)}/health/ready`);
      expect(ready.status, `${name}: ${JSON.stringify(ready.body)}`).toBe(200);
      expect(ready.body.status, name).toBe('ok');
    }

    // In the DLQ with their reasons (the duplicate is a counted no-op, not a dead letter).
    const quarantined = hostile.filter((record) => record.reason !== 'duplicate');
    await expect.poll(async () => (await readWholeTopic(infra, topics.dlq)).length, { timeout: 10_000 }).toBe(quarantined.length);
    const dlq = (await readWholeTopic(infra, topics.dlq)).map((record) => JSON.parse(record.value ?? '{}') as { reason: string; topic: string; partition: number; offset: string });
    expect(dlq.map((letter) => letter.reason).sort()).toEqual(quarantined.map((record) => record.reason).sort());
    // Shown on their item, which still says integrity is not ok.
    const shown = await item(target);
    expect(shown.quarantine.count).toBe(quarantined.length);
    expect(shown.integrity).not.toBe('ok');
    expect((await item(neighbour)).integrity).toBe('ok');
    const metrics = await (await fetch(`${ctx.system.url('projection')}/metrics`)).text();
    for (const { reason } of quarantined) expect(metrics).toMatch(new RegExp(`gdhk_records_quarantined_total\\{reason="${reason}"[^}]*\\} 1`));
    expect(metrics).toMatch(/gdhk_records_duplicate_total(\{[^}]*\})? 1/);

    // The audit: exit 1, every bad offset named, and the full report with the right view.
    const audit = await runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: ctx.system.keysDir });
    expect(audit.status, audit.stderr).toBe(1);
    const failures = audit.report.verification.failures as { topic: string; partition: number; offset: string; reason: string }[];
    expect(failures.map((failure) => `${failure.topic}/${failure.partition}@${failure.offset} ${failure.reason}`).sort()).toEqual(dlq.map((letter) => `${letter.topic}/${letter.partition}@${letter.offset} ${letter.reason}`).sort());
    expect(audit.report.verification.duplicates).toBe(1);
    expect(audit.stderr).not.toMatch(/replay itself failed/);
    const view = audit.report.view.items as { itemId: string; sides: { gd: { progress: number; streamVersion: number } } }[];
    expect(view.find((entry) => entry.itemId === target)?.sides.gd).toMatchObject({ streamVersion: 2, progress: 20 });
    expect(view.find((entry) => entry.itemId === neighbour)?.sides.gd).toMatchObject({ streamVersion: 1, progress: 30 });
  });

  // A flood: thousands of dead letters at once, one of them a record near the broker's size
  // limit. The DLQ takes them in requests the broker accepts and keeps a bounded part of each
  // value with its size and SHA-256; the projection goes on and the genuine next report shows.
  it('a flood of hostile records, one of them 900 KB, never stalls the projection', { timeout: 120_000 }, async () => {
    const before = (await readWholeTopic(infra, topics.dlq)).length;
    const flood = Array.from({ length: 3000 }, (_, index) => ({ key: target, value: `{"junk":${index},"padding":"${'x'.repeat(1000)}"` }));
    for (let index = 0; index < flood.length; index += 500) await ctx.writer.writeRaw('gd', flood.slice(index, index + 500));
    const huge = 'y'.repeat(900 * 1024);
    await ctx.writer.writeRaw('gd', [{ key: target, value: huge }]);
    const next = await report(target, 60);
    expect(next.status, JSON.stringify(next.body)).toBe(201);
    await expect.poll(async () => (await item(target)).sides.gd.progress, { timeout: 30_000, interval: 200 }).toBe(60);
    await expect.poll(async () => (await readWholeTopic(infra, topics.dlq)).length - before, { timeout: 30_000, interval: 500 }).toBe(flood.length + 1);
    const letters = (await readWholeTopic(infra, topics.dlq)).map((record) => JSON.parse(record.value ?? '{}') as { reason: string; value: string; valueBytes: number; valueSha256: string; valueTruncated: boolean });
    const big = letters.find((letter) => letter.valueBytes === huge.length);
    expect(big).toMatchObject({ reason: 'over_limit', valueTruncated: true, valueSha256: createHash('sha256').update(huge).digest('hex') });
    expect(big?.value.length).toBe(16 * 1024);
    const ready = await call(`${ctx.system.url('projection')}/health/ready`);
    expect(ready.status, JSON.stringify(ready.body)).toBe(200);
  });
});
