import { initialSideState, joint, jointView, type Actor, type DecisionAnswer, type DecisionKind, type DecisionResolution, type DecisionState, type DecisionView, type JointItem, type JointView, type Side, type SideItemState } from '@gdhk/domain';
import { canonicalJson, sha256Hex } from '@gdhk/integrity';
import type { CheckpointCheck } from './checkpoint.ts';
import type { AuditFailure, AuditRepair, StreamFold } from './stream-auditor.ts';
import type { WitnessSummary } from './witness.ts';

/** Why a decision is in the state it is, as a stable code and a sentence. */
export type DecisionRule =
  | 'approved_by_other_side'
  | 'approval_overrode_withdrawal'
  | 'rejected_by_other_side'
  | 'rejection_overrode_withdrawal'
  | 'withdrawn_by_proposer'
  | 'superseded_by_open_decision'
  | 'awaiting_other_side';

export interface AnswerRecord extends DecisionAnswer {
  /** why an answer did not count; null when it did */
  ignoredBecause: string | null;
}

export interface DecisionRecord {
  itemId: string;
  decisionId: string;
  kind: DecisionKind;
  state: DecisionState;
  proposedBy: Side;
  proposal: DecisionView['proposal'];
  /** approvals and rejections, in the cross-side order */
  answers: AnswerRecord[];
  withdrawals: AnswerRecord[];
  resolution: DecisionResolution | null;
  rule: { code: DecisionRule; explanation: string };
}

export interface AuditReport {
  /**
   * `duplicates`: exact copies of a stream's head, counted no-ops; `repairs`: forks their side
   * repaired; `checkpoint`: whether the auditor's checkpoint (if any) described the log read, and so
   * was compared; `checkpoints`: the sides' cosigned checkpoints and the latest mutually cosigned heads
   */
  verification: {
    events: number;
    verified: number;
    duplicates: number;
    seals: { read: number; verified: number };
    checkpoints: WitnessSummary;
    failures: AuditFailure[];
    repairs: AuditRepair[];
    checkpoint: CheckpointCheck | null;
  };
  decisions: DecisionRecord[];
  view: JointView;
  digest: string;
  /** `<topic>/<partition>` → the next offset: where each side partition ended when the replay began */
  offsets: Record<string, number>;
  /** side topic → its Kafka topic id: which log `offsets` and `digest` describe (a later replay's checkpoint checks it) */
  log: Record<string, string>;
}

const other = (side: Side): Side => (side === 'gd' ? 'hk' : 'gd');
const who = (actor: Actor): string => `${actor.userId}${actor.department ? ` (${actor.department})` : ''}`;

function ignoredBecause(view: DecisionView, answer: DecisionAnswer, index: number): string | null {
  if (answer.applied) return null;
  if (answer.type === 'withdrawn') {
    if (answer.side !== view.proposedBy) return `only the proposing side (${view.proposedBy}) may withdraw`;
    const settledBy = view.answers.findIndex((candidate) => candidate.applied && candidate.type !== 'withdrawn');
    if (settledBy > index) return `crossed the ${view.answers[settledBy]?.side} ${view.answers[settledBy]?.type === 'approved' ? 'approval' : 'rejection'}, which settles the decision`;
    return `the decision was already ${view.state} when it came`;
  }
  if (answer.side === view.proposedBy) return `the proposing side (${view.proposedBy}) cannot answer its own decision; its approval is implied`;
  return `the decision was already settled (${view.resolution?.reason ?? view.state}) when it came`;
}

function decisionRule(view: DecisionView): { code: DecisionRule; explanation: string } {
  const { resolution } = view;
  const crossedWithdrawal = view.answers.some((answer) => answer.type === 'withdrawn' && !answer.applied && answer.side === view.proposedBy);
  if (resolution === null) {
    return { code: 'awaiting_other_side', explanation: `open: proposed by ${view.proposedBy} (its approval implied), awaiting ${other(view.proposedBy)}'s approval or rejection` };
  }
  switch (resolution.reason) {
    case 'approved':
      return crossedWithdrawal
        ? { code: 'approval_overrode_withdrawal', explanation: `effective: ${resolution.side} approved (${who(resolution.actor)}, ${resolution.occurredAt}) while ${view.proposedBy}'s withdrawal crossed it; the other side's answer settles a decision` }
        : { code: 'approved_by_other_side', explanation: `effective: proposed by ${view.proposedBy} (its approval implied) and approved by ${resolution.side} (${who(resolution.actor)}, ${resolution.occurredAt})` };
    case 'rejected':
      return crossedWithdrawal
        ? { code: 'rejection_overrode_withdrawal', explanation: `rejected: ${resolution.side} rejected (${who(resolution.actor)}, ${resolution.occurredAt}) while ${view.proposedBy}'s withdrawal crossed it; the other side's answer settles a decision` }
        : { code: 'rejected_by_other_side', explanation: `rejected by ${resolution.side} (${who(resolution.actor)}, ${resolution.occurredAt})` };
    case 'withdrawn':
      return { code: 'withdrawn_by_proposer', explanation: `withdrawn by the proposing side ${resolution.side} (${who(resolution.actor)}, ${resolution.occurredAt}) while open` };
    case 'superseded':
      return { code: 'superseded_by_open_decision', explanation: `not effective: ${view.kind} decision ${resolution.supersededBy} was already open on ${view.itemId} when this was proposed (one open decision per item and kind)` };
    default: {
      const _exhaustive: never = resolution;
      return _exhaustive;
    }
  }
}

