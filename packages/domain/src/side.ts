import { DomainError } from './errors.ts';
import { ItemId, Side } from './events.ts';
import type { Actor, DecisionKind, ItemEvent, SideStatus } from './events.ts';
import { compareInstants } from './time.ts';

/** An event's place in the cross-side order, as its stream stamped it (see `compareEventOrder`). */
export interface EventPosition {
  /** occurredAt */
  at: string;
  side: Side;
  streamVersion: number;
  eventId: string;
}

const SIDE_RANK: Record<Side, number> = { gd: 0, hk: 1 };

/**
 * The contract's total order over the events of both sides of an item: (occurredAt as an
 * instant, side with 'gd' before 'hk', eventId). Across sides the side already breaks every
 * tie; within a side the stream order is authoritative, so streamVersion comes before eventId
 * (the two agree whenever a side mints v7 ids in order).
 */
export function compareEventOrder(a: EventPosition, b: EventPosition): number {
  return (
    compareInstants(a.at, b.at) ||
    SIDE_RANK[a.side] - SIDE_RANK[b.side] ||
    a.streamVersion - b.streamVersion ||
    (a.eventId === b.eventId ? 0 : a.eventId < b.eventId ? -1 : 1)
  );
}

export interface StatusReport {
  status: SideStatus;
  progress: number;
  summary: string;
  nextSteps: string | null;
  blockers: string | null;
  targetDate: string | null;
  reportedAt: string;
  reportedBy: Actor;
}

interface DecisionFactBase {
  decisionId: string;
  position: EventPosition;
  occurredAt: string;
  actor: Actor;
}

/** A decision event of this side, as the cross-side resolution needs it. */
export type DecisionFact =
  | (DecisionFactBase & { type: 'decision.proposed'; kind: DecisionKind; rationale: string; targetDate: string | null })
  | (DecisionFactBase & { type: 'decision.approved' | 'decision.rejected'; comment: string | null })
  | (DecisionFactBase & { type: 'decision.withdrawn' });

/** What one side's stream for one item says, folded in that stream's order. Plain JSON. */
export interface SideItemState {
  side: Side;
  itemId: string;
  /** 0 before the first event */
  streamVersion: number;
  lastEventId: string | null;
  lastOccurredAt: string | null;
  report: StatusReport | null;
  /**
   * the stream version of the latest report of `completed`, while that is the status: the side
   * moves again only once it takes part (proposing or approving) in a reopen_item, later in
   * this stream, that is effective
   */
  completedInVersion: number | null;
  /** sorted by code unit */
  departments: string[];
  /** this side's decision events, in stream order */
  decisionLog: DecisionFact[];
}

export function initialSideState(side: Side, itemId: string): SideItemState {
  if (!Side.safeParse(side).success || !ItemId.safeParse(itemId).success) {
    throw new DomainError('GDHK_CONTEXT_MISMATCH', `no stream for side ${JSON.stringify(side)} and item ${JSON.stringify(itemId)}`);
  }
  return {
    side,
    itemId,
    streamVersion: 0,
    lastEventId: null,
    lastOccurredAt: null,
    report: null,
    completedInVersion: null,
    departments: [],
    decisionLog: [],
  };
}

function byCodeUnit(a: string, b: string): number {
  return a === b ? 0 : a < b ? -1 : 1;
}

/** Folds one event of this side's stream. Events must arrive in stream order, without gaps. */
export function evolveSide(state: SideItemState, event: ItemEvent): SideItemState {
  if (event.side !== state.side || event.itemId !== state.itemId || event.streamVersion !== state.streamVersion + 1) {
    throw new DomainError(
      'GDHK_EVENT_OUT_OF_ORDER',
      `${event.side}/${event.itemId} v${event.streamVersion} does not follow ${state.side}/${state.itemId} v${state.streamVersion}`,
    );
  }
  const position: EventPosition = { at: event.occurredAt, side: event.side, streamVersion: event.streamVersion, eventId: event.eventId };
  const next: SideItemState = {
    ...state,
    streamVersion: event.streamVersion,
    lastEventId: event.eventId,
    lastOccurredAt: event.occurredAt,
  };
  const factBase = (decisionId: string) => ({ decisionId, position, occurredAt: event.occurredAt, actor: event.actor });

  switch (event.type) {
    case 'item.status-reported': {
      const { status, progress, summary, nextSteps, blockers, targetDate } = event.data;
      return {
        ...next,
        report: {
          status,
          progress,
          summary,
          nextSteps: nextSteps ?? null,
          blockers: blockers ?? null,
          targetDate: targetDate ?? null,
          reportedAt: event.occurredAt,
          reportedBy: event.actor,
        },
        completedInVersion: status === 'completed' ? event.streamVersion : null,
      };
    }
    case 'item.department-assigned': {
      const departments = new Set(state.departments).add(event.data.department);
      return { ...next, departments: [...departments].sort(byCodeUnit) };
    }
    case 'item.department-unassigned':
      return { ...next, departments: state.departments.filter((department) => department !== event.data.department) };
    case 'decision.proposed': {
      const { decisionId, kind, rationale, targetDate } = event.data;
      const fact: DecisionFact = { ...factBase(decisionId), type: event.type, kind, rationale, targetDate: targetDate ?? null };
      return { ...next, decisionLog: [...state.decisionLog, fact] };
    }
    case 'decision.approved':
    case 'decision.rejected': {
      const fact: DecisionFact = { ...factBase(event.data.decisionId), type: event.type, comment: event.data.comment ?? null };
      return { ...next, decisionLog: [...state.decisionLog, fact] };
    }
    case 'decision.withdrawn': {
      const fact: DecisionFact = { ...factBase(event.data.decisionId), type: event.type };
      return { ...next, decisionLog: [...state.decisionLog, fact] };
    }
    // Continues the stream past a fork (the verified log judges it); the item itself is unchanged.
    case 'stream.repaired':
      return next;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}

export function foldSide(side: Side, itemId: string, events: Iterable<ItemEvent>): SideItemState {
  let state = initialSideState(side, itemId);
  for (const event of events) state = evolveSide(state, event);
  return state;
}
