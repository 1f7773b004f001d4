import { parseFeedSource } from '@gdhk/readmodel';
import type { FeedBounds, JointReadModel, Served } from '@gdhk/readmodel';
import { z } from 'zod';
import { CursorError, type CursorSeal } from './cursor-seal.ts';

/**
 * A feed position: the stream id it was read at, in which build, and for every side-topic
 * partition the offset after the last event delivered from it. Within one build the stream id
 * is enough; after a rebuild (new stream ids, and another interleaving of the partitions) the
 * offsets still say exactly which events were delivered, so a reader resumes without loss or
 * repetition whatever happened to Redis.
 */
export interface FeedCursor {
  readonly generation: string;
  readonly buildId: string;
  /** '' before the first entry */
  readonly streamId: string;
  readonly delivered: Readonly<Record<string, string>>;
}

export const START: FeedCursor = { generation: '', buildId: '', streamId: '', delivered: {} };

/** What a client that lost its place does: the 410's advice. */
export const REPLAY_ADVICE = 'read the feed again from its start (without `after` or Last-Event-ID) and reload the views it feeds, or replay the whole log with `npm run audit -- replay`';

const feedCursorSchema = z.tuple([
  z.literal('feed'),
  z.string(),
  z.string(),
  z.string().regex(/^(\d+-\d+)?$/, 'not a feed stream id'),
  z
    .record(z.string(), z.string().regex(/^\d+$/, 'not an offset'))
    .refine((delivered) => Object.keys(delivered).every((partition) => /^(gd|hk)\/\d+$/.test(partition)), 'names a key that is not a side-topic partition (gd/<n> or hk/<n>)'),
]);

export function encodeCursor(seal: CursorSeal, cursor: FeedCursor): string {
  return seal.seal(['feed', cursor.generation, cursor.buildId, cursor.streamId, cursor.delivered]);
}

export function decodeCursor(seal: CursorSeal, text: string): FeedCursor {
  const [, generation, buildId, streamId, delivered] = seal.open(text, feedCursorSchema, 'feed');
  return { generation, buildId, streamId, delivered };
}

/**
 * Checks a signed cursor against the served read model: every partition it names is one of the
 * build's, none is past what was applied, its position is within the feed (400 otherwise), and
 * no entry it has not delivered was trimmed by the feed's retention (410, saying how to replay).
 */
export function checkCursor(cursor: FeedCursor, bounds: FeedBounds): void {
  const sameBuild = cursor.generation === bounds.served.generation && cursor.buildId === bounds.served.buildId;
  for (const [partition, offset] of Object.entries(cursor.delivered)) {
    const applied = bounds.applied.get(partition);
    if (applied === undefined) throw new CursorError('invalid', `the feed cursor names partition ${partition}, which the feed does not have`);
    if (BigInt(offset) <= applied) continue;
    // Within the build it was issued in this cannot happen; after a rebuild it means another log.
    if (sameBuild) throw new CursorError('invalid', `the feed cursor is past what was applied: ${partition} delivered up to offset ${offset}, applied up to ${applied}`);
    throw new CursorError('gone', `the feed cursor was issued on another event log (${partition} delivered up to offset ${offset}, this log holds up to ${applied}): ${REPLAY_ADVICE}`);
  }
  if (sameBuild && cursor.streamId !== '' && compareStreamIds(cursor.streamId, bounds.lastId) > 0) {
    throw new CursorError('invalid', `the feed cursor's position ${cursor.streamId} is past the end of the feed (${bounds.lastId || 'empty'})`);
  }
  for (const [partition, trimmedTo] of bounds.trimmed) {
    const delivered = BigInt(cursor.delivered[partition] ?? '0');
    if (trimmedTo > delivered) {
      throw new CursorError('gone', `entries after this cursor are no longer kept (the feed's retention removed ${partition} up to offset ${trimmedTo - 1n}, the cursor delivered up to ${delivered}): ${REPLAY_ADVICE}`);
    }
  }
}

/** Redis stream ids `<ms>-<seq>` in their order ('' before every id). */
export function compareStreamIds(a: string, b: string): number {
  const [aMs = -1n, aSeq = 0n] = a === '' ? [] : a.split('-').map(BigInt);
  const [bMs = -1n, bSeq = 0n] = b === '' ? [] : b.split('-').map(BigInt);
  return aMs !== bMs ? (aMs < bMs ? -1 : 1) : aSeq === bSeq ? 0 : aSeq < bSeq ? -1 : 1;
}

export interface FeedPage {
  readonly entries: { cursor: FeedCursor; event: string }[];
  /** where the next read starts: after the last entry, or after what was scanned */
  readonly next: FeedCursor;
  readonly served: Served;
  /** the scan reached the feed's end (false: it stopped at its bound or at `limit`) */
  readonly atEnd: boolean;
}

const CHUNK = 500;

/**
 * Up to `limit` entries after `cursor`, in the feed's order, reading at most `scanRows` rows:
 * a page that skips entries already delivered before a rebuild can end short (even empty) of
 * the feed's end, and `next` then resumes after what was scanned.
 */
export async function readFeed(readModel: JointReadModel, cursor: FeedCursor, limit: number, scanRows: number): Promise<FeedPage> {
  const delivered: Record<string, string> = { ...cursor.delivered };
  const entries: { cursor: FeedCursor; event: string }[] = [];
  let served: Served | undefined;
  let streamId = cursor.streamId;
  let last: FeedCursor | undefined;
  let scanned = 0;
  let atEnd = false;
  while (scanned < scanRows) {
    const count = Math.min(Math.max(CHUNK, limit), scanRows - scanned);
    const page = await readModel.feed(streamId, count);
    scanned += page.rows.length;
    if (!served) {
      served = page.served;
      // Another build: its stream ids mean nothing here, only the delivered offsets do.
      if ((served.buildId !== cursor.buildId || served.generation !== cursor.generation) && streamId !== '') {
        streamId = '';
        continue;
      }
    } else if (page.served.buildId !== served.buildId || page.served.generation !== served.generation) {
      break;
    }
    for (const row of page.rows) {
      streamId = row.id;
      const source = parseFeedSource(row.source);
      const key = `${source.side}/${source.partition}`;
      if (source.offset < BigInt(delivered[key] ?? '0')) continue;
      delivered[key] = (source.offset + 1n).toString();
      last = { generation: served.generation, buildId: served.buildId, streamId: row.id, delivered: { ...delivered } };
      entries.push({ cursor: last, event: row.event });
      if (entries.length === limit) break;
    }
    if (entries.length === limit) break;
    if (page.rows.length < count) {
      atEnd = true;
      break;
    }
  }
  served ??= await readModel.assertLive();
  const next = entries.length === limit && last ? last : { generation: served.generation, buildId: served.buildId, streamId, delivered };
  return { entries, next, served, atEnd };
}
