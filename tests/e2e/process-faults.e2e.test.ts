import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, countWrites, startCountedLoad, startSystem, testInfra, type ProcessName, type TestSystem } from '@gdhk/tests/support';
import type { WriteRecord } from '../support/load.ts';

// Processes killed or frozen in the middle of their work, on the run's single broker, under
// steady load from both sides; every write the load made is counted against the log and the
// joint feed (tests/support/load.ts).
describe('processes killed mid-flight under load', () => {
  const infra = testInfra('process-faults');
  let system: TestSystem;
  let secretariat: string;
  const items = Array.from({ length: 24 }, (_, i) => `2019-${String(i + 41).padStart(2, '0')}`);

  beforeAll(async () => {
    await infra.createTopics(3);
    system = await startSystem(infra, ['gd-service', 'hk-service', 'projection', 'joint-api']);
    secretariat = await system.token('joint', 'secretariat');
  }, 180_000);
  afterAll(async () => {
    await system?.stop();
    await infra.cleanup();
  });

  const startLoad = (label: string) => startCountedLoad(system, label, items);

  const pid = (name: ProcessName): number => {
    const running = system.processes.get(name)?.child.pid;
    if (running === undefined) throw new Error(`${name} is not running`);
    return running;
  };

  /** Every acknowledged write once in the log and in the feed; every answered refusal absent; the feed exactly the log. */
  async function expectExactlyOnce(records: readonly WriteRecord[]) {
    const { violations, log, feed } = await countWrites(infra, system, secretariat, records);
    expect(violations.slice(0, 20), `${violations.length} violations`).toEqual([]);
    expect(feed.length).toBe(log.length);
  }

  it('gd-service SIGKILLed with writes in flight, then restarted: committed = acknowledged', { timeout: 240_000 }, async () => {
    const load = startLoad('sigkill');
    await load.acknowledgedMore(100);
    await system.processes.get('gd-service')?.stop('SIGKILL');
    await load.acknowledgedMore(30);
    await system.start('gd-service');
    await load.acknowledgedMore(100, 90_000);
    const records = await load.stop();
    const cut = records.filter((record) => record.side === 'gd' && record.attempts.some((attempt) => attempt.status === 'no-answer'));
    expect(cut.length, 'the kill hit no write in flight').toBeGreaterThan(0);
    await expectExactlyOnce(records);
  });

  it('gd-service frozen (SIGSTOP) past its transaction timeout, resumed (SIGCONT), then restarted: committed = acknowledged', { timeout: 300_000 }, async () => {
    const load = startLoad('sigstop');
    await load.acknowledgedMore(100);
    const frozen = pid('gd-service');
    process.kill(frozen, 'SIGSTOP');
    try {
      const stoppedAt = Date.now();
      await load.acknowledgedMore(30);
      // The writer's transaction timeout is 30 s: the broker aborts the open transaction meanwhile.
      await expect.poll(() => Date.now() - stoppedAt, { timeout: 60_000, interval: 500 }).toBeGreaterThan(35_000);
    } finally {
      process.kill(frozen, 'SIGCONT');
    }
    await load.acknowledgedMore(50, 90_000);
    await system.processes.get('gd-service')?.stop();
    await system.start('gd-service');
    await load.acknowledgedMore(50, 90_000);
    await expectExactlyOnce(await load.stop());
  });

  it('projection SIGKILLed under continuous writes: reads are 503 or a whole view that only moves forward; the feed ends equal to the log', { timeout: 240_000 }, async () => {
    const load = startLoad('projection');
    await load.acknowledgedMore(100);
    const reads: { status: number; total?: number; offsets?: Record<string, number> }[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const summary = await call(`${system.url('joint-api')}/v1/summary`, { token: secretariat });
        const digest = await call(`${system.url('joint-api')}/v1/digest`, { token: secretariat });
        reads.push({ status: summary.status, total: summary.body?.total });
        reads.push({ status: digest.status, offsets: digest.body?.offsets });
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    await system.processes.get('projection')?.stop('SIGKILL');
    await load.acknowledgedMore(50);
    await system.start('projection');
    await load.acknowledgedMore(100, 90_000);
    const records = await load.stop();
    reading = false;
    await reader;
    await expectExactlyOnce(records);

    expect(reads.filter((read) => read.status !== 200 && read.status !== 503)).toEqual([]);
    expect(reads.filter((read) => read.status === 200 && read.total !== undefined && read.total !== 74)).toEqual([]);
    // A prefix of the log only grows: no partition's offset goes back between two answers.
    const digests = reads.filter((read) => read.status === 200 && read.offsets);
    digests.forEach((read, index) => {
      const previous = digests[index - 1]?.offsets ?? {};
      for (const [partition, offset] of Object.entries(read.offsets ?? {})) expect(offset, `${partition} went back`).toBeGreaterThanOrEqual(previous[partition] ?? 0);
    });
    expect(digests.length).toBeGreaterThan(10);
  });
});
