import { z } from 'zod';
import {
  checkProposalTargetDate,
  decisionProposalShape,
  DecisionAnsweredData,
  DepartmentData,
  ItemId,
  StatusReportedData,
  StreamRepairedData,
} from './events.ts';
import type { Actor, Side } from './events.ts';

// HTTP request bodies. They are the same schemas as the event data they become, so a body
// the edge accepts is an event `decide` can write.

/** `POST /v1/items/{itemId}/status` */
export const StatusReportBody = StatusReportedData;
export type StatusReportBody = z.infer<typeof StatusReportBody>;

/** `POST /v1/items/{itemId}/assignments`; the `{department}` of the DELETE route has the same shape. */
export const AssignmentBody = DepartmentData;
export type AssignmentBody = z.infer<typeof AssignmentBody>;

/** `POST /v1/decisions`; `targetDate` is required exactly when `kind` is `extend_deadline`. */
export const ProposeDecisionBody = z
  .strictObject({ itemId: ItemId, ...decisionProposalShape })
  .superRefine(checkProposalTargetDate);
export type ProposeDecisionBody = z.infer<typeof ProposeDecisionBody>;

/** What a proposal carries once its item is known: the body without `itemId`. */
export const DecisionProposal = z.strictObject(decisionProposalShape).superRefine(checkProposalTargetDate);
export type DecisionProposal = z.infer<typeof DecisionProposal>;

/** `POST /v1/decisions/{decisionId}/approve|reject` */
export const DecisionAnswerBody = DecisionAnsweredData.omit({ decisionId: true });
export type DecisionAnswerBody = z.infer<typeof DecisionAnswerBody>;

/** `POST /v1/items/{itemId}/repair`: the fork being repaired, as the halt names it, and why. */
export const RepairBody = StreamRepairedData;
export type RepairBody = z.infer<typeof RepairBody>;

/**
 * Who acts, for which side, and when. The domain never reads a clock or makes an id:
 * `now` is the service's clock, `decisionId` the id it generated for a proposal.
 */
export interface CommandMeta {
  actor: Actor;
  side: Side;
  /** ISO-8601 instant */
  now: string;
  /** required by proposeDecision: the id the new decision gets */
  decisionId?: string;
}

export type Command =
  | { type: 'reportStatus'; itemId: string; data: StatusReportBody; meta: CommandMeta }
  | { type: 'assignDepartment'; itemId: string; data: AssignmentBody; meta: CommandMeta }
  | { type: 'unassignDepartment'; itemId: string; data: AssignmentBody; meta: CommandMeta }
  | { type: 'proposeDecision'; itemId: string; data: DecisionProposal; meta: CommandMeta }
  | { type: 'approveDecision'; itemId: string; decisionId: string; data: DecisionAnswerBody; meta: CommandMeta }
  | { type: 'rejectDecision'; itemId: string; decisionId: string; data: DecisionAnswerBody; meta: CommandMeta }
  | { type: 'withdrawDecision'; itemId: string; decisionId: string; meta: CommandMeta }
  | { type: 'repairStream'; itemId: string; data: RepairBody; meta: CommandMeta };

export type CommandType = Command['type'];
export const COMMAND_TYPES = [
  'reportStatus',
  'assignDepartment',
  'unassignDepartment',
  'proposeDecision',
  'approveDecision',
  'rejectDecision',
  'withdrawDecision',
  'repairStream',
] as const satisfies readonly CommandType[];
