import { z } from 'zod';
import type { DomainErrorCode } from './errors.ts';

export const SIDES = ['gd', 'hk'] as const;
export const STATUSES = ['not_started', 'in_progress', 'blocked', 'completed'] as const;
export const DECISION_KINDS = ['close_item', 'reopen_item', 'extend_deadline', 'escalate'] as const;
export const ROLES = ['staff', 'coordinator', 'secretariat', 'auditor'] as const;
export const EVENT_TYPES = [
  'item.status-reported',
  'item.department-assigned',
  'item.department-unassigned',
  'decision.proposed',
  'decision.approved',
  'decision.rejected',
  'decision.withdrawn',
  'stream.repaired',
] as const;
/**
 * 2 since sealed commits (issue 12): an event carries `commit` instead of its own `signature`.
 * Version 1 events stay readable: they are upcast on read (`upcasting.ts`).
 */
export const CURRENT_SCHEMA_VERSION = 2;

export const Side = z.enum(SIDES);
export type Side = z.infer<typeof Side>;

/** The side that is not `side`: the other half of every item. */
export function otherSide(side: Side): Side {
  return side === 'gd' ? 'hk' : 'gd';
}
export const SideStatus = z.enum(STATUSES);
export type SideStatus = z.infer<typeof SideStatus>;
export const DecisionKind = z.enum(DECISION_KINDS);
export type DecisionKind = z.infer<typeof DecisionKind>;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;
export type EventType = (typeof EVENT_TYPES)[number];

/** The patterns below are shared with the compiled reader (`event-reader.ts`), which must agree with these schemas. */
export const ITEM_ID_PATTERN = /^\d{4}-\d{2}$/;
export const HEX256_PATTERN = /^[0-9a-f]{64}$/;
export const NOT_BLANK_PATTERN = /\S/;
export const DEPARTMENT_PATTERN = /^\S(?:.*\S)?$/s;
export const OFFSET_PATTERN = /^\d{1,20}$/;

export const ItemId = z.string().regex(ITEM_ID_PATTERN, 'expected an item id like 2019-03');
/** ISO-8601 in UTC (`Z`), seconds required, any sub-second precision. */
export const UtcInstant = z.iso.datetime();
/** `YYYY-MM-DD`; zod's format already rejects days that do not exist (2023-02-29). */
export const CalendarDate = z.iso.date();
const Hex256 = z.string().regex(HEX256_PATTERN, 'expected 64 lowercase hex digits');

function text(max: number) {
  return z.string().max(max).regex(NOT_BLANK_PATTERN, 'must not be empty or blank');
}
const LongText = text(4_000);
const Identifier = text(200);
/** Trimmed on both ends so "Trade" and "Trade " cannot be two departments. */
export const Department = z.string().max(200).regex(DEPARTMENT_PATTERN, 'expected a department name without surrounding spaces');
export const DecisionId = z.uuid();
export const EventId = z.uuid({ version: 'v7' });

export const Actor = z.strictObject({
  userId: Identifier,
  /** '' when the token names no department (coordinators may have none); such staff are assigned nothing. */
  department: z.string().max(200),
  role: Role,
});
export type Actor = z.infer<typeof Actor>;

function ruleIssue(path: string, code: DomainErrorCode, message: string) {
  return { code: 'custom' as const, path: [path], message, params: { code } };
}

// Rules that need only the payload are schema refinements, so the HTTP layer names the
// field with a 400 and `decide` reports the same stable code from the same source.
const statusReportShape = {
  status: SideStatus,
  progress: z.int().min(0).max(100),
  summary: LongText,
  nextSteps: LongText.optional(),
  blockers: LongText.optional(),
  targetDate: CalendarDate.optional(),
};
export const StatusReportedData = z.strictObject(statusReportShape).superRefine((report, ctx) => {
  if (report.status === 'blocked' && report.blockers === undefined) {
    ctx.addIssue(ruleIssue('blockers', 'GDHK_STATUS_NEEDS_BLOCKERS', 'a blocked status must name its blockers'));
  }
  if (report.status === 'completed' && report.progress !== 100) {
    ctx.addIssue(ruleIssue('progress', 'GDHK_STATUS_NEEDS_FULL_PROGRESS', 'a completed status must report progress 100'));
  }
});
export type StatusReportedData = z.infer<typeof StatusReportedData>;

export const DepartmentData = z.strictObject({ department: Department });
export type DepartmentData = z.infer<typeof DepartmentData>;

