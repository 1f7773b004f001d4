import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { CursorSeal } from './cursor-seal.ts';
import { encodeCursor, readFeed, type FeedCursor } from './feed.ts';
import type { FeedTail, JointReadModel } from '@gdhk/readmodel';

/** What an event stream needs of the tail: a wake-up counter and a way to wait on it. */
export type FeedWaiter = Pick<FeedTail, 'version' | 'wait'>;

export interface StreamOptions {
  readonly keepAliveMs: number;
  /** A client that does not take what was written within this time is disconnected; it resumes with Last-Event-ID. */
  readonly drainTimeoutMs: number;
  readonly pageSize: number;
  /** Most feed rows one page reads (GDHK_FEED_SCAN_ROWS). */
  readonly scanRows: number;
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
  deps: { readModel: JointReadModel; tail: FeedWaiter; seal: CursorSeal; options: StreamOptions; logger: Pick<Logger, 'info'> },
): Promise<void> {
  const { readModel, tail, seal, options } = deps;
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
      page = await readFeed(readModel, cursor, options.pageSize, options.scanRows);
    } catch {
      break;
    }
    const served = `${page.served.generation}/${page.served.buildId}`;
    // A rebuild replaced what this stream was reading: end it, the client resumes by its cursor.
    if (build !== undefined && served !== build) break;
    build = served;
    cursor = page.next;
    let text = '';
    for (const entry of page.entries) {
      const id = encodeCursor(seal, entry.cursor);
      text += `id: ${id}\ndata: {"cursor":"${id}","event":${entry.event}}\n\n`;
    }
    if (text === '' && Date.now() - idleSince >= options.keepAliveMs) text = ': keep-alive\n\n';
    if (text !== '') {
      idleSince = Date.now();
      if (!response.write(text) && !(await drained())) {
        deps.logger.info({ cursor: encodeCursor(seal, cursor) }, 'event stream client too slow; disconnected');
        break;
      }
    }
    if (page.atEnd) await tail.wait(Math.max(10, options.keepAliveMs - (Date.now() - idleSince)), seen);
  }
  response.end();
}
