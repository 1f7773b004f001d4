import { HttpProblem } from '@gdhk/http';
import { parseFeedSource } from '@gdhk/readmodel';
import type { JointReadModel, Served } from '@gdhk/readmodel';

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

export function encodeCursor(cursor: FeedCursor): string {
  return Buffer.from(JSON.stringify([1, cursor.generation, cursor.buildId, cursor.streamId, cursor.delivered])).toString('base64url');
}

export function decodeCursor(text: string): FeedCursor {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded[0] === 1 && decoded.length === 5) {
      const [, generation, buildId, streamId, delivered] = decoded as unknown[];
      if (typeof generation === 'string' && typeof buildId === 'string' && typeof streamId === 'string' && isOffsets(delivered)) {
        return { generation, buildId, streamId, delivered };
      }
    }
  } catch {
    // reported below
  }
  throw new HttpProblem(400, 'GDHK_INVALID_CURSOR', 'Bad Request', 'the feed cursor is not one this API issued');
}

function isOffsets(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((offset) => typeof offset === 'string' && /^\d+$/.test(offset));
}

export interface FeedPage {
  readonly entries: { cursor: string; event: string }[];
  /** where the next read starts: after the last entry, or after what was scanned */
  readonly next: FeedCursor;
  readonly served: Served;
}

const SCAN = 500;

/** Up to `limit` entries after `cursor`, in the feed's order. */
export async function readFeed(readModel: JointReadModel, cursor: FeedCursor, limit: number): Promise<FeedPage> {
  const delivered: Record<string, string> = { ...cursor.delivered };
  const entries: { cursor: string; event: string }[] = [];
  let served: Served | undefined;
  let streamId = cursor.streamId;
  let last: FeedCursor | undefined;
  const scan = Math.max(SCAN, limit);
  for (;;) {
    const page = await readModel.feed(streamId, scan);
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
      entries.push({ cursor: encodeCursor(last), event: row.event });
      if (entries.length === limit) break;
    }
    if (entries.length === limit || page.rows.length < scan) break;
  }
  const next = last ?? { generation: served.generation, buildId: served.buildId, streamId, delivered };
  return { entries, next, served };
}
