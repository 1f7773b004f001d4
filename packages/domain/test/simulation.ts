// Two side services working one item against each other: each decides on its own stream and
// on the part of the other side's stream it has consumed so far, so proposals, answers and
// withdrawals race exactly as they do between gd-service and hk-service.
import fc from 'fast-check';
import { decide, DomainError, evolveSide, initialSideState, joint } from '../src/index.ts';
import type { Command, DecisionKind, DomainErrorCode, DomainEvent, ItemEvent, Side, SideItemState, SideStatus } from '../src/index.ts';
import { coordinator, decisionIdOf, envelope, instant, ITEM, staff, uuidV7 } from './fixtures.ts';

export type Action =
  | { type: 'report'; status: SideStatus; progress: number; department: string | null; targetDay: number | null }
  | { type: 'assign' | 'unassign'; department: string }
  /** 'fitting': the kind the proposer's view of the item calls for (close when both completed, reopen when closed) */
  | { type: 'propose'; kind: DecisionKind | 'fitting'; targetDay: number }
  | { type: 'approve' | 'reject' | 'withdraw'; pick: number; preferOpen: boolean };

export type Step =
  | { type: 'deliver'; to: Side; count: number }
  /** `advance` moves the side's clock in seconds: 0 may tie, below 0 steps back */
  | { type: 'act'; side: Side; action: Action; advance: number; withMillis: boolean };

export interface Scenario {
  /** HK's clock minus GD's, in seconds */
  hkSkew: number;
  steps: Step[];
}

const DEPARTMENTS = ['Trade', 'Transport'] as const;
const side = fc.constantFrom<Side>('gd', 'hk');

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('report' as const),
      status: fc.oneof(
        { weight: 5, arbitrary: fc.constant<SideStatus>('completed') },
        { weight: 2, arbitrary: fc.constant<SideStatus>('in_progress') },
        { weight: 1, arbitrary: fc.constant<SideStatus>('blocked') },
        { weight: 1, arbitrary: fc.constant<SideStatus>('not_started') },
      ),
      progress: fc.integer({ min: 0, max: 99 }),
      department: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom(...DEPARTMENTS) }),
      targetDay: fc.option(fc.integer({ min: 1, max: 60 })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ type: fc.constantFrom('assign' as const, 'unassign' as const), department: fc.constantFrom(...DEPARTMENTS) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('propose' as const),
      kind: fc.oneof(
        { weight: 6, arbitrary: fc.constant('fitting' as const) },
        { weight: 5, arbitrary: fc.constant<DecisionKind>('close_item') },
        { weight: 5, arbitrary: fc.constant<DecisionKind>('reopen_item') },
        { weight: 1, arbitrary: fc.constant<DecisionKind>('extend_deadline') },
        { weight: 1, arbitrary: fc.constant<DecisionKind>('escalate') },
      ),
      targetDay: fc.integer({ min: 1, max: 90 }),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constant('approve' as const) },
        { weight: 1, arbitrary: fc.constant('reject' as const) },
        { weight: 2, arbitrary: fc.constant('withdraw' as const) },
      ),
      pick: fc.nat(7),
      preferOpen: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    }),
  },
);

const step: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('act' as const),
      side,
      action,
      advance: fc.constantFrom(-5, -1, 0, 0, 0, 1, 1, 2, 3, 8),
      withMillis: fc.boolean(),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('deliver' as const), to: side, count: fc.integer({ min: 1, max: 6 }) }) },
);

export const scenarios: fc.Arbitrary<Scenario> = fc.record({
  hkSkew: fc.oneof(fc.constant(0), fc.integer({ min: -3, max: 3 }), fc.integer({ min: -30, max: 30 })),
  steps: fc.array(step, { minLength: 10, maxLength: 100, size: 'max' }),
});

interface Replica {
  side: Side;
  events: ItemEvent[];
  state: SideItemState;
  /** how many of the other side's events this side has consumed */
  seen: number;
  otherView: SideItemState;
  clock: number;
}

export interface Write {
  side: Side;
  command: Command;
  produced: DomainEvent[];
  written: ItemEvent[];
  /** what the side knew when it decided */
  context: { state: SideItemState; other: SideItemState };
  replica: Readonly<Replica>;
}

export interface History {
  gd: ItemEvent[];
  hk: ItemEvent[];
  rejections: DomainErrorCode[];
}

function dayAfterNewYear(day: number): string {
  return instant(day * 86_400).slice(0, 10);
}

function jointAsSeenBy(replica: Replica) {
  return replica.side === 'gd' ? joint(replica.state, replica.otherView) : joint(replica.otherView, replica.state);
}

function fittingKind(replica: Replica, seed: number): DecisionKind {
  const item = jointAsSeenBy(replica);
  if (item.status === 'closed') return 'reopen_item';
  if (item.sides.gd.status === 'completed' && item.sides.hk.status === 'completed') return 'close_item';
  return seed % 2 === 0 ? 'escalate' : 'extend_deadline';
}

