import type { z } from 'zod';
import { AssignmentBody, DecisionAnswerBody, DecisionProposal, RepairBody, StatusReportBody } from './commands.ts';
import type { Command, CommandMeta } from './commands.ts';
import { agreedTargetDate, holdsCompleted, knownDecisionIds, resolveDecisions } from './decisions.ts';
import type { DecisionLedger, DecisionView } from './decisions.ts';
import { DomainError, isDomainErrorCode } from './errors.ts';
import { Actor, DecisionId } from './events.ts';
import type { DecisionKind, DomainEvent, ForkedRecord, Role } from './events.ts';
import type { SideItemState } from './side.ts';
import { compareDates, hongKongDate, isInstant } from './time.ts';

/** What a side service knows about one item when it decides. */
export interface DecideContext {
  /** this side's stream of the item, complete */
  state: SideItemState;
  /** the other side's stream of the item, as far as this side has consumed it */
  other: SideItemState;
  /** the record that halted this side's stream (a fork), while it is halted */
  halt?: ForkedRecord | null | undefined;
}

interface Knowledge {
  own: SideItemState;
  other: SideItemState;
  gd: SideItemState;
  hk: SideItemState;
  ledger: DecisionLedger;
  meta: CommandMeta;
  halt: ForkedRecord | null;
}

/** The pure decider: the events a command produces, or a `DomainError` naming the broken rule. */
export function decide(command: Command, ctx: DecideContext): DomainEvent[] {
  const knowledge = knowledgeFor(command, ctx);
  switch (command.type) {
    case 'reportStatus':
      return reportStatus(command, knowledge);
    case 'assignDepartment':
      return assignDepartment(command, knowledge);
    case 'unassignDepartment':
      return unassignDepartment(command, knowledge);
    case 'proposeDecision':
      return proposeDecision(command, knowledge);
    case 'approveDecision':
      return approveDecision(command, knowledge);
    case 'rejectDecision':
      return rejectDecision(command, knowledge);
    case 'withdrawDecision':
      return withdrawDecision(command, knowledge);
    case 'repairStream':
      return repairStream(command, knowledge);
    default: {
      const _exhaustive: never = command;
      return _exhaustive;
    }
  }
}

type CommandOf<T extends Command['type']> = Extract<Command, { type: T }>;

function reportStatus(command: CommandOf<'reportStatus'>, k: Knowledge): DomainEvent[] {
  const actor = requireRole(k, ['staff', 'coordinator']);
  if (actor.role === 'staff' && !k.own.departments.includes(actor.department)) {
    throw new DomainError('GDHK_NOT_ASSIGNED', `${command.itemId} is not assigned to department ${JSON.stringify(actor.department)}`);
  }
  const report = parsePayload(StatusReportBody, command.data);
  if (k.ledger.closed) throw new DomainError('GDHK_ITEM_CLOSED', `${command.itemId} is closed and takes no status reports`);
  if (report.status !== 'completed' && holdsCompleted(k.own, k.ledger)) {
    throw new DomainError(
      'GDHK_ITEM_COMPLETED',
      `${k.own.side.toUpperCase()} completed ${command.itemId}; it moves again only after an effective reopen_item`,
    );
  }
  return [{ type: 'item.status-reported', data: withoutUndefined(report) }];
}

function assignDepartment(command: CommandOf<'assignDepartment'>, k: Knowledge): DomainEvent[] {
  requireRole(k, ['coordinator']);
  const { department } = parsePayload(AssignmentBody, command.data);
  if (k.own.departments.includes(department)) {
    throw new DomainError('GDHK_ALREADY_ASSIGNED', `${JSON.stringify(department)} is already assigned to ${command.itemId}`);
  }
  return [{ type: 'item.department-assigned', data: { department } }];
}

function unassignDepartment(command: CommandOf<'unassignDepartment'>, k: Knowledge): DomainEvent[] {
  requireRole(k, ['coordinator']);
  const { department } = parsePayload(AssignmentBody, command.data);
  if (!k.own.departments.includes(department)) {
    throw new DomainError('GDHK_ALREADY_UNASSIGNED', `${JSON.stringify(department)} is not assigned to ${command.itemId}`);
  }
  return [{ type: 'item.department-unassigned', data: { department } }];
}

