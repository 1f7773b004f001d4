import { expect } from 'vitest';
import { decide, describeErrorCode, DomainError, foldSide, ItemEvent } from '../src/index.ts';
import type {
  Actor,
  Command,
  CommandMeta,
  DecisionAnswerBody,
  DecisionKind,
  DomainErrorCode,
  DomainEvent,
  ForkedRecord,
  Side,
  SideItemState,
  StatusReportBody,
} from '../src/index.ts';

export const ITEM = '2019-03';
/** The default `now` of commands: HK date 2025-03-01. */
export const NOW = '2025-03-01T00:00:00Z';

export const coordinator = (side: Side, userId = `${side}-coordinator`): Actor => ({
  userId,
  department: `${side.toUpperCase()} Coordination Office`,
  role: 'coordinator',
});
export const staff = (side: Side, department: string): Actor => ({ userId: `${side}-staff-${department}`, department, role: 'staff' });
export const secretariat: Actor = { userId: 'joint-secretariat', department: 'Joint Secretariat', role: 'secretariat' };
export const auditor: Actor = { userId: 'joint-auditor', department: 'Audit', role: 'auditor' };

/** A UUID v7 whose order follows `n` (one family per kind of id). */
export function uuidV7(n: number, family = 0): string {
  return `0190${family.toString(16).padStart(4, '0')}-0000-7000-8000-${n.toString(16).padStart(12, '0')}`;
}
export const decisionIdOf = (n: number): string => uuidV7(n, 0xd);

/** 2025-01-01 plus `seconds`, optionally written with milliseconds (the same instant). */
export function instant(seconds: number, withMillis = false): string {
  const iso = new Date(Date.UTC(2025, 0, 1) + seconds * 1_000).toISOString();
  return withMillis ? iso : iso.replace('.000Z', 'Z');
}
export const minute = (n: number): string => instant(n * 60);

export interface EnvelopeFields {
  side: Side;
  streamVersion: number;
  occurredAt: string;
  actor: Actor;
  eventId: string;
  itemId?: string;
}

/** What the side service does around `decide`'s output (the hashes are stand-ins). */
export function envelope(event: DomainEvent, fields: EnvelopeFields): ItemEvent {
  return ItemEvent.parse({
    eventId: fields.eventId,
    schemaVersion: 2,
    side: fields.side,
    itemId: fields.itemId ?? ITEM,
    streamVersion: fields.streamVersion,
    occurredAt: fields.occurredAt,
    actor: fields.actor,
    commandId: `cmd-${fields.eventId}`,
    correlationId: `corr-${fields.eventId}`,
    causationId: `cause-${fields.eventId}`,
    prevHash: '0'.repeat(64),
    hash: 'a'.repeat(64),
    commit: { prev: '0'.repeat(64) },
    type: event.type,
    data: event.data,
  });
}

// --- given: events already in the streams ---------------------------------------------

export interface Fact {
  side: Side;
  event: DomainEvent;
  actor?: Actor;
  /** defaults to the fact's place in the `given` list, one minute apart */
  at?: string;
}
interface FactOptions {
  actor?: Actor;
  at?: string;
}

export function on(side: Side) {
  const fact = (event: DomainEvent, options: FactOptions = {}): Fact => ({ side, event, ...options });
  return {
    reported: (data: StatusReportBody, options?: FactOptions) => fact({ type: 'item.status-reported', data }, options),
    assigned: (department: string, options?: FactOptions) => fact({ type: 'item.department-assigned', data: { department } }, options),
    unassigned: (department: string, options?: FactOptions) =>
      fact({ type: 'item.department-unassigned', data: { department } }, options),
    proposed: (decisionId: string, kind: DecisionKind, targetDate?: string, options?: FactOptions) =>
      fact(
        {
          type: 'decision.proposed',
          data: targetDate === undefined ? { decisionId, kind, rationale: `please ${kind}` } : { decisionId, kind, rationale: `please ${kind}`, targetDate },
        },
        options,
      ),
    approved: (decisionId: string, options?: FactOptions) => fact({ type: 'decision.approved', data: { decisionId } }, options),
    rejected: (decisionId: string, options?: FactOptions) => fact({ type: 'decision.rejected', data: { decisionId } }, options),
    withdrawn: (decisionId: string, options?: FactOptions) => fact({ type: 'decision.withdrawn', data: { decisionId } }, options),
  };
}
export const gd = on('gd');
export const hk = on('hk');

