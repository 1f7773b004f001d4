import type { ServerResponse } from 'node:http';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { encodeCursor, readFeed, type FeedCursor } from './feed.ts';
import type { JointReadModel } from '@gdhk/readmodel';

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
  private readonly logger: Logger;

  constructor(blocking: Redis, readModel: JointReadModel, logger: Logger) {
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

/** What an event stream needs of the tail: a wake-up counter and a way to wait on it. */
export type FeedWaiter = Pick<FeedTail, 'version' | 'wait'>;

export interface StreamOptions {
  readonly keepAliveMs: number;
  /** A client that does not take what was written within this time is disconnected; it resumes with Last-Event-ID. */
  readonly drainTimeoutMs: number;
  readonly pageSize: number;
}

/**
 * Writes the feed after `from` as Server-Sent Events until the client goes or the served build
 * changes (the client then reconnects with Last-Event-ID and resumes exactly after it). Each page
 * is read only once the previous one has been taken by the socket: a slow client slows its own
 * stream and holds at most one page in memory.
 */
export async function streamFeed(
  response: ServerResponse,
  from: FeedCursor,
  deps: { readModel: JointReadModel; tail: FeedWaiter; options: StreamOptions; logger: Pick<Logger, 'info'> },
): Promise<void> {
  const { readModel, tail, options } = deps;
  let open = true;
  response.on('close', () => {
    open = false;
  });
  const drained = () =>
    new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => finish(false), options.drainTimeoutMs);
      const finish = (ok: boolean) => {
        clearTimeout(timer);
        response.off('drain', onDrain);
        response.off('close', onClose);
        resolve(ok);
      };
      const onDrain = () => finish(true);
      const onClose = () => finish(false);
      response.on('drain', onDrain);
      response.on('close', onClose);
    });

  let cursor = from;
  let build: string | undefined;
  let idleSince = Date.now();
  while (open) {
    const seen = tail.version;
    let page;
    try {
      page = await readFeed(readModel, cursor, options.pageSize);
    } catch {
      break;
    }
    const served = `${page.served.generation}/${page.served.buildId}`;
    // A rebuild replaced what this stream was reading: end it, the client resumes by its cursor.
    if (build !== undefined && served !== build) break;
    build = served;
    cursor = page.next;
    let text = '';
    for (const entry of page.entries) text += `id: ${entry.cursor}\ndata: {"cursor":"${entry.cursor}","event":${entry.event}}\n\n`;
    if (text === '' && Date.now() - idleSince >= options.keepAliveMs) text = ': keep-alive\n\n';
    if (text !== '') {
      idleSince = Date.now();
      if (!response.write(text) && !(await drained())) {
        deps.logger.info({ cursor: encodeCursor(cursor) }, 'event stream client too slow; disconnected');
        break;
      }
    }
    if (page.entries.length < options.pageSize) await tail.wait(Math.max(10, options.keepAliveMs - (Date.now() - idleSince)), seen);
  }
  response.end();
}
