import pino from 'pino';
import { describe, expect, it } from 'vitest';
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
});
