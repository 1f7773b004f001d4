import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LogGuard } from '../src/log-guard.ts';

describe('LogGuard', () => {
  it('says once, naming both ids, that a topic is another log; an unreachable cluster proves nothing', async () => {
    const answers: (Record<string, string> | Error)[] = [{ a: 'id-1', b: 'id-2' }, { a: 'id-1', b: 'id-2' }, new Error('no broker'), { a: 'id-1', b: 'id-9' }, { a: 'id-7', b: 'id-9' }];
    const replaced: string[] = [];
    const guard = new LogGuard({
      read: async () => {
        const answer = answers.shift();
        if (answer === undefined || answer instanceof Error) throw answer ?? new Error('no more answers');
        return answer;
      },
      logger: pino({ level: 'silent' }),
      intervalMs: 3_600_000,
      onReplaced: (why) => replaced.push(why),
    });
    await guard.start();
    await guard.check();
    await guard.check();
    expect(guard.replaced).toBeUndefined();
    await guard.check();
    expect(guard.replaced).toBe('topic b is another log now (topic id id-9; this process folded id-2)');
    await guard.check();
    expect(replaced).toEqual([guard.replaced]);
    guard.stop();
  });

  describe('its checks, on fake timers', () => {
    beforeEach(() => vi.useFakeTimers());
    afterEach(() => vi.useRealTimers());
    const guardOn = (read: () => Promise<Record<string, string>>) => new LogGuard({ read, logger: pino({ level: 'silent' }), intervalMs: 1000, onReplaced: () => {} });

    it('starts each check an interval after the last one ended: a slow check is never overlapped, and none starts after stop', async () => {
      let reads = 0;
      let inFlight = 0;
      let mostInFlight = 0;
      const releases: (() => void)[] = [];
      const guard = guardOn(async () => {
        reads += 1;
        if (reads === 1) return { a: 'id-1' }; // the baseline, at start
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise<void>((resolve) => releases.push(resolve)); // a hung broker, until released
        inFlight -= 1;
        return { a: 'id-1' };
      });
      await guard.start();
      await vi.advanceTimersByTimeAsync(1000);
      expect(reads).toBe(2);
      // Ten intervals while the check hangs: no other check starts beside it.
      await vi.advanceTimersByTimeAsync(10_000);
      expect(reads).toBe(2);
      releases.shift()?.();
      await vi.advanceTimersByTimeAsync(0);
      // The next one an interval after it ended, not before.
      await vi.advanceTimersByTimeAsync(999);
      expect(reads).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      expect(reads).toBe(3);
      // Stopped while a check is under way: it ends, and nothing starts after it.
      guard.stop();
      releases.shift()?.();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(reads).toBe(3);
      expect(mostInFlight).toBe(1);
      expect(guard.replaced).toBeUndefined();
    });

    it('stop cancels the pending check', async () => {
      let reads = 0;
      const guard = guardOn(async () => {
        reads += 1;
        return { a: 'id-1' };
      });
      await guard.start();
      await vi.advanceTimersByTimeAsync(2000);
      expect(reads).toBe(3);
      guard.stop();
      await vi.advanceTimersByTimeAsync(10_000);
      expect(reads).toBe(3);
    });
  });
});
