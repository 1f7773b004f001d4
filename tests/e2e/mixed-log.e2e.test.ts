import { randomUUID } from 'node:crypto';
import { topicNames } from '@gdhk/config';
import { itemPartitioner } from '@gdhk/eventlog';
import { checkSealedBatch, GENESIS_HASH, type CommitSeal } from '@gdhk/integrity';
import { describe, expect, it } from 'vitest';
import { call, readCommitted, runAudit, useSystem, type LoggedRecord } from '@gdhk/tests/support';

type Event = { schemaVersion: number; itemId: string; streamVersion: number; hash: string; prevHash: string; signature?: unknown; commit?: { prev: string } };

/**
 * Checks a side topic written first with version 1 events, then by the sealed writer: per
 * partition, the version 1 events stand alone, and every version 2 event belongs to the group of
 * events its transaction wrote on the partition, which ends with exactly one seal that chains to
 * the partition's previous seal, links its events through `commit.prev` and commits to them by
 * its root. Returns the seals, by partition.
 */
function sealedGroups(records: readonly LoggedRecord[]): Map<number, CommitSeal[]> {
  const seals = new Map<number, CommitSeal[]>();
  const partitions = new Set(records.map((record) => record.partition));
  for (const partition of partitions) {
    const here = records.filter((record) => record.partition === partition).sort((a, b) => Number(a.offset - b.offset));
    let group: Event[] = [];
    let head = { sequence: 0, hash: GENESIS_HASH };
    const chain: CommitSeal[] = [];
    for (const record of here) {
      const value = record.value as Event & { kind?: string };
      if (value.kind === undefined && value.schemaVersion === 1) {
        expect(group, 'a version 1 event inside a sealed transaction').toEqual([]);
        continue;
      }
      if (value.kind === undefined) {
        expect(value.signature).toBeUndefined();
        expect(value.commit?.prev).toBe(group.at(-1)?.hash ?? head.hash);
        expect(record.key).toBe(value.itemId);
        group.push(value);
        continue;
      }
      const seal = record.value as CommitSeal;
      expect(record.key).toBe('gdhk.seal');
      expect(group.length, 'a seal with no event of its transaction before it').toBeGreaterThan(0);
      expect(seal).toMatchObject({ partition, sequence: head.sequence + 1, prevHash: head.hash });
      expect(checkSealedBatch(seal, group.map((event) => event.hash))).toEqual({ ok: true });
      head = { sequence: seal.sequence, hash: seal.hash };
      chain.push(seal);
      group = [];
    }
    expect(group, `version 2 events left unsealed on partition ${partition}`).toEqual([]);
    seals.set(partition, chain);
  }
  return seals;
}

