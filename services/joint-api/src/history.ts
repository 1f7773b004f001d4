import { ReadModelUnavailable, type JointReadModel } from '@gdhk/readmodel';
import { ItemId } from '@gdhk/domain';
import { z } from 'zod';
import { CursorError, type CursorSeal } from './cursor-seal.ts';

/** The keys of the contract's cross-side order. */
export interface HistoryKey {
  readonly occurredAt: string;
  readonly side: string;
  readonly eventId: string;
}

/** An event of an item's history, with the keys of the contract's cross-side order. */
export interface HistoryEntry extends HistoryKey {
  readonly event: Record<string, unknown>;
}

/** (occurredAt, side, eventId): the contract's order of two events from different sides. */
export function compareHistory(a: HistoryKey, b: HistoryKey): number {
  return compareText(a.occurredAt, b.occurredAt) || compareText(a.side, b.side) || compareText(a.eventId, b.eventId);
}

function compareText(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

const historyCursorSchema = z.tuple([z.literal('history'), ItemId, z.string(), z.string(), z.string()]);

export function encodeHistoryCursor(seal: CursorSeal, itemId: string, key: HistoryKey): string {
  return seal.seal(['history', itemId, key.occurredAt, key.side, key.eventId]);
}

/** The position a history cursor names; it must be one issued for `itemId`. */
export function decodeHistoryCursor(seal: CursorSeal, text: string, itemId: string): HistoryKey {
  const [, issuedFor, occurredAt, side, eventId] = seal.open(text, historyCursorSchema, 'history');
  if (issuedFor !== itemId) throw new CursorError('invalid', `the history cursor belongs to item ${issuedFor}, not ${itemId}`);
  return { occurredAt, side, eventId };
}

const feedEvent = z.looseObject({ itemId: z.string(), occurredAt: z.string(), side: z.string(), eventId: z.string() });

const CHUNK = 1000;

/**
 * The item's verified events, both sides, in the cross-side order, from the newest `scanRows`
 * rows of the combined feed (the read model keeps no per-item index of events). `complete` is
 * false when the feed holds older rows than that, or its retention trimmed some: the audit's
 * replay then gives the whole history.
 */
export async function itemHistory(readModel: JointReadModel, itemId: string, scanRows: number): Promise<{ entries: HistoryEntry[]; complete: boolean }> {
  const entries: HistoryEntry[] = [];
  let before = '';
  let scanned = 0;
  let build: string | undefined;
  for (;;) {
    const count = Math.min(CHUNK, scanRows - scanned);
    const { served, rows, older, trimmed } = await readModel.feedBefore(before, count);
    const current = `${served.generation}/${served.buildId}`;
    // A rebuild between two reads: what was collected belongs to another feed.
    if (build !== undefined && build !== current) throw new ReadModelUnavailable('GDHK_READ_MODEL_REBUILDING', 'the read model was rebuilt while the history was read; retry shortly');
    build = current;
    scanned += rows.length;
    for (const row of rows) {
      before = row.id;
      const parsed = feedEvent.safeParse(JSON.parse(row.event));
      if (!parsed.success || parsed.data.itemId !== itemId) continue;
      const { occurredAt, side, eventId } = parsed.data;
      entries.push({ occurredAt, side, eventId, event: parsed.data });
    }
    if (!older) return { entries: entries.sort(compareHistory), complete: !trimmed };
    if (scanned >= scanRows) return { entries: entries.sort(compareHistory), complete: false };
  }
}
