import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { compareInstants, decide, DECISION_KINDS, evolveSide, foldSide, initialSideState, joint, parseEvent } from '../src/index.ts';
import type { ItemEvent, JointItem, SideItemState } from '../src/index.ts';
import { ITEM } from './fixtures.ts';
import { interleave, runScenario, scenarios } from './simulation.ts';
import type { History } from './simulation.ts';

const RUNS = { numRuns: 1000 };
// A thousand generated histories take seconds, not the milliseconds vitest's default allows for.
const PROPERTY_TIMEOUT_MS = 120_000;

/** Rules every joint view keeps, whatever part of the streams has been consumed. */
function expectInvariants(item: JointItem): void {
  for (const kind of DECISION_KINDS) {
    expect(item.decisions.filter((decision) => decision.kind === kind && decision.state === 'open').length).toBeLessThanOrEqual(1);
  }
  for (const decision of item.decisions) {
    expect(decision.answers.filter((answer) => answer.applied).length).toBe(decision.state === 'open' || decision.resolution?.reason === 'superseded' ? 0 : 1);
  }
}

/**
 * Holds once both streams are consumed, not for every prefix: a side's move after a reopen
 * can be consumed before the other side's reopen proposal that its approval answered.
 */
function expectClosedOnlyWhenBothCompleted(item: JointItem): void {
  if (item.status === 'closed') expect([item.sides.gd.status, item.sides.hk.status]).toStrictEqual(['completed', 'completed']);
}

/** An approval or rejection is final the moment it is written: no later event undoes it. */
function expectEveryAnswerApplied(item: JointItem): void {
  for (const decision of item.decisions) {
    for (const answer of decision.answers) if (answer.type !== 'withdrawn') expect(answer.applied).toBe(true);
  }
}

/** What the projection does: keep both side states, recompute the joint item after each event. */
function incrementalJoint(events: readonly ItemEvent[]): JointItem {
  const states: { gd: SideItemState; hk: SideItemState } = { gd: initialSideState('gd', ITEM), hk: initialSideState('hk', ITEM) };
  let item = joint(states.gd, states.hk);
  for (const event of events) {
    states[event.side] = evolveSide(states[event.side], event);
    item = joint(states.gd, states.hk);
    expectInvariants(item);
  }
  return item;
}

const schedule = fc.array(fc.boolean(), { minLength: 1, maxLength: 120 });

describe('the joint view is a pure function of the two side streams', () => {
  test('every interleaving that keeps each side’s order gives the same joint view', () => {
    fc.assert(
      fc.property(scenarios, schedule, schedule, (scenario, first, second) => {
        const { gd, hk } = runScenario(scenario);
        const reference = joint(foldSide('gd', ITEM, gd), foldSide('hk', ITEM, hk));
        expectInvariants(reference);
        expectClosedOnlyWhenBothCompleted(reference);
        expectEveryAnswerApplied(reference);
        expect(incrementalJoint(interleave(gd, hk, first))).toStrictEqual(reference);
        expect(incrementalJoint(interleave(gd, hk, second))).toStrictEqual(reference);
        // The extremes: one side's whole stream consumed before the other's (answers before proposals).
        expect(incrementalJoint([...hk, ...gd])).toStrictEqual(reference);
        expect(incrementalJoint([...gd, ...hk])).toStrictEqual(reference);
        expect(JSON.parse(JSON.stringify(reference))).toStrictEqual(reference);
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT_MS);
});

describe('replay = live', () => {
  test('folding the stored events decide produced gives the live state after every step, and decides alike', () => {
    fc.assert(
      fc.property(scenarios, (scenario) => {
        const replayed: Record<'gd' | 'hk', ItemEvent[]> = { gd: [], hk: [] };
        runScenario(scenario, ({ side, command, produced, written, context, replica }) => {
          // Stored as JSON, read back through parseEvent, as an audit or a restarted service would.
          replayed[side].push(...written.map((event) => parseEvent(JSON.parse(JSON.stringify(event)))));
          expect(foldSide(side, ITEM, replayed[side])).toStrictEqual(replica.state);
          const before = foldSide(side, ITEM, replayed[side].slice(0, context.state.streamVersion));
          expect(before).toStrictEqual(context.state);
          expect(decide(command, { state: before, other: context.other })).toStrictEqual(produced);
        });
      }),
      RUNS,
    );
  }, PROPERTY_TIMEOUT_MS);
});

describe('the generated histories exercise the races', () => {
  test('answers crossing withdrawals, rival proposals, answers stamped before proposals, reopen after close', () => {
    const counts = {
      approvalCrossedWithdrawal: 0,
      rejectionCrossedWithdrawal: 0,
      withdrawalStampedBeforeItsOverride: 0,
      superseded: 0,
      approvalTimedBeforeProposal: 0,
      gdProposalApprovedByHk: 0,
      reopenedAfterClose: 0,
      closedAgainAfterReopen: 0,
      rejectionsByDecide: 0,
    };
    const histories: History[] = fc.sample(scenarios, { numRuns: 1000, seed: 20_190_301 }).map((scenario) => runScenario(scenario));
    for (const { gd, hk, rejections } of histories) {
      counts.rejectionsByDecide += rejections.length;
      const item = joint(foldSide('gd', ITEM, gd), foldSide('hk', ITEM, hk));
      for (const decision of item.decisions) {
        const withdrawal = decision.answers.find(({ type }) => type === 'withdrawn');
        const answer = decision.answers.find(({ type, applied }) => type !== 'withdrawn' && applied);
        if (withdrawal && answer?.type === 'approved') counts.approvalCrossedWithdrawal += 1;
        if (withdrawal && answer?.type === 'rejected') counts.rejectionCrossedWithdrawal += 1;
        if (withdrawal && answer && compareInstants(withdrawal.occurredAt, answer.occurredAt) < 0) counts.withdrawalStampedBeforeItsOverride += 1;
        if (decision.resolution?.reason === 'superseded') counts.superseded += 1;
        const approval = decision.answers.find(({ type, applied }) => type === 'approved' && applied);
        if (approval && compareInstants(approval.occurredAt, decision.proposal.occurredAt) < 0) counts.approvalTimedBeforeProposal += 1;
        if (approval && decision.proposedBy === 'gd') counts.gdProposalApprovedByHk += 1;
      }
      const effective = item.decisions.filter(({ state, kind }) => state === 'effective' && (kind === 'close_item' || kind === 'reopen_item'));
      const kinds = effective.map(({ kind }) => kind).join(',');
      if (kinds.includes('close_item,reopen_item')) counts.reopenedAfterClose += 1;
      if (kinds.includes('close_item,reopen_item,close_item')) counts.closedAgainAfterReopen += 1;
    }
    for (const [name, count] of Object.entries(counts)) expect(count, name).toBeGreaterThan(0);
  }, PROPERTY_TIMEOUT_MS);
});
