import { otherSide, SIDES } from './events.ts';
import type { Actor, DecisionKind, Side } from './events.ts';
import { compareEventOrder } from './side.ts';
import type { DecisionFact, EventPosition, SideItemState, StatusReport } from './side.ts';
import { compareDates } from './time.ts';

export const DECISION_STATES = ['open', 'effective', 'rejected', 'withdrawn'] as const;
export type DecisionState = (typeof DECISION_STATES)[number];

export interface DecisionAnswer {
  type: 'approved' | 'rejected' | 'withdrawn';
  side: Side;
  actor: Actor;
  occurredAt: string;
  eventId: string;
  streamVersion: number;
  comment: string | null;
  /**
   * false when the side may not give it, when the decision was already answered or superseded,
   * or, for a withdrawal, when the other side's answer overrode it
   */
  applied: boolean;
}

export type DecisionResolution =
  | {
      reason: 'approved' | 'rejected' | 'withdrawn';
      side: Side;
      actor: Actor;
      occurredAt: string;
      eventId: string;
      comment: string | null;
    }
  /** Another decision of the same kind was open when this one was proposed, in the cross-side order. */
  | { reason: 'superseded'; supersededBy: string };

export interface DecisionView {
  decisionId: string;
  itemId: string;
  kind: DecisionKind;
  state: DecisionState;
  proposedBy: Side;
  proposal: {
    actor: Actor;
    occurredAt: string;
    eventId: string;
    streamVersion: number;
    rationale: string;
    targetDate: string | null;
  };
  resolution: DecisionResolution | null;
  /** every answer naming the decision, in the cross-side order */
  answers: DecisionAnswer[];
}

/** The decisions of one item, resolved over both sides' streams in the cross-side order. */
export interface DecisionLedger {
  /** in the order of their proposals */
  decisions: DecisionView[];
  closed: boolean;
  /** of the latest effective extend_deadline */
  extendedTargetDate: string | null;
  /** an escalate took effect since the item was last closed */
  escalated: boolean;
}

const ANSWER_TYPES = {
  'decision.approved': 'approved',
  'decision.rejected': 'rejected',
  'decision.withdrawn': 'withdrawn',
} as const;
const STATE_AFTER = { approved: 'effective', rejected: 'rejected', withdrawn: 'withdrawn' } as const;

type AnswerFact = Exclude<DecisionFact, { type: 'decision.proposed' }>;

interface MergeCandidate {
  side: Side;
  fact: DecisionFact;
  /** the latest position among the event and everything it provably follows */
  key: EventPosition;
}

function later(a: EventPosition, b: EventPosition | null | undefined): EventPosition {
  return b !== null && b !== undefined && compareEventOrder(b, a) > 0 ? b : a;
}

/**
 * Merges the decision events of both sides in the contract's order (occurredAt, side,
 * eventId), except that no event goes before what it provably follows: the earlier events of
 * its own stream, and the proposal it answers. Clocks that disagree (a side's clock stepping
 * back, one side running behind the other) therefore cannot order an approval before its
 * proposal, or a proposal before the answer its own side gave earlier. With clocks that agree
 * with causality the merge is exactly the contract's order.
 */
function mergeInCausalOrder(logs: Record<Side, readonly DecisionFact[]>): DecisionFact[] {
  const firstProposal: Record<Side, Map<string, number>> = { gd: new Map(), hk: new Map() };
  for (const side of SIDES) {
    logs[side].forEach((fact, index) => {
      if (fact.type === 'decision.proposed' && !firstProposal[side].has(fact.decisionId)) firstProposal[side].set(fact.decisionId, index);
    });
  }
  const next: Record<Side, number> = { gd: 0, hk: 0 };
  const lastKey: Record<Side, EventPosition | null> = { gd: null, hk: null };
  const proposalKeys = new Map<string, EventPosition>();
  const merged: DecisionFact[] = [];

  const head = (side: Side, honourAnswers: boolean): MergeCandidate | null => {
    const fact = logs[side][next[side]];
    if (fact === undefined) return null;
    let key = later(fact.position, lastKey[side]);
    if (fact.type !== 'decision.proposed') {
      const other = otherSide(side);
      const proposedAt = firstProposal[other].get(fact.decisionId);
      if (honourAnswers && proposedAt !== undefined && proposedAt >= next[other]) return null;
      key = later(key, proposalKeys.get(fact.decisionId));
    }
    return { side, fact, key };
  };
  const byKey = (a: MergeCandidate, b: MergeCandidate) => compareEventOrder(a.key, b.key) || compareEventOrder(a.fact.position, b.fact.position);

  while (next.gd < logs.gd.length || next.hk < logs.hk.length) {
    let heads = SIDES.map((side) => head(side, true)).filter((candidate) => candidate !== null);
    // Both heads wait only when each answers a later proposal of the other: a cycle no real
    // history has. Fall back to the plain order rather than stall.
    if (heads.length === 0) heads = SIDES.map((side) => head(side, false)).filter((candidate) => candidate !== null);
    const chosen = heads.reduce((a, b) => (byKey(a, b) <= 0 ? a : b));
    merged.push(chosen.fact);
    lastKey[chosen.side] = chosen.key;
    next[chosen.side] += 1;
    if (chosen.fact.type === 'decision.proposed' && !proposalKeys.has(chosen.fact.decisionId)) {
      proposalKeys.set(chosen.fact.decisionId, chosen.key);
    }
  }
  return merged;
}