export const completed: StatusReportBody = { status: 'completed', progress: 100, summary: 'Done' };
export const inProgress: StatusReportBody = { status: 'in_progress', progress: 40, summary: 'Drafting' };
export const blocked: StatusReportBody = { status: 'blocked', progress: 40, summary: 'Stalled', blockers: 'Awaiting funding' };

/** Every code some `thenThrows` saw, so a test can check that none is left unexercised. */
export const thrownCodes = new Set<DomainErrorCode>();

export function streamsOf(facts: readonly Fact[]): Record<Side, ItemEvent[]> {
  const streams: Record<Side, ItemEvent[]> = { gd: [], hk: [] };
  facts.forEach((fact, index) => {
    const stream = streams[fact.side];
    stream.push(
      envelope(fact.event, {
        side: fact.side,
        streamVersion: stream.length + 1,
        occurredAt: fact.at ?? minute(index + 1),
        actor: fact.actor ?? coordinator(fact.side),
        eventId: uuidV7(index + 1),
      }),
    );
  });
  return streams;
}

export function given(...facts: Fact[]) {
  const streams = streamsOf(facts);
  const states: Record<Side, SideItemState> = { gd: foldSide('gd', ITEM, streams.gd), hk: foldSide('hk', ITEM, streams.hk) };
  return {
    ...states,
    streams,
    /** Decides on the stream of `stream` (the command's own side unless told otherwise), halted by `halt` if given. */
    when(command: Command, stream: Side = command.meta.side, halt: ForkedRecord | null = null) {
      const run = () => decide(command, { state: states[stream], other: states[stream === 'gd' ? 'hk' : 'gd'], halt });
      return {
        then(expected: DomainEvent[]): void {
          expect(run()).toStrictEqual(expected);
        },
        thenThrows(code: DomainErrorCode): DomainError {
          let caught: unknown;
          try {
            run();
          } catch (error) {
            caught = error;
          }
          if (!(caught instanceof DomainError)) throw new Error(`expected ${code}, got ${String(caught)}`);
          expect(caught.code).toBe(code);
          expect(caught.kind).toBe(describeErrorCode(code).kind);
          thrownCodes.add(code);
          return caught;
        },
      };
    },
  };
}

// --- when: commands ---------------------------------------------------------------------

export function command(side: Side, actor: Actor = coordinator(side), overrides: Partial<CommandMeta> = {}) {
  const meta = (extra: Partial<CommandMeta> = {}): CommandMeta => ({ actor, side, now: NOW, ...overrides, ...extra });
  return {
    reportStatus: (data: StatusReportBody, itemId = ITEM): Command => ({ type: 'reportStatus', itemId, data, meta: meta() }),
    assign: (department: string): Command => ({ type: 'assignDepartment', itemId: ITEM, data: { department }, meta: meta() }),
    unassign: (department: string): Command => ({ type: 'unassignDepartment', itemId: ITEM, data: { department }, meta: meta() }),
    propose: (decisionId: string, kind: DecisionKind, targetDate?: string, rationale = `please ${kind}`): Command => ({
      type: 'proposeDecision',
      itemId: ITEM,
      data: targetDate === undefined ? { kind, rationale } : { kind, rationale, targetDate },
      meta: meta({ decisionId }),
    }),
    approve: (decisionId: string, data: DecisionAnswerBody = {}): Command => ({ type: 'approveDecision', itemId: ITEM, decisionId, data, meta: meta() }),
    reject: (decisionId: string, data: DecisionAnswerBody = {}): Command => ({ type: 'rejectDecision', itemId: ITEM, decisionId, data, meta: meta() }),
    withdraw: (decisionId: string): Command => ({ type: 'withdrawDecision', itemId: ITEM, decisionId, meta: meta() }),
    repair: (fork: ForkedRecord, reason = 'two writers after a failover'): Command => ({ type: 'repairStream', itemId: ITEM, data: { fork, reason }, meta: meta() }),
  };
}