function decisionRecord(view: DecisionView): DecisionRecord {
  const records = view.answers.map((answer, index): AnswerRecord => ({
    type: answer.type,
    side: answer.side,
    actor: answer.actor,
    occurredAt: answer.occurredAt,
    eventId: answer.eventId,
    streamVersion: answer.streamVersion,
    comment: answer.comment,
    applied: answer.applied,
    ignoredBecause: ignoredBecause(view, answer, index),
  }));
  return {
    itemId: view.itemId,
    decisionId: view.decisionId,
    kind: view.kind,
    state: view.state,
    proposedBy: view.proposedBy,
    proposal: view.proposal,
    answers: records.filter((answer) => answer.type !== 'withdrawn'),
    withdrawals: records.filter((answer) => answer.type === 'withdrawn'),
    resolution: view.resolution,
    rule: decisionRule(view),
  };
}

/** The joint item of every item with at least one event in either side's fold. */
export function jointItemsOf(streams: Iterable<{ side: Side; itemId: string; state: SideItemState }>): JointItem[] {
  const byItem = new Map<string, { gd?: SideItemState; hk?: SideItemState }>();
  for (const { side, itemId, state } of streams) {
    if (state.streamVersion === 0) continue;
    byItem.set(itemId, { ...byItem.get(itemId), [side]: state });
  }
  return [...byItem].map(([itemId, { gd, hk }]) => joint(gd ?? initialSideState('gd', itemId), hk ?? initialSideState('hk', itemId)));
}

/** SHA-256 of the RFC 8785 form of the joint view: the same definition as joint-api's GET /v1/digest. */
export function viewDigest(view: JointView): string {
  return sha256Hex(canonicalJson(view));
}

function compareFailures(a: Pick<AuditFailure, 'topic' | 'partition' | 'offset'>, b: Pick<AuditFailure, 'topic' | 'partition' | 'offset'>): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  const partitions = (a.partition ?? -1) - (b.partition ?? -1);
  if (partitions !== 0) return partitions;
  const [x, y] = [BigInt(a.offset ?? -1), BigInt(b.offset ?? -1)];
  return x < y ? -1 : x > y ? 1 : 0;
}

export interface ReportInput {
  events: number;
  verified: number;
  duplicates: number;
  /** seal records read, and how many verified (each failing one is a `bad_seal` failure) */
  seals: { read: number; verified: number };
  /** the cosigned checkpoints, as `witness` found them (none read when absent) */
  witness?: WitnessSummary | undefined;
  failures: AuditFailure[];
  repairs: AuditRepair[];
  streams: StreamFold[];
  offsets: Record<string, number>;
  log: Record<string, string>;
  checkpoint?: CheckpointCheck | null;
  /** restrict `decisions` and `view` to one item; the digest stays the whole view's */
  item?: string | undefined;
}

export function buildReport(input: ReportInput): AuditReport {
  const whole = jointView(jointItemsOf(input.streams));
  const view = input.item === undefined ? whole : { items: whole.items.filter((item) => item.itemId === input.item) };
  return {
    verification: {
      events: input.events,
      verified: input.verified,
      duplicates: input.duplicates,
      seals: input.seals,
      checkpoints: input.witness ?? { read: 0, verified: 0, heads: { checked: 0, missing: 0, differing: 0 }, latestCosigned: { gd: [], hk: [] } },
      failures: [...input.failures].sort(compareFailures), repairs: [...input.repairs].sort((a, b) => compareFailures(a.fork, b.fork)), checkpoint: input.checkpoint ?? null },
    decisions: view.items.flatMap((item) => item.decisions.map(decisionRecord)),
    view,
    digest: viewDigest(whole),
    offsets: input.offsets,
    log: { ...input.log },
  };
}
