import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topicNames } from '@gdhk/config';
import { readSigningKeyFile, type Checkpoint } from '@gdhk/integrity';
import { call, readCommitted, runAudit, sealHashes, useSystem, writeCopy, writtenFor, type LoggedRecord, type TopicRecord } from '@gdhk/tests/support';

type Json = Record<string, unknown>;
type Side = 'gd' | 'hk';
const other = (side: Side): Side => (side === 'gd' ? 'hk' : 'gd');

const isSeal = (record: LoggedRecord) => (record.value as Json).kind === 'gdhk.seal';
const checkpointsIn = (records: readonly LoggedRecord[]) => records.filter((record) => (record.value as Json).kind === 'gdhk.checkpoint');
/** The last seal of each partition that has one, as a checkpoint's heads list them. */
function lastSeals(records: readonly LoggedRecord[]): { partition: number; sequence: number; sealHash: string }[] {
  const last = new Map<number, { partition: number; sequence: number; sealHash: string }>();
  for (const record of records.filter(isSeal)) last.set(record.partition, { partition: record.partition, sequence: (record.value as Json).sequence as number, sealHash: (record.value as Json).hash as string });
  return [...last.values()].sort((a, b) => a.partition - b.partition);
}

// Witnessing (issue 12): each side cosigns the other's latest seals in checkpoints on its own
// topic, and the audit holds every cosigned head against the log it reads, so a side that
// rewrites or cuts its own tail after the other side cosigned it is caught even when it signs
// everything again with its own valid key.
describe('cosigned checkpoints', () => {
  const ctx = useSystem('witness', ['gd-service', 'hk-service'], { tokens: { gd: ['gd', 'coordinator'], hk: ['hk', 'coordinator'] }, env: { GDHK_CHECKPOINT_MS: '200' } });
  const topics = () => topicNames(ctx.infra.prefix).side;
  const assign = (side: Side, itemId: string, department: string) =>
    call(`${ctx.system.url(`${side}-service`)}/v1/items/${itemId}/assignments`, { method: 'POST', token: ctx.tokens[side], headers: { 'idempotency-key': randomUUID() }, body: { department } });
  /** Six items of the side assigned to a department none of them has yet: six events, on every partition. */
  const traffic = async (side: Side, department: string) => {
    const answers = await Promise.all(Array.from({ length: 6 }, (_, index) => assign(side, `2019-${String(index + 1 + (side === 'hk' ? 20 : 0)).padStart(2, '0')}`, department)));
    for (const answer of answers) expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  };
  const readSide = (side: Side) => readCommitted(ctx.infra.brokers, [topics()[side]]);
  /** Both sides' logs once each side's latest checkpoint cosigns the other's latest seals. */
  const cosignedNow = async (deadline = Date.now() + 30_000): Promise<Record<Side, LoggedRecord[]>> => {
    for (;;) {
      const logs = { gd: await readSide('gd'), hk: await readSide('hk') };
      const caughtUp = (['gd', 'hk'] as const).every((side) => JSON.stringify((checkpointsIn(logs[side]).at(-1)?.value as Checkpoint | undefined)?.heads) === JSON.stringify(lastSeals(logs[other(side)])));
      if (caughtUp) return logs;
      if (Date.now() > deadline) throw new Error('the sides did not cosign each other\'s latest seals within 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  let copies = 0;
  const copy = (gd: readonly TopicRecord[], hk: readonly TopicRecord[]) => writeCopy(ctx.infra.brokers, `${ctx.infra.prefix}-copy${copies}`, gd, hk);
  const audit = (prefix: string) => runAudit({ brokers: ctx.infra.brokers, prefix, keysDir: ctx.system.keysDir });

  it('both sides cosign each other while there is traffic; the audit passes and lists the latest mutually cosigned heads', async () => {
    for (const department of ['Planning', 'Lands', 'Finance']) {
      await traffic('gd', department);
      await traffic('hk', department);
    }
    const logs = await cosignedNow();
    for (const side of ['gd', 'hk'] as const) {
      const own = checkpointsIn(logs[side]);
      expect(own.length, `${side} wrote no checkpoint`).toBeGreaterThan(0);
      // Partition 0, key gdhk.checkpoint, one chain: 1, 2, 3 … each linked to the one before.
      own.forEach((record, index) => {
        const checkpoint = record.value as Checkpoint;
        expect({ partition: record.partition, key: record.key, side: checkpoint.side, observedSide: checkpoint.observedSide, sequence: checkpoint.sequence }).toEqual({ partition: 0, key: 'gdhk.checkpoint', side, observedSide: other(side), sequence: index + 1 });
        if (index > 0) expect(checkpoint.prevHash).toBe((own[index - 1]?.value as Checkpoint).hash);
      });
      // Only when the other side's heads changed: never the same heads twice in a row.
      own.slice(1).forEach((record, index) => expect((record.value as Checkpoint).heads).not.toEqual((own[index]?.value as Checkpoint).heads));
    }

    // Each side service counts the checkpoints it committed (this one process wrote them all).
    for (const side of ['gd', 'hk'] as const) {
      const metrics = await (await fetch(`${ctx.system.url(side === 'gd' ? 'gd-service' : 'hk-service')}/metrics`)).text();
      const written = Number(/^gdhk_checkpoints_written_total(?:\{[^}]*\})? (\d+)$/m.exec(metrics)?.[1] ?? Number.NaN);
      expect(written).toBeGreaterThanOrEqual(checkpointsIn(logs[side]).length);
      expect(written).toBeLessThanOrEqual(checkpointsIn(await readSide(side)).length);
    }

    const run = await audit(ctx.infra.prefix);
    expect(run.status, run.stderr).toBe(0);
    const checkpoints = run.report.verification.checkpoints;
    expect(checkpoints).toMatchObject({ read: checkpointsIn(logs.gd).length + checkpointsIn(logs.hk).length, verified: checkpointsIn(logs.gd).length + checkpointsIn(logs.hk).length, heads: { missing: 0, differing: 0 } });
    for (const side of ['gd', 'hk'] as const) {
      const latest = checkpointsIn(logs[other(side)]).at(-1)?.value as Checkpoint;
      expect(checkpoints.latestCosigned[side]).toEqual(lastSeals(logs[side]).map((head) => ({ ...head, cosignedBy: other(side), checkpointSequence: latest.sequence, observedAt: latest.observedAt })));
    }
    expect(run.stdout).toContain('"latestCosigned"');
  }, 120_000);

  it('a side that rewrites or cuts its own tail after the other side cosigned it, re-signing everything with its valid key, fails the audit: head_differs, head_missing', async () => {
    const logs = await cosignedNow();
    const keyOf = (side: Side) => readSigningKeyFile(join(ctx.system.keysDir, `signing-${side}.json`), side);
    const topicFor = (side: Side, n: number) => `${ctx.infra.prefix}-copy${n}.${side}.events`;
    // Written for copy n: seals signed again for the copy's topics, checkpoints cosigning the copy's seals.
    const plain = (side: Side, n: number) => writtenFor(logs[side], topicFor(side, n), keyOf(side));
    const clean = (side: Side, n: number, options: { edit?: (event: Json) => Json; observed?: Map<string, string> } = {}) =>
      writtenFor(logs[side], topicFor(side, n), keyOf(side), { observed: sealHashes(plain(other(side), n)), ...options });

    // The copy itself: every head hk cosigned is there.
    copies += 1;
    const same = await audit(await copy(clean('gd', copies), clean('hk', copies)));
    expect(same.status, same.stderr).toBe(0);
    expect(same.report.verification.checkpoints.heads).toMatchObject({ missing: 0, differing: 0 });

    // gd's last transaction on a partition hk cosigned, rewritten by gd itself: events and seals
    // hashed and signed again with gd's valid key, so each verifies; hk's cosignature does not.
    const cosigned = (checkpointsIn(logs.hk).at(-1)?.value as Checkpoint).heads;
    const target = cosigned.at(-1);
    if (!target) throw new Error('hk cosigned no gd seal');
    const sealRecord = logs.gd.find((record) => isSeal(record) && record.partition === target.partition && (record.value as Json).sequence === target.sequence) as LoggedRecord;
    const victim = logs.gd.filter((record) => record.partition === target.partition && record.offset < sealRecord.offset && (record.value as Json).kind === undefined).at(-1) as LoggedRecord;
    copies += 1;
    const n = copies;
    const genuineGd = sealHashes(plain('gd', n));
    const rewritten = clean('gd', n, { edit: (event) => (event.eventId === (victim.value as Json).eventId ? { ...event, data: { department: 'Forgery Office' } } : event) });
    // hk's checkpoints as hk wrote them: over the genuine gd seals.
    const differs = await audit(await copy(rewritten, clean('hk', n, { observed: genuineGd })));
    expect(differs.status).toBe(1);
    const differing = differs.report.verification.failures as { reason: string; topic: string; partition: number; detail: string }[];
    expect(differing.length).toBeGreaterThan(0);
    expect(differing.every((failure) => failure.reason === 'head_differs' && failure.topic === topicFor('gd', n) && failure.partition === target.partition), JSON.stringify(differing)).toBe(true);
    expect(differs.report.verification).toMatchObject({ seals: { read: differs.report.verification.seals.verified } });
    expect(differs.report.verification.verified).toBe(differs.report.verification.events);

    // gd's log cut back to the seal before that one: the seal hk cosigned is gone, the rest verifies.
    copies += 1;
    const m = copies;
    const previousSeal = logs.gd.filter((record) => isSeal(record) && record.partition === target.partition && record.offset < sealRecord.offset).at(-1)?.offset ?? -1n;
    const kept = (record: TopicRecord) => record.partition !== target.partition || BigInt(record.offset) <= previousSeal;
    const truncated = await audit(await copy(clean('gd', m).filter(kept), clean('hk', m)));
    expect(truncated.status).toBe(1);
    const missing = truncated.report.verification.failures as { reason: string; topic: string; partition: number }[];
    expect(missing.length).toBeGreaterThan(0);
    expect(missing.every((failure) => failure.reason === 'head_missing' && failure.topic === topicFor('gd', m) && failure.partition === target.partition), JSON.stringify(missing)).toBe(true);
    expect(truncated.report.verification.checkpoints.heads.missing).toBe(missing.length);
  }, 240_000);

  it('a restarted side service goes on with its checkpoint chain, and only once the other side\'s heads move', async () => {
    const before = checkpointsIn((await cosignedNow()).gd).at(-1)?.value as Checkpoint;
    await ctx.system.processes.get('gd-service')?.stop();
    await ctx.system.start('gd-service');
    // hk has not written since: nothing new to cosign.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(checkpointsIn(await readSide('gd')).at(-1)?.value).toEqual(before);
    await traffic('hk', 'Highways');
    const after = checkpointsIn((await cosignedNow()).gd);
    const next = after.find((record) => (record.value as Checkpoint).sequence === before.sequence + 1)?.value as Checkpoint | undefined;
    expect(next).toMatchObject({ sequence: before.sequence + 1, prevHash: before.hash });
    const run = await audit(ctx.infra.prefix);
    expect(run.status, run.stderr).toBe(0);
    expect(run.report.verification.checkpoints.latestCosigned.hk[0]).toMatchObject({ cosignedBy: 'gd', checkpointSequence: (after.at(-1)?.value as Checkpoint).sequence });
  }, 120_000);

  it('the projection passes over checkpoints: its joint view is the audit\'s', async () => {
    await ctx.system.start('projection');
    await ctx.system.start('joint-api');
    // Events after checkpoints on both sides' partition 0, and checkpoints after them.
    await traffic('gd', 'Transport');
    await cosignedNow();
    await traffic('hk', 'Transport');
    const logs = await cosignedNow();
    expect(checkpointsIn(logs.hk).some((checkpoint) => logs.hk.some((record) => record.partition === 0 && record.offset > checkpoint.offset && (record.value as Json).kind === undefined))).toBe(true);
    const run = await audit(ctx.infra.prefix);
    expect(run.status, run.stderr).toBe(0);
    const auditor = await ctx.system.token('joint', 'auditor');
    await expect
      .poll(async () => (await call(`${ctx.system.url('joint-api')}/v1/digest`, { token: auditor })).body?.digest, { timeout: 30_000, interval: 200 })
      .toBe(run.report.digest);
  }, 120_000);
});