/**
 * Replays the decision events of both sides in the cross-side order, so the outcome never
 * depends on which side's events were consumed first:
 * - the other side's first answer (approval or rejection) settles the decision, even over a
 *   withdrawal the proposer's side wrote meanwhile: `decide` lets no side answer a decision it
 *   has seen withdrawn, nor withdraw one it has seen answered, so the two only meet when they
 *   crossed, and the answer is the one the other side may already have acted on;
 * - a withdrawal settles the decision as long as no answer comes;
 * - a proposal made while a decision of the same kind is open is superseded (rejected);
 * - close/reopen/extend/escalate take effect, in that order, where their approval lands.
 */
export function resolveDecisions(gd: SideItemState, hk: SideItemState): DecisionLedger {
  const views = new Map<string, DecisionView>();
  // Answers whose proposal is not (yet) in either stream: consumed before it, or orphans.
  const waiting = new Map<string, AnswerFact[]>();
  const ledger: DecisionLedger = { decisions: [], closed: false, extendedTargetDate: null, escalated: false };

  const takeEffect = (view: DecisionView): void => {
    switch (view.kind) {
      case 'close_item':
        ledger.closed = true;
        ledger.escalated = false;
        return;
      case 'reopen_item':
        ledger.closed = false;
        return;
      case 'extend_deadline':
        ledger.extendedTargetDate = view.proposal.targetDate;
        return;
      case 'escalate':
        ledger.escalated = true;
        return;
      default: {
        const _exhaustive: never = view.kind;
        return _exhaustive;
      }
    }
  };

  const answer = (view: DecisionView, fact: AnswerFact): void => {
    const type = ANSWER_TYPES[fact.type];
    const overridesWithdrawal = type !== 'withdrawn' && view.state === 'withdrawn';
    const mayGive = type === 'withdrawn' ? fact.position.side === view.proposedBy : fact.position.side !== view.proposedBy;
    const applied = mayGive && (view.state === 'open' || overridesWithdrawal);
    const comment = fact.type === 'decision.withdrawn' ? null : fact.comment;
    const { side, streamVersion, eventId } = fact.position;
    if (applied && overridesWithdrawal) {
      view.answers = view.answers.map((earlier) => (earlier.type === 'withdrawn' ? { ...earlier, applied: false } : earlier));
    }
    view.answers.push({ type, side, actor: fact.actor, occurredAt: fact.occurredAt, eventId, streamVersion, comment, applied });
    if (!applied) return;
    view.state = STATE_AFTER[type];
    view.resolution = { reason: type, side, actor: fact.actor, occurredAt: fact.occurredAt, eventId, comment };
    if (type === 'approved') takeEffect(view);
  };

  for (const fact of mergeInCausalOrder({ gd: gd.decisionLog, hk: hk.decisionLog })) {
    if (fact.type !== 'decision.proposed') {
      const view = views.get(fact.decisionId);
      if (view === undefined) waiting.set(fact.decisionId, [...(waiting.get(fact.decisionId) ?? []), fact]);
      else answer(view, fact);
      continue;
    }
    // A reused id names its first proposal only; decide never reuses one.
    if (views.has(fact.decisionId)) continue;
    const rival = ledger.decisions.find((view) => view.kind === fact.kind && view.state === 'open');
    const view: DecisionView = {
      decisionId: fact.decisionId,
      itemId: gd.itemId,
      kind: fact.kind,
      state: rival === undefined ? 'open' : 'rejected',
      proposedBy: fact.position.side,
      proposal: {
        actor: fact.actor,
        occurredAt: fact.occurredAt,
        eventId: fact.position.eventId,
        streamVersion: fact.position.streamVersion,
        rationale: fact.rationale,
        targetDate: fact.targetDate,
      },
      resolution: rival === undefined ? null : { reason: 'superseded', supersededBy: rival.decisionId },
      answers: [],
    };
    views.set(view.decisionId, view);
    ledger.decisions.push(view);
    for (const early of waiting.get(fact.decisionId) ?? []) answer(view, early);
    waiting.delete(fact.decisionId);
  }
  return ledger;
}

/**
 * Whether a side's `completed` holds it: it does until the side takes part, later in its own
 * stream, in a reopen_item that is effective. Judged by the side's own stream order, so no
 * clock can free a side that completed again after a reopen.
 */
export function holdsCompleted(state: SideItemState, ledger: DecisionLedger): boolean {
  const completedIn = state.completedInVersion;
  if (completedIn === null) return false;
  return !ledger.decisions.some((decision) => {
    if (decision.kind !== 'reopen_item' || decision.state !== 'effective') return false;
    const ownPart =
      decision.proposedBy === state.side
        ? decision.proposal.streamVersion
        : decision.answers.find((answer) => answer.applied && answer.side === state.side)?.streamVersion;
    return ownPart !== undefined && ownPart > completedIn;
  });
}

/** Every decision id either stream mentions, answered or proposed. */
export function knownDecisionIds(gd: SideItemState, hk: SideItemState): Set<string> {
  return new Set([...gd.decisionLog, ...hk.decisionLog].map((fact) => fact.decisionId));
}

/**
 * The item's target date: the latest effective extend_deadline's, otherwise the later of the
 * dates the two sides reported (the item is done when both are), otherwise none.
 */
export function agreedTargetDate(
  ledger: DecisionLedger,
  gd: StatusReport | null,
  hk: StatusReport | null,
): { targetDate: string | null; source: 'extend_deadline' | 'side_reports' | null } {
  if (ledger.extendedTargetDate !== null) return { targetDate: ledger.extendedTargetDate, source: 'extend_deadline' };
  const reported = [gd?.targetDate ?? null, hk?.targetDate ?? null].filter((date): date is string => date !== null);
  if (reported.length === 0) return { targetDate: null, source: null };
  return { targetDate: reported.sort(compareDates).at(-1) ?? null, source: 'side_reports' };
}