function proposeDecision(command: CommandOf<'proposeDecision'>, k: Knowledge): DomainEvent[] {
  requireRole(k, ['coordinator']);
  const proposal = parsePayload(DecisionProposal, command.data);
  const parsedId = DecisionId.safeParse(command.meta.decisionId);
  if (!parsedId.success) throw new DomainError('GDHK_INVALID_INPUT', 'a proposal needs meta.decisionId, a UUID');
  const decisionId = parsedId.data;
  if (knownDecisionIds(k.gd, k.hk).has(decisionId)) {
    throw new DomainError('GDHK_DECISION_EXISTS', `decision ${decisionId} already exists`);
  }
  const rival = k.ledger.decisions.find((view) => view.kind === proposal.kind && view.state === 'open');
  if (rival !== undefined) {
    throw new DomainError(
      'GDHK_DECISION_OPEN_EXISTS',
      `${proposal.kind} decision ${rival.decisionId} is already open for ${command.itemId}`,
      { decisionId: rival.decisionId },
    );
  }
  checkPrecondition(proposal.kind, proposal.targetDate ?? null, k, 'proposal');
  return [{ type: 'decision.proposed', data: withoutUndefined({ decisionId, ...proposal }) }];
}

function approveDecision(command: CommandOf<'approveDecision'>, k: Knowledge): DomainEvent[] {
  requireRole(k, ['coordinator']);
  const { comment } = parsePayload(DecisionAnswerBody, command.data);
  const decision = openDecisionToAnswer(command.decisionId, k);
  // The item may have moved since the proposal, so the answer is checked again.
  checkPrecondition(decision.kind, decision.proposal.targetDate, k, 'approval');
  return [{ type: 'decision.approved', data: withoutUndefined({ decisionId: decision.decisionId, comment }) }];
}

function rejectDecision(command: CommandOf<'rejectDecision'>, k: Knowledge): DomainEvent[] {
  requireRole(k, ['coordinator']);
  const { comment } = parsePayload(DecisionAnswerBody, command.data);
  const decision = openDecisionToAnswer(command.decisionId, k);
  return [{ type: 'decision.rejected', data: withoutUndefined({ decisionId: decision.decisionId, comment }) }];
}

function withdrawDecision(command: CommandOf<'withdrawDecision'>, k: Knowledge): DomainEvent[] {
  requireRole(k, ['coordinator']);
  const decision = findDecision(command.decisionId, k);
  if (decision.proposedBy !== k.own.side) {
    throw new DomainError('GDHK_NOT_PROPOSER_SIDE', `decision ${decision.decisionId} was proposed by ${decision.proposedBy.toUpperCase()}`);
  }
  requireOpen(decision);
  return [{ type: 'decision.withdrawn', data: { decisionId: decision.decisionId } }];
}

/**
 * A coordinator of the side continues its halted stream from the head before the fork; the
 * repair names the forking record exactly as the halt does, so it cannot repair another one.
 */
function repairStream(command: CommandOf<'repairStream'>, k: Knowledge): DomainEvent[] {
  requireRole(k, ['coordinator']);
  const data = parsePayload(RepairBody, command.data);
  const { halt } = k;
  if (halt === null) throw new DomainError('GDHK_STREAM_NOT_HALTED', `the ${k.own.side.toUpperCase()} stream of ${k.own.itemId} is not halted`);
  const { fork } = data;
  if (fork.topic !== halt.topic || fork.partition !== halt.partition || fork.offset !== halt.offset || fork.hash !== halt.hash) {
    throw new DomainError('GDHK_FORK_MISMATCH', `the stream halted on ${halt.topic}/${halt.partition}@${halt.offset} (hash ${halt.hash}), not on ${fork.topic}/${fork.partition}@${fork.offset} (hash ${fork.hash})`);
  }
  return [{ type: 'stream.repaired', data: { fork: { ...fork }, reason: data.reason } }];
}

function knowledgeFor(command: Command, { state, other, halt }: DecideContext): Knowledge {
  if (command.itemId !== state.itemId || other.itemId !== state.itemId || other.side === state.side) {
    throw new DomainError(
      'GDHK_CONTEXT_MISMATCH',
      `a command for ${command.itemId} was given ${state.side}/${state.itemId} and ${other.side}/${other.itemId}`,
    );
  }
  if (command.meta.side !== state.side) {
    throw new DomainError('GDHK_WRONG_SIDE', `${String(command.meta.side)} may not write the ${state.side.toUpperCase()} stream`);
  }
  if (!Actor.safeParse(command.meta.actor).success || !isInstant(command.meta.now)) {
    throw new DomainError('GDHK_INVALID_INPUT', 'command metadata needs a valid actor and an ISO-8601 instant `now`');
  }
  const [gd, hk] = state.side === 'gd' ? [state, other] : [other, state];
  return { own: state, other, gd, hk, ledger: resolveDecisions(gd, hk), meta: command.meta, halt: halt ?? null };
}

