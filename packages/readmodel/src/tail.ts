import type { Redis } from 'ioredis';
import type { JointReadModel } from './reader.ts';

/** What the tail logs through (a pino logger fits). */
export interface TailLogger {
  warn(details: object, message: string): void;
}

/**
 * One blocking XREAD per joint-api process on the served feed; every open event stream waits
 * on it instead of polling Redis, so a new entry reaches all of them at once.
 */
export class FeedTail {
  private waiters = new Set<() => void>();
  private running = true;
  /** Counts wake-ups, so a reader that looked before waiting misses none. */
  version = 0;
  private readonly loop: Promise<void>;
  private readonly blocking: Redis;
  private readonly readModel: JointReadModel;
  private readonly logger: TailLogger;

  constructor(blocking: Redis, readModel: JointReadModel, logger: TailLogger) {
    this.blocking = blocking;
    this.readModel = readModel;
    this.logger = logger;
    this.loop = this.follow();
  }

  /** Resolves when the feed may have grown since `seen` (a `version`), or after `ms`. */
  wait(ms: number, seen: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.version !== seen) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private wake(): void {
    this.version++;
    for (const waiter of [...this.waiters]) waiter();
  }

  private async follow(): Promise<void> {
    let feedKey = '';
    let lastId = '$';
    while (this.running) {
      try {
        const keys = await this.readModel.generation();
        if (!keys) {
          await new Promise((resolve) => setTimeout(resolve, 200));
          continue;
        }
        if (keys.feed !== feedKey) {
          feedKey = keys.feed;
          const [newest] = await this.blocking.xrevrange(feedKey, '+', '-', 'COUNT', 1);
          lastId = newest?.[0] ?? '0-0';
          this.wake();
        }
        const result = await this.blocking.xread('COUNT', 1000, 'BLOCK', 1000, 'STREAMS', feedKey, lastId);
        const entries = result?.[0]?.[1];
        const newest = entries?.at(-1);
        if (newest) {
          lastId = newest[0];
          this.wake();
        }
      } catch (error) {
        if (!this.running) return;
        this.logger.warn({ err: error }, 'feed tail failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  }

  async close(): Promise<void> {
    this.running = false;
    this.blocking.disconnect();
    this.wake();
    await this.loop;
  }
}