function commandFor(action: Action, replica: Replica, now: string, nextDecisionId: () => string): Command | null {
  const meta = { actor: coordinator(replica.side), side: replica.side, now };
  switch (action.type) {
    case 'report': {
      const { status } = action;
      const data = {
        status,
        progress: status === 'completed' ? 100 : action.progress,
        summary: `${status} at ${now}`,
        ...(status === 'blocked' ? { blockers: 'waiting on the other side' } : {}),
        ...(action.targetDay === null ? {} : { targetDate: dayAfterNewYear(action.targetDay) }),
      };
      const actor = action.department === null ? meta.actor : staff(replica.side, action.department);
      return { type: 'reportStatus', itemId: ITEM, data, meta: { ...meta, actor } };
    }
    case 'assign':
      return { type: 'assignDepartment', itemId: ITEM, data: { department: action.department }, meta };
    case 'unassign':
      return { type: 'unassignDepartment', itemId: ITEM, data: { department: action.department }, meta };
    case 'propose': {
      const kind = action.kind === 'fitting' ? fittingKind(replica, action.targetDay) : action.kind;
      const targetDate = kind === 'extend_deadline' ? { targetDate: dayAfterNewYear(action.targetDay) } : {};
      const data = { kind, rationale: `${replica.side} wants ${kind}`, ...targetDate };
      return { type: 'proposeDecision', itemId: ITEM, data, meta: { ...meta, decisionId: nextDecisionId() } };
    }
    case 'approve':
    case 'reject':
    case 'withdraw': {
      const mine = action.type === 'withdraw';
      const candidates = jointAsSeenBy(replica).decisions.filter((decision) => (decision.proposedBy === replica.side) === mine);
      const open = candidates.filter((decision) => decision.state === 'open');
      const pool = action.preferOpen && open.length > 0 ? open : candidates;
      const decision = pool[action.pick % Math.max(pool.length, 1)];
      if (decision === undefined) return null;
      const { decisionId } = decision;
      if (action.type === 'withdraw') return { type: 'withdrawDecision', itemId: ITEM, decisionId, meta };
      const type = action.type === 'approve' ? 'approveDecision' : 'rejectDecision';
      return { type, itemId: ITEM, decisionId, data: { comment: `${replica.side} ${action.type}s` }, meta };
    }
    default: {
      const _exhaustive: never = action;
      return _exhaustive;
    }
  }
}

/** Plays a scenario through `decide`; every event written is schema-valid by construction. */
export function runScenario(scenario: Scenario, onWrite: (write: Write) => void = () => {}): History {
  const replica = (s: Side, clock: number): Replica => ({
    side: s,
    events: [],
    state: initialSideState(s, ITEM),
    seen: 0,
    otherView: initialSideState(s === 'gd' ? 'hk' : 'gd', ITEM),
    clock,
  });
  const replicas: Record<Side, Replica> = { gd: replica('gd', 100), hk: replica('hk', 100 + scenario.hkSkew) };
  const rejections: DomainErrorCode[] = [];
  let events = 0;
  let decisions = 0;

  for (const step of scenario.steps) {
    if (step.type === 'deliver') {
      const to = replicas[step.to];
      const from = replicas[step.to === 'gd' ? 'hk' : 'gd'];
      for (let n = 0; n < step.count && to.seen < from.events.length; n += 1) {
        const next = from.events[to.seen];
        if (next === undefined) break;
        to.otherView = evolveSide(to.otherView, next);
        to.seen += 1;
      }
      continue;
    }
    const actor = replicas[step.side];
    actor.clock += step.advance;
    const now = instant(actor.clock, step.withMillis);
    const command = commandFor(step.action, actor, now, () => decisionIdOf((decisions += 1)));
    if (command === null) continue;
    const context = { state: actor.state, other: actor.otherView };
    let produced: DomainEvent[];
    try {
      produced = decide(command, context);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      rejections.push(error.code);
      continue;
    }
    const written = produced.map((event) => {
      const stored = envelope(event, {
        side: actor.side,
        streamVersion: actor.state.streamVersion + 1,
        occurredAt: now,
        actor: command.meta.actor,
        eventId: uuidV7((events += 1)),
      });
      actor.events.push(stored);
      actor.state = evolveSide(actor.state, stored);
      return stored;
    });
    onWrite({ side: actor.side, command, produced, written, context, replica: actor });
  }
  return { gd: replicas.gd.events, hk: replicas.hk.events, rejections };
}

/** Merges the two streams, keeping each side's own order; `schedule` says whose turn it is. */
export function interleave(gd: readonly ItemEvent[], hk: readonly ItemEvent[], schedule: readonly boolean[]): ItemEvent[] {
  const merged: ItemEvent[] = [];
  let [i, j] = [0, 0];
  for (let turn = 0; i < gd.length || j < hk.length; turn += 1) {
    const gdTurn = schedule[turn % Math.max(schedule.length, 1)] ?? turn % 2 === 0;
    const takeGd = j >= hk.length || (i < gd.length && gdTurn);
    const next = takeGd ? gd[i++] : hk[j++];
    if (next !== undefined) merged.push(next);
  }
  return merged;
}