function requireRole(k: Knowledge, roles: readonly Role[]): Actor {
  const { actor } = k.meta;
  if (!roles.includes(actor.role)) {
    throw new DomainError('GDHK_ROLE_FORBIDDEN', `a ${actor.role} may not do this; it takes a ${roles.join(' or ')}`);
  }
  return actor;
}

function findDecision(decisionId: string, k: Knowledge): DecisionView {
  const decision = k.ledger.decisions.find((view) => view.decisionId === decisionId);
  if (decision === undefined) throw new DomainError('GDHK_DECISION_NOT_FOUND', `no decision ${decisionId} on ${k.own.itemId}`);
  return decision;
}

function requireOpen(decision: DecisionView): void {
  if (decision.state !== 'open') {
    throw new DomainError('GDHK_DECISION_NOT_OPEN', `decision ${decision.decisionId} is ${decision.state}`, { state: decision.state });
  }
}

function openDecisionToAnswer(decisionId: string, k: Knowledge): DecisionView {
  const decision = findDecision(decisionId, k);
  if (decision.proposedBy === k.own.side) {
    throw new DomainError(
      'GDHK_OWN_SIDE_DECISION',
      `decision ${decisionId} is ${k.own.side.toUpperCase()}'s own; only ${k.other.side.toUpperCase()} answers it`,
    );
  }
  requireOpen(decision);
  return decision;
}

/** What each kind needs of the item, checked on proposal and again on approval. */
function checkPrecondition(kind: DecisionKind, targetDate: string | null, k: Knowledge, at: 'proposal' | 'approval'): void {
  const { ledger, own, other } = k;
  const itemId = own.itemId;
  switch (kind) {
    case 'close_item':
      if (ledger.closed) throw new DomainError('GDHK_ITEM_CLOSED', `${itemId} is already closed`);
      // A side that completed before the last reopen may still move, so it must complete again:
      // only held completions keep the item closable however proposals and answers race.
      if (!holdsCompleted(own, ledger) || !holdsCompleted(other, ledger)) {
        throw new DomainError(
          'GDHK_NOT_BOTH_COMPLETED',
          `${itemId} closes only when both sides have reported it completed (again, after a reopen)`,
        );
      }
      return;
    case 'reopen_item':
      if (!ledger.closed) throw new DomainError('GDHK_ITEM_NOT_CLOSED', `${itemId} is not closed`);
      return;
    case 'extend_deadline': {
      if (ledger.closed) throw new DomainError('GDHK_ITEM_CLOSED', `${itemId} is closed`);
      if (targetDate === null) throw new DomainError('GDHK_TARGET_DATE_REQUIRED', 'an extend_deadline decision needs a targetDate');
      // Only a proposal is held to today: an approval that comes late still agrees to the same date.
      if (at === 'proposal' && compareDates(targetDate, hongKongDate(k.meta.now)) < 0) {
        throw new DomainError('GDHK_TARGET_DATE_PAST', `${targetDate} is before today in Hong Kong`);
      }
      const current = agreedTargetDate(ledger, k.gd.report, k.hk.report).targetDate;
      if (current !== null && compareDates(targetDate, current) <= 0) {
        throw new DomainError('GDHK_TARGET_DATE_NOT_LATER', `${targetDate} is not later than the current target date ${current}`, {
          currentTargetDate: current,
        });
      }
      return;
    }
    case 'escalate':
      if (ledger.closed) throw new DomainError('GDHK_ITEM_CLOSED', `${itemId} is closed`);
      if (ledger.escalated) throw new DomainError('GDHK_ALREADY_ESCALATED', `${itemId} is already before the joint conference`);
      return;
    default: {
      const _exhaustive: never = kind;
      return _exhaustive;
    }
  }
}

/**
 * Validates a payload with the schema the HTTP edge uses. A payload that breaks only
 * payload rules (blocked without blockers, …) reports that rule's own code.
 */
function parsePayload<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }));
  const ruleCodes = result.error.issues.map((issue) => (issue.code === 'custom' ? issue.params?.code : undefined));
  const [first] = ruleCodes;
  const onlyRules = typeof first === 'string' && isDomainErrorCode(first) && ruleCodes.every((code) => typeof code === 'string');
  const message = issues.map((issue) => (issue.path ? `${issue.path}: ${issue.message}` : issue.message)).join('; ');
  throw new DomainError(onlyRules ? first : 'GDHK_INVALID_INPUT', message, { issues });
}

/** Event data carries no `undefined`, so every canonical JSON encoder writes the same bytes. */
function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