// A log written with version 1 events (before sealed commits) and then by the sealed writer, on
// the same items: every reader verifies both, and the writer chains each stream on across them.
describe('a log that mixes version 1 events and sealed commits', () => {
  const ctx = useSystem('mixed', ['gd-service', 'hk-service', 'projection', 'joint-api'], {
    writer: true,
    tokens: { gd: ['gd', 'coordinator'], hk: ['hk', 'coordinator'], secretariat: ['joint', 'secretariat'] },
  });
  const { infra } = ctx;
  const topics = topicNames(infra.prefix);
  const partitionOf = itemPartitioner(3);
  // Two GD items on different partitions, so a group commit can touch both.
  const gdItems = ['2019-05', ...Array.from({ length: 70 }, (_, index) => `2019-${String(index + 10).padStart(2, '0')}`)].filter((itemId, index, all) => index === 0 || partitionOf(itemId) !== partitionOf(all[0] ?? '')).slice(0, 2) as [string, string];
  const hkItem = '2019-06';

  const report = (side: 'gd' | 'hk', itemId: string, progress: number) =>
    call(`${ctx.system.url(side === 'gd' ? 'gd-service' : 'hk-service')}/v1/items/${itemId}/status`, {
      method: 'POST',
      token: side === 'gd' ? ctx.tokens.gd : ctx.tokens.hk,
      headers: { 'idempotency-key': randomUUID() },
      body: { status: 'in_progress', progress, summary: `${side} at ${progress}` },
    });
  const versionAt = async (side: 'gd' | 'hk', itemId: string) => (await call(`${ctx.system.url(side === 'gd' ? 'gd-service' : 'hk-service')}/v1/items/${itemId}`, { token: side === 'gd' ? ctx.tokens.gd : ctx.tokens.hk })).headers.get('etag');
  const jointItem = async (itemId: string) => (await call(`${ctx.system.url('joint-api')}/v1/items/${itemId}`, { token: ctx.tokens.secretariat })).body;
  const audit = () => runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: ctx.system.keysDir });

  it('version 1 events, then sealed writes on the same items: the audit verifies all, the joint view shows the latest, a restarted service folds it and writes on', { timeout: 180_000 }, async () => {
    const [first, second] = gdItems;
    expect(partitionOf(first)).not.toBe(partitionOf(second));
    // Genuine version 1 events, signed with the development keys, straight to the topics.
    const status = (progress: number) => ({ type: 'item.status-reported', data: { status: 'in_progress', progress, summary: `v1 at ${progress}` } });
    const v1 = [
      ...(await ctx.writer.write('gd', [{ itemId: first, ...status(5) }, { itemId: first, ...status(10) }, { itemId: second, ...status(15) }])),
      ...(await ctx.writer.write('hk', [{ itemId: hkItem, ...status(20) }])),
    ];
    expect(v1.every((event) => event.schemaVersion === 1 && typeof event.signature === 'object')).toBe(true);
    // The services fold them live before their next write decides on them.
    await expect.poll(() => versionAt('gd', first), { timeout: 10_000, interval: 100 }).toBe('"2"');
    await expect.poll(() => versionAt('gd', second), { timeout: 10_000, interval: 100 }).toBe('"1"');
    await expect.poll(() => versionAt('hk', hkItem), { timeout: 10_000, interval: 100 }).toBe('"1"');

    // Sealed writes: one at a time, then several at once (a group commit may share a transaction across partitions).
    const one = await report('gd', first, 30);
    expect(one.status, JSON.stringify(one.body)).toBe(201);
    expect(one.body).toMatchObject({ schemaVersion: 2, streamVersion: 3, prevHash: ctx.writer.positions.get(`gd/${first}`)?.hash });
    expect(one.body).not.toHaveProperty('signature');
    const together = await Promise.all([report('gd', first, 40), report('gd', second, 45), report('hk', hkItem, 50)]);
    for (const answer of together) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(together.map((answer) => answer.body.streamVersion)).toEqual([4, 2, 2]);
    expect(together[1]?.body.prevHash).toBe(ctx.writer.positions.get(`gd/${second}`)?.hash);
    expect(together[2]?.body.prevHash).toBe(ctx.writer.positions.get(`hk/${hkItem}`)?.hash);

    // The 201 bodies are the events exactly as the log holds them.
    const logged = await readCommitted(infra.brokers, [topics.side.gd, topics.side.hk]);
    for (const answer of [one, ...together]) expect(logged.map((record) => record.value)).toContainEqual(answer.body);
    const gdSeals = sealedGroups(logged.filter((record) => record.topic === topics.side.gd));
    const hkSeals = sealedGroups(logged.filter((record) => record.topic === topics.side.hk));
    expect(gdSeals.get(partitionOf(first))?.length).toBeGreaterThanOrEqual(2);
    expect(gdSeals.get(partitionOf(second))?.length).toBe(1);
    expect(hkSeals.get(partitionOf(hkItem))?.length).toBe(1);
    const sealCount = [...gdSeals.values(), ...hkSeals.values()].reduce((sum, chain) => sum + chain.length, 0);

    // The audit verifies every event of both versions and every seal.
    const run = await audit();
    expect(run.status, run.stderr).toBe(0);
    expect(run.report.verification).toMatchObject({ events: 8, verified: 8, duplicates: 0, seals: { read: sealCount, verified: sealCount }, failures: [] });

    // The joint view shows the latest of both sides.
    await expect.poll(async () => { const item = await jointItem(first); return [item.integrity, item.sides.gd.progress, item.sides.gd.streamVersion]; }, { timeout: 5000, interval: 100 }).toEqual(['ok', 40, 4]);
    await expect.poll(async () => (await jointItem(second)).sides.gd.progress, { timeout: 5000, interval: 100 }).toBe(45);
    await expect.poll(async () => { const item = await jointItem(hkItem); return [item.integrity, item.sides.hk.progress]; }, { timeout: 5000, interval: 100 }).toEqual(['ok', 50]);

    // A restarted GD service folds the mixed log and writes on: its stream and its seal chain continue.
    await ctx.system.processes.get('gd-service')?.stop();
    await ctx.system.start('gd-service');
    expect(await versionAt('gd', first)).toBe('"4"');
    const after = await report('gd', first, 60);
    expect(after.status, JSON.stringify(after.body)).toBe(201);
    expect(after.body).toMatchObject({ schemaVersion: 2, streamVersion: 5, prevHash: together[0]?.body.hash });
    const lastBefore = gdSeals.get(partitionOf(first))?.at(-1);
    const relogged = await readCommitted(infra.brokers, [topics.side.gd]);
    const chain = sealedGroups(relogged).get(partitionOf(first)) ?? [];
    expect(chain.at(-1)).toMatchObject({ sequence: (lastBefore?.sequence ?? 0) + 1, prevHash: lastBefore?.hash, count: 1, last: after.body.hash });
    const again = await audit();
    expect(again.status, again.stderr).toBe(0);
    expect(again.report.verification).toMatchObject({ events: 9, verified: 9, seals: { read: sealCount + 1, verified: sealCount + 1 }, failures: [] });
    await expect.poll(async () => (await jointItem(first)).sides.gd.progress, { timeout: 5000, interval: 100 }).toBe(60);
  });
});
