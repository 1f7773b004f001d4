import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { readModelKeys, type BuildInfo } from '@gdhk/readmodel';
import { BuildLifecycle, type BuildDeps } from '../src/build.ts';

const keys = readModelKeys('t');
const gd = 't.gd.events';

/** The build's view of the store, in memory: one generation's meta and applied offsets. */
function harness(stored: { build: BuildInfo | null; offsets: Record<string, string> }, log: Record<string, string>, ends: Record<string, string>) {
  const resets: string[] = [];
  let builds = 0;
  const store: BuildDeps['store'] = {
    keys: keys.generation('v1'),
    beginBuild: async (candidate, replacing = '') => {
      if (stored.build === null || stored.build.buildId === replacing) {
        builds += 1;
        stored.build = { buildId: candidate.buildId, state: 'building', targets: candidate.targets, log: candidate.log };
        stored.offsets = {};
      }
      return stored.build;
    },
    buildId: async () => stored.build?.buildId ?? null,
    hasOffsets: async () => Object.keys(stored.offsets).length > 0,
    offsets: async () => new Map(Object.entries(stored.offsets)),
    promote: async () => 'building',
  };
  const lifecycle = new BuildLifecycle({
    store,
    keys,
    switchMode: 'claim',
    logger: pino({ level: 'silent' }),
    now: () => '2025-01-01T00:00:00Z',
    newBuildId: () => `build-${builds + 1}`,
    highWatermarks: async () => ends,
    logIdentity: async () => ({ ...log }),
    onLogReset: (reason) => resets.push(reason),
  });
  return { lifecycle, resets, stored, builds: () => builds };
}

describe('the build lifecycle', () => {
  it('joins the build that reflects this log', async () => {
    const { lifecycle, resets } = harness({ build: { buildId: 'b-0', state: 'live', targets: {}, log: { [gd]: 'id-1' } }, offsets: { [`${gd}/0`]: '5' } }, { [gd]: 'id-1' }, { [`${gd}/0`]: '7' });
    await lifecycle.join();
    expect(lifecycle.current?.buildId).toBe('b-0');
    expect(resets).toEqual([]);
  });

  it.each([
    ['another topic id', { [gd]: 'id-1' }, { [gd]: 'id-2' }, { [`${gd}/0`]: '7' }, /topic t\.gd\.events is another log now \(topic id id-2, the read model reflects id-1\)/],
    ['a partition ending below an applied offset', { [gd]: 'id-1' }, { [gd]: 'id-1' }, { [`${gd}/0`]: '3' }, /t\.gd\.events\/0 ends at 3, below the read model's offset 5/],
    ['no recorded log', null, { [gd]: 'id-1' }, { [`${gd}/0`]: '7' }, /predates log identities/],
  ])('starts a fresh build on joining when the side topics are another log: %s', async (_case, recorded, log, ends, reason) => {
    const { lifecycle, resets } = harness({ build: { buildId: 'b-0', state: 'live', targets: {}, log: recorded }, offsets: { [`${gd}/0`]: '5' } }, log, ends);
    await lifecycle.join();
    expect(lifecycle.current).toMatchObject({ buildId: 'build-1', state: 'building', log });
    expect(resets).toEqual([expect.stringMatching(reason)]);
  });

  it('on its check, starts over when the topics were created again (looked at every few seconds) or Redis lost the build', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const log = { [gd]: 'id-1' };
      const { lifecycle, resets, stored } = harness({ build: null, offsets: {} }, log, { [`${gd}/0`]: '9' });
      await lifecycle.join();
      stored.offsets = { [`${gd}/0`]: '2' };
      expect(await lifecycle.check(() => true)).toBe(false);
      log[gd] = 'id-2';
      expect(await lifecycle.check(() => true)).toBe(false);
      vi.advanceTimersByTime(5000);
      expect(await lifecycle.check(() => true)).toBe(true);
      expect(lifecycle.current).toMatchObject({ buildId: 'build-2', log: { [gd]: 'id-2' } });
      expect(resets).toEqual([expect.stringMatching(/topic id id-2, the read model reflects id-1/)]);
      stored.build = null;
      expect(await lifecycle.check(() => true)).toBe(true);
      expect(lifecycle.current?.buildId).toBe('build-3');
      expect(resets).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