export const decisionProposalShape = {
  kind: DecisionKind,
  rationale: LongText,
  targetDate: CalendarDate.optional(),
};
export function checkProposalTargetDate(
  proposal: { kind: DecisionKind; targetDate?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (proposal.kind === 'extend_deadline' && proposal.targetDate === undefined) {
    ctx.addIssue(ruleIssue('targetDate', 'GDHK_TARGET_DATE_REQUIRED', 'an extend_deadline decision needs a targetDate'));
  }
  if (proposal.kind !== 'extend_deadline' && proposal.targetDate !== undefined) {
    ctx.addIssue(ruleIssue('targetDate', 'GDHK_TARGET_DATE_NOT_ALLOWED', 'only an extend_deadline decision carries a targetDate'));
  }
}
export const DecisionProposedData = z
  .strictObject({ decisionId: DecisionId, ...decisionProposalShape })
  .superRefine(checkProposalTargetDate);
export type DecisionProposedData = z.infer<typeof DecisionProposedData>;

export const DecisionAnsweredData = z.strictObject({ decisionId: DecisionId, comment: LongText.optional() });
export type DecisionAnsweredData = z.infer<typeof DecisionAnsweredData>;
export const DecisionWithdrawnData = z.strictObject({ decisionId: DecisionId });
export type DecisionWithdrawnData = z.infer<typeof DecisionWithdrawnData>;

/** The record that forked a stream (docs/contract.md, "Repairing a halted stream"). */
export const ForkedRecord = z.strictObject({
  topic: z.string().min(1).max(249),
  partition: z.int().min(0),
  offset: z.string().regex(OFFSET_PATTERN, 'expected a decimal offset'),
  /** the forking event's `hash` */
  hash: Hex256,
});
export type ForkedRecord = z.infer<typeof ForkedRecord>;

/** A side's own statement that its stream, halted by `fork`, continues from the head before it. */
export const StreamRepairedData = z.strictObject({ fork: ForkedRecord, reason: LongText });
export type StreamRepairedData = z.infer<typeof StreamRepairedData>;

/**
 * The event's link to its transaction (docs/contract.md, "Events"): the hash of the previous event
 * of its transaction on its partition, or of the partition's previous seal. `null` for an event of
 * schema version 1, which was signed on its own and sealed by no commit.
 */
export const CommitLink = z.strictObject({ prev: Hex256 }).nullable();
export type CommitLink = z.infer<typeof CommitLink>;

const envelopeShape = {
  eventId: EventId,
  schemaVersion: z.literal(CURRENT_SCHEMA_VERSION),
  side: Side,
  itemId: ItemId,
  streamVersion: z.int().min(1),
  occurredAt: UtcInstant,
  actor: Actor,
  commandId: Identifier,
  correlationId: Identifier,
  causationId: Identifier,
  prevHash: Hex256,
  hash: Hex256,
  commit: CommitLink,
};

function eventSchema<T extends EventType, D extends z.ZodType>(type: T, data: D) {
  return z.strictObject({ ...envelopeShape, type: z.literal(type), data });
}

export const StatusReportedEvent = eventSchema('item.status-reported', StatusReportedData);
export const DepartmentAssignedEvent = eventSchema('item.department-assigned', DepartmentData);
export const DepartmentUnassignedEvent = eventSchema('item.department-unassigned', DepartmentData);
export const DecisionProposedEvent = eventSchema('decision.proposed', DecisionProposedData);
export const DecisionApprovedEvent = eventSchema('decision.approved', DecisionAnsweredData);
export const DecisionRejectedEvent = eventSchema('decision.rejected', DecisionAnsweredData);
export const DecisionWithdrawnEvent = eventSchema('decision.withdrawn', DecisionWithdrawnData);
export const StreamRepairedEvent = eventSchema('stream.repaired', StreamRepairedData);

/** One stored event of a (side, item) stream, at the current schema version. */
export const ItemEvent = z.discriminatedUnion('type', [
  StatusReportedEvent,
  DepartmentAssignedEvent,
  DepartmentUnassignedEvent,
  DecisionProposedEvent,
  DecisionApprovedEvent,
  DecisionRejectedEvent,
  DecisionWithdrawnEvent,
  StreamRepairedEvent,
]);
export type ItemEvent = z.infer<typeof ItemEvent>;
export type ItemEventOf<T extends EventType> = Extract<ItemEvent, { type: T }>;

/** What `decide` returns: the service adds the envelope, hashes and signs. */
export type DomainEvent = { [T in EventType]: { type: T; data: ItemEventOf<T>['data'] } }[EventType];

/** The envelope fields the service fills in around a `DomainEvent`. */
export type EventEnvelope = Omit<ItemEvent, 'type' | 'data'>;
