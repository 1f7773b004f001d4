import { DomainError } from './errors.ts';
import { ItemId, Side } from './events.ts';
import type { Actor, DecisionKind, ItemEvent, SideStatus } from './events.ts';
import { compareInstants } from './time.ts';

/**
 * Where an event sits in the cross-side total order (see `compareEventOrder`). `at` is the
 * latest `occurredAt` of the stream up to and including the event, so a side's clock stepping
 * back can never reorder that side's own stream.
 */
export interface EventPosition {
  at: string;
  side: Side;
  streamVersion: number;
  eventId: string;
}

const SIDE_RANK: Record<Side, number> = { gd: 0, hk: 1 };

/**
 * The total order over events of both sides of an item: instants first, then 'gd' before
 * 'hk'. The contract's last key, eventId, only separates events of one side, where the stream
 * order (streamVersion) is authoritative; the two agree whenever a side mints v7 ids in order.
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
  /** the latest occurredAt seen so far, the clock of this stream's order positions */
  orderAt: string | null;
  report: StatusReport | null;
  /** the latest report of `completed`, if that is the current status: only a reopen effective after it lets this side move */
  completedAt: EventPosition | null;
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
    orderAt: null,
    report: null,
    completedAt: null,
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
  const orderAt =
    state.orderAt === null || compareInstants(event.occurredAt, state.orderAt) > 0 ? event.occurredAt : state.orderAt;
  const position: EventPosition = { at: orderAt, side: event.side, streamVersion: event.streamVersion, eventId: event.eventId };
  const next: SideItemState = {
    ...state,
    streamVersion: event.streamVersion,
    lastEventId: event.eventId,
    lastOccurredAt: event.occurredAt,
    orderAt,
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
        completedAt: status === 'completed' ? position : null,
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
