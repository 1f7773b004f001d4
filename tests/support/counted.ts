import { waitFor } from '@gdhk/infra';
import { waitForCaughtUp } from './joint.ts';
import { countViolations, Load, outcomeSummary, readJointFeed, readSideLogs, type LoadOptions, type LoggedEvent, type Side, type WriteRecord } from './load.ts';
import { call, type ProcessName, type TestSystem } from './system.ts';
import type { TestInfra } from './index.ts';

// The load-and-count harness (load.ts) wired to a running TestSystem on the run's broker: the
// e2e fault tests start a load, do their damage, and count every write with one call.

/** Writers on both sides (users of their own, named by `label`), posting to the services' current URLs. */
export function startCountedLoad(system: TestSystem, label: string, items: readonly string[], writersPerSide = 3, retry: LoadOptions['retry'] = 'none'): Load {
  return Load.start({
    target: (side: Side) => system.url(side === 'gd' ? 'gd-service' : 'hk-service'),
    token: (side, writer) => system.token(side, 'coordinator', 'Development and Reform Commission', `${side}-${label}-${writer}`),
    userId: (side, writer) => `${side}-${label}-${writer}`,
    writersPerSide,
    items,
    requestTimeoutMs: 60_000,
    retry,
    retryForMs: 90_000,
  });
}

/** Every process ready with nothing to report: 200 and status "ok" (a halted stream is "degraded"). */
export async function everyProcessReady(system: TestSystem): Promise<void> {
  for (const name of [...system.processes.keys()] as ProcessName[]) {
    await waitFor(`${name} to be ready with no halted stream`, async () => {
      const { status, body } = await call(`${system.url(name)}/health/ready`);
      return status === 200 && body.status === 'ok';
    }, 60_000, 200).catch(async (error: unknown) => {
      const { status, body } = await call(`${system.url(name)}/health/ready`);
      throw new Error(`${(error as Error).message}: last answer ${status} ${JSON.stringify(body)}\n${system.processes.get(name)?.output().slice(-4000) ?? ''}`);
    });
  }
}

/**
 * Waits for every process to be ready and the read model to catch up, then reads the log (to its
 * high watermarks, so a commit whose markers are still landing is waited for) and the joint feed
 * to their ends. Returns every way they disagree with
 * what the writers were told (empty when exactly once holds), with what was read.
 */
export async function countWrites(
  infra: Pick<TestInfra, 'brokers' | 'prefix' | 'redisUrl'>,
  system: TestSystem,
  secretariat: string,
  records: readonly WriteRecord[],
): Promise<{ violations: string[]; log: LoggedEvent[]; feed: { cursor: string; eventId: string }[] }> {
  console.info(`[counted] outcomes: ${JSON.stringify(outcomeSummary(records))}`);
  await everyProcessReady(system);
  // The log only grows and the feed only follows it, so a disagreement that a second look removes
  // was a moment, not a violation: a commit of a write whose client gave up can land between the
  // two reads, and a broker just resumed can answer a short end for a moment. A violation that
  // stays through three looks is returned.
  let counted: { violations: string[]; log: LoggedEvent[]; feed: { cursor: string; eventId: string }[] } | undefined;
  for (let look = 1; look <= 3; look++) {
    await waitForCaughtUp(infra, 'v1', 90_000);
    const log = await readSideLogs(infra.brokers, infra.prefix);
    const feed = await readJointFeed(system.url('joint-api'), secretariat);
    counted = { violations: countViolations(records, log, feed, { refusalsWroteNothing: true }), log, feed };
    if (counted.violations.length === 0) break;
    console.info(`[counted] look ${look}: ${counted.violations.length} disagreements (${counted.violations[0] ?? ''})${look < 3 ? '; looking again' : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
  return counted!;
}
