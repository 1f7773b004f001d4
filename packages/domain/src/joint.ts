import { agreedTargetDate, resolveDecisions } from './decisions.ts';
import type { DecisionView } from './decisions.ts';
import { DomainError } from './errors.ts';
import type { Side, SideStatus } from './events.ts';
import type { SideItemState } from './side.ts';
import { compareDates, hongKongDate } from './time.ts';

export const JOINT_STATUSES = ['not_started', 'in_progress', 'blocked', 'awaiting_decision', 'closed'] as const;
export type JointStatus = (typeof JOINT_STATUSES)[number];

/** One side's part of a joint item. */
export interface SidePart {
  side: Side;
  /** `not_started` until the side reports */
  status: SideStatus;
  progress: number;
  summary: string | null;
  nextSteps: string | null;
  blockers: string | null;
  targetDate: string | null;
  reportedAt: string | null;
  /** sorted by code unit */
  departments: string[];
  streamVersion: number;
  lastOccurredAt: string | null;
}

/**
 * The combined view of one item: a pure function of the two side streams, and plain JSON
 * (no undefined, no Map or Set, every array in a deterministic order) so it can be hashed
 * canonically (RFC 8785) as it is.
 */
export interface JointItem {
  itemId: string;
  status: JointStatus;
  /** the latest effective extend_deadline's date, else the later side-reported date */
  targetDate: string | null;
  targetDateSource: 'extend_deadline' | 'side_reports' | null;
  /** an escalate took effect and the item has not been closed since */
  escalated: boolean;
  sides: { gd: SidePart; hk: SidePart };
  /** every decision on the item, in the cross-side order of their proposals */
  decisions: DecisionView[];
}

export interface JointView {
  /** sorted by itemId */
  items: JointItem[];
}

function sidePartOf(state: SideItemState): SidePart {
  const report = state.report;
  return {
    side: state.side,
    status: report?.status ?? 'not_started',
    progress: report?.progress ?? 0,
    summary: report?.summary ?? null,
    nextSteps: report?.nextSteps ?? null,
    blockers: report?.blockers ?? null,
    targetDate: report?.targetDate ?? null,
    reportedAt: report?.reportedAt ?? null,
    departments: [...state.departments],
    streamVersion: state.streamVersion,
    lastOccurredAt: state.lastOccurredAt,
  };
}

/** Precedence, first match wins: closed, awaiting_decision, blocked, not_started, in_progress. */
export function jointStatusOf(closed: boolean, decisions: readonly DecisionView[], gd: SideStatus, hk: SideStatus): JointStatus {
  if (closed) return 'closed';
  if (decisions.some((decision) => decision.kind === 'close_item' && decision.state === 'open')) return 'awaiting_decision';
  if (gd === 'blocked' || hk === 'blocked') return 'blocked';
  if (gd === 'not_started' && hk === 'not_started') return 'not_started';
  return 'in_progress';
}

export function joint(gd: SideItemState, hk: SideItemState): JointItem {
  if (gd.side !== 'gd' || hk.side !== 'hk' || gd.itemId !== hk.itemId) {
    throw new DomainError('GDHK_CONTEXT_MISMATCH', `joint() takes gd and hk of one item, got ${gd.side}/${gd.itemId} and ${hk.side}/${hk.itemId}`);
  }
  const ledger = resolveDecisions(gd, hk);
  const gdPart = sidePartOf(gd);
  const hkPart = sidePartOf(hk);
  const { targetDate, source } = agreedTargetDate(ledger, gd.report, hk.report);
  return {
    itemId: gd.itemId,
    status: jointStatusOf(ledger.closed, ledger.decisions, gdPart.status, hkPart.status),
    targetDate,
    targetDateSource: source,
    escalated: ledger.escalated,
    sides: { gd: gdPart, hk: hkPart },
    decisions: ledger.decisions,
  };
}

/** The whole joint view in canonical order; an item may appear once. */
export function jointView(items: Iterable<JointItem>): JointView {
  const sorted = [...items].sort((a, b) => (a.itemId === b.itemId ? 0 : a.itemId < b.itemId ? -1 : 1));
  sorted.forEach((item, index) => {
    if (index > 0 && sorted[index - 1]?.itemId === item.itemId) {
      throw new DomainError('GDHK_CONTEXT_MISMATCH', `item ${item.itemId} appears twice in the joint view`);
    }
  });
  return { items: sorted };
}

/** The target date has passed in Asia/Hong_Kong: the deadline is the end of that day there. */
export function isOverdue(item: JointItem, nowIso: string): boolean {
  if (item.status === 'closed' || item.targetDate === null) return false;
  return compareDates(hongKongDate(nowIso), item.targetDate) > 0;
}
