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
  /** where the latest reopen_item took effect */
  lastReopenAt: EventPosition | null;
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

/**
 * Replays the decision events of both sides in the cross-side order, so the outcome never
 * depends on which side's events were consumed first:
 * - the other side's first answer (approval or rejection) settles the decision, even over a
 *   withdrawal the proposer's side wrote meanwhile: `decide` lets no side answer a decision it
 *   has seen withdrawn, nor withdraw one it has seen answered, so the two only meet when they
 *   crossed, and the answer is the one the other side may already have acted on;
 * - a withdrawal settles the decision as long as no answer comes;
 * - an answer ordered before its proposal (the sides' clocks disagree, or the answer was
 *   consumed first) waits for the proposal and takes effect at the proposal's place;
 * - a proposal made while a decision of the same kind is open is superseded (rejected);
 * - close/reopen/extend/escalate take effect where their approval lands in the order.
 */
export function resolveDecisions(gd: SideItemState, hk: SideItemState): DecisionLedger {
  const facts = [...gd.decisionLog, ...hk.decisionLog].sort((a, b) => compareEventOrder(a.position, b.position));
  const views = new Map<string, DecisionView>();
  const waiting = new Map<string, AnswerFact[]>();
  const ledger: DecisionLedger = { decisions: [], closed: false, lastReopenAt: null, extendedTargetDate: null, escalated: false };

  const takeEffect = (view: DecisionView, at: EventPosition): void => {
    switch (view.kind) {
      case 'close_item':
        ledger.closed = true;
        ledger.escalated = false;
        return;
      case 'reopen_item':
        ledger.closed = false;
        ledger.lastReopenAt = at;
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

  const answer = (view: DecisionView, fact: AnswerFact, at: EventPosition): void => {
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
    if (type === 'approved') takeEffect(view, at);
  };

  for (const fact of facts) {
    if (fact.type !== 'decision.proposed') {
      const view = views.get(fact.decisionId);
      if (view === undefined) waiting.set(fact.decisionId, [...(waiting.get(fact.decisionId) ?? []), fact]);
      else answer(view, fact, fact.position);
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
    for (const early of waiting.get(fact.decisionId) ?? []) answer(view, early, fact.position);
    waiting.delete(fact.decisionId);
  }
  return ledger;
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
