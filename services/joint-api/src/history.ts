import { HttpProblem } from '@gdhk/http';
import type { JointReadModel } from '@gdhk/readmodel';

/** An event of an item's history, with the keys of the contract's cross-side order. */
export interface HistoryEntry {
  readonly occurredAt: string;
  readonly side: string;
  readonly eventId: string;
  readonly event: Record<string, unknown>;
}

/** (occurredAt, side, eventId): the contract's order of two events from different sides. */
export function compareHistory(a: Pick<HistoryEntry, 'occurredAt' | 'side' | 'eventId'>, b: Pick<HistoryEntry, 'occurredAt' | 'side' | 'eventId'>): number {
  return compareText(a.occurredAt, b.occurredAt) || compareText(a.side, b.side) || compareText(a.eventId, b.eventId);
}

function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

export function encodeHistoryCursor(entry: Pick<HistoryEntry, 'occurredAt' | 'side' | 'eventId'>): string {
  return Buffer.from(JSON.stringify([entry.occurredAt, entry.side, entry.eventId])).toString('base64url');
}

export function decodeHistoryCursor(text: string): Pick<HistoryEntry, 'occurredAt' | 'side' | 'eventId'> {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 3 && decoded.every((part) => typeof part === 'string')) {
      const [occurredAt, side, eventId] = decoded as [string, string, string];
      return { occurredAt, side, eventId };
    }
  } catch {
    // reported below
  }
  throw new HttpProblem(400, 'GDHK_INVALID_CURSOR', 'Bad Request', 'the history cursor is not one this API issued');
}

const SCAN = 1000;

/**
 * Every verified event of one item, both sides, in the cross-side order. The read model keeps
 * no per-item index of events, so this scans the combined feed: fine for a plan of 74 items,
 * and the place to add an index when the feed grows large.
 */
export async function itemHistory(readModel: JointReadModel, itemId: string): Promise<HistoryEntry[]> {
  const entries: HistoryEntry[] = [];
  let after = '';
  for (;;) {
    const { rows } = await readModel.feed(after, SCAN);
    for (const row of rows) {
      after = row.id;
      const event = JSON.parse(row.event) as Record<string, unknown>;
      if (event.itemId !== itemId) continue;
      entries.push({ occurredAt: String(event.occurredAt), side: String(event.side), eventId: String(event.eventId), event });
    }
    if (rows.length < SCAN) break;
  }
  return entries.sort(compareHistory);
}
