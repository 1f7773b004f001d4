import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { topicNames } from '@gdhk/config';
import { recreateSideTopics, runAudit, SideWriter, startSystem, testInfra, type TestSystem } from '@gdhk/tests/support';

// The auditor's checkpoint names the log it describes (issue 11, "which log"): side topics deleted
// and created again under their names are another log, and a replay against the old checkpoint
// says so (other_log, both topic ids) instead of comparing another log's offsets and digest.
describe('an audit checkpoint of another log', () => {
  const infra = testInfra('audit-log-id');
  const topics = topicNames(infra.prefix);
  let system: TestSystem;
  let dir: string;

  beforeAll(async () => {
    await infra.createTopics(3);
    system = await startSystem(infra, []);
    dir = mkdtempSync(join(tmpdir(), 'gdhk-audit-checkpoint-'));
  });
  afterAll(async () => {
    await system?.stop();
    await infra.cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const report = (itemId: string, progress: number) => ({ itemId, type: 'item.status-reported', data: { status: 'in_progress', progress, summary: `at ${progress}` } });
  const write = async (events: ReturnType<typeof report>[]) => {
    const writer = new SideWriter(infra, system.keysDir);
    await writer.connect();
    await writer.write('gd', events);
    await writer.disconnect();
  };
  const audit = (args: string[] = []) => runAudit({ brokers: infra.brokers, prefix: infra.prefix, keysDir: system.keysDir, args });

  it('fails with other_log, naming both ids, and compares nothing', { timeout: 120_000 }, async () => {
    await write([report('2019-01', 10), report('2019-01', 20), report('2019-02', 30), report('2019-03', 40)]);
    const first = await audit();
    expect(first.status, first.stderr).toBe(0);
    const before: Record<string, string> = first.report.log;
    expect(Object.keys(before).sort()).toEqual([topics.side.gd, topics.side.hk].sort());
    const checkpoint = join(dir, 'checkpoint.json');
    writeFileSync(checkpoint, first.stdout);
    // The same log: the checkpoint is compared and holds.
    const again = await audit(['--checkpoint', checkpoint]);
    expect(again.status, again.stderr).toBe(0);
    expect(again.report.verification.checkpoint).toMatchObject({ log: 'same' });

    // The side topics are deleted and created again under the same names, with a shorter history.
    await recreateSideTopics(infra);
    await write([report('2019-01', 5)]);

    const run = await audit(['--checkpoint', checkpoint]);
    expect(run.status, run.stderr).toBe(1);
    const after: Record<string, string> = run.report.log;
    for (const topic of [topics.side.gd, topics.side.hk]) expect(after[topic]).not.toBe(before[topic]);
    const { failures, checkpoint: check } = run.report.verification;
    // Never a mix: no truncated or checkpoint_mismatch from comparing another log's offsets and digest.
    expect(failures.map((failure: { reason: string }) => failure.reason)).toEqual(['other_log', 'other_log']);
    for (const topic of [topics.side.gd, topics.side.hk]) {
      const failure = failures.find((candidate: { topic: string }) => candidate.topic === topic);
      expect(failure).toMatchObject({ partition: null, offset: null, stream: null });
      expect(failure.detail).toContain(after[topic]);
      expect(failure.detail).toContain(before[topic]);
    }
    expect(check).toMatchObject({ log: 'other', note: expect.stringContaining('not compared') });
    expect(run.stderr).toMatch(/FAILED.*other_log/);

    // A checkpoint from before reports recorded topic ids is still read, and compared as given, with a note.
    const { log: _log, ...withoutLog } = first.report;
    const old = join(dir, 'old-checkpoint.json');
    writeFileSync(old, JSON.stringify(withoutLog));
    const legacy = await audit(['--checkpoint', old]);
    expect(legacy.status).toBe(1);
    expect(legacy.report.verification.checkpoint).toMatchObject({ log: 'not_recorded', note: expect.stringContaining('does not record which log') });
    expect(legacy.report.verification.failures.map((failure: { reason: string }) => failure.reason)).toContain('truncated');
    expect(legacy.stderr).toMatch(/checkpoint: the checkpoint does not record which log/);
  });
});
