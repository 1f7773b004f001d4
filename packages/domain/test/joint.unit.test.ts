import { describe, expect, test } from 'vitest';
import { DomainError, foldSide, initialSideState, isOverdue, joint, jointStatusOf, jointView } from '../src/index.ts';
import type { JointItem } from '../src/index.ts';
import { blocked, completed, decisionIdOf, gd, given, hk, inProgress, instant, ITEM, minute, staff } from './fixtures.ts';
import type { Fact } from './fixtures.ts';

const [D1, D2, D3] = [decisionIdOf(1), decisionIdOf(2), decisionIdOf(3)];

function jointOf(...facts: Fact[]): JointItem {
  const history = given(...facts);
  return joint(history.gd, history.hk);
}
function stateOf(item: JointItem, decisionId: string) {
  return item.decisions.find((decision) => decision.decisionId === decisionId)?.state;
}

describe('joint status', () => {
  test('an item no side has touched has not started', () => {
    const item = joint(initialSideState('gd', ITEM), initialSideState('hk', ITEM));
    expect(item).toStrictEqual({
      itemId: ITEM,
      status: 'not_started',
      targetDate: null,
      targetDateSource: null,
      escalated: false,
      sides: {
        gd: { side: 'gd', status: 'not_started', progress: 0, summary: null, nextSteps: null, blockers: null, targetDate: null, reportedAt: null, departments: [], streamVersion: 0, lastOccurredAt: null },
        hk: { side: 'hk', status: 'not_started', progress: 0, summary: null, nextSteps: null, blockers: null, targetDate: null, reportedAt: null, departments: [], streamVersion: 0, lastOccurredAt: null },
      },
      decisions: [],
    });
  });

  test.each([
    ['not_started', [gd.reported({ status: 'not_started', progress: 0, summary: 'Planned' })]],
    ['in_progress', [gd.reported(inProgress)]],
    ['in_progress', [gd.reported(completed), hk.reported(completed)]],
    ['blocked', [gd.reported(completed), hk.reported(blocked)]],
    ['blocked', [gd.reported(blocked), hk.reported({ status: 'not_started', progress: 0, summary: 'Planned' })]],
    ['awaiting_decision', [gd.reported(completed), hk.reported(completed), gd.proposed(D1, 'close_item')]],
    ['in_progress', [gd.reported(completed), hk.reported(completed), gd.proposed(D1, 'close_item'), hk.rejected(D1)]],
    ['closed', [gd.reported(completed), hk.reported(completed), gd.proposed(D1, 'close_item'), hk.approved(D1)]],
    ['in_progress', [gd.reported(completed), hk.reported(completed), gd.proposed(D1, 'close_item'), hk.approved(D1), hk.proposed(D2, 'reopen_item'), gd.approved(D2)]],
  ])('%s', (status, facts) => {
    expect(jointOf(...facts).status).toBe(status);
  });

  test('precedence: closed, awaiting_decision, blocked, not_started, in_progress', () => {
    const open = jointOf(gd.reported(completed), hk.reported(completed), gd.proposed(D1, 'close_item')).decisions;
    expect(jointStatusOf(true, open, 'blocked', 'blocked')).toBe('closed');
    expect(jointStatusOf(false, open, 'blocked', 'completed')).toBe('awaiting_decision');
    expect(jointStatusOf(false, [], 'blocked', 'not_started')).toBe('blocked');
    expect(jointStatusOf(false, [], 'not_started', 'not_started')).toBe('not_started');
    expect(jointStatusOf(false, [], 'not_started', 'completed')).toBe('in_progress');
  });

  test("both sides' parts", () => {
    const item = jointOf(
      gd.assigned('Transport'),
      gd.assigned('Trade'),
      gd.reported({ ...blocked, nextSteps: 'Ask LegCo', targetDate: '2025-09-30' }, { actor: staff('gd', 'Trade') }),
      hk.reported(inProgress, { at: minute(10) }),
    );
    expect(item.sides.gd).toStrictEqual({
      side: 'gd',
      status: 'blocked',
      progress: 40,
      summary: 'Stalled',
      nextSteps: 'Ask LegCo',
      blockers: 'Awaiting funding',
      targetDate: '2025-09-30',
      reportedAt: minute(3),
      departments: ['Trade', 'Transport'],
      streamVersion: 3,
      lastOccurredAt: minute(3),
    });
    expect(item.sides.hk).toMatchObject({ status: 'in_progress', streamVersion: 1, lastOccurredAt: minute(10), departments: [] });
    expect(item.targetDate).toBe('2025-09-30');
    expect(item.targetDateSource).toBe('side_reports');
  });

  test('gd and hk must be the two sides of one item', () => {
    expect(() => joint(initialSideState('hk', ITEM), initialSideState('gd', ITEM))).toThrow(DomainError);
    expect(() => joint(initialSideState('gd', ITEM), initialSideState('hk', '2019-04'))).toThrow(DomainError);
  });
});

describe('decisions in the joint view', () => {
  test('a proposal, its approval and its effect', () => {
    const item = jointOf(gd.proposed(D1, 'extend_deadline', '2025-12-31'), hk.approved(D1));
    expect(item.targetDate).toBe('2025-12-31');
    expect(item.targetDateSource).toBe('extend_deadline');
    expect(item.decisions).toStrictEqual([
      {
        decisionId: D1,
        itemId: ITEM,
        kind: 'extend_deadline',
        state: 'effective',
        proposedBy: 'gd',
        proposal: {
          actor: { userId: 'gd-coordinator', department: 'GD Coordination Office', role: 'coordinator' },
          occurredAt: minute(1),
          eventId: item.decisions[0]?.proposal.eventId,
          streamVersion: 1,
          rationale: 'please extend_deadline',
          targetDate: '2025-12-31',
        },
        resolution: {
          reason: 'approved',
          side: 'hk',
          actor: { userId: 'hk-coordinator', department: 'HK Coordination Office', role: 'coordinator' },
          occurredAt: minute(2),
          eventId: item.decisions[0]?.answers[0]?.eventId,
          comment: null,
        },
        answers: [
          {
            type: 'approved',
            side: 'hk',
            actor: { userId: 'hk-coordinator', department: 'HK Coordination Office', role: 'coordinator' },
            occurredAt: minute(2),
            eventId: item.decisions[0]?.answers[0]?.eventId,
            streamVersion: 1,
            comment: null,
            applied: true,
          },
        ],
      },
    ]);
  });

  test('an effective extension outranks later side-reported dates', () => {
    const item = jointOf(gd.proposed(D1, 'extend_deadline', '2025-12-31'), hk.approved(D1), hk.reported({ ...inProgress, targetDate: '2026-06-30' }));
    expect(item.targetDate).toBe('2025-12-31');
  });

  test('the latest effective extension sets the target date', () => {
    const item = jointOf(gd.proposed(D1, 'extend_deadline', '2025-06-30'), hk.approved(D1), hk.proposed(D2, 'extend_deadline', '2025-09-30'), gd.approved(D2));
    expect(item.targetDate).toBe('2025-09-30');
  });

  test('escalation is flagged until the item is closed', () => {
    const escalated = [hk.proposed(D3, 'escalate'), gd.approved(D3)];
    expect(jointOf(...escalated).escalated).toBe(true);
    expect(jointOf(hk.proposed(D3, 'escalate')).escalated).toBe(false);
    expect(jointOf(...escalated, gd.reported(completed), hk.reported(completed), gd.proposed(D1, 'close_item'), hk.approved(D1)).escalated).toBe(false);
  });

  test('rejected and withdrawn decisions have no effect', () => {
    expect(jointOf(gd.proposed(D1, 'escalate'), hk.rejected(D1)).escalated).toBe(false);
    expect(jointOf(gd.proposed(D1, 'escalate'), gd.withdrawn(D1)).escalated).toBe(false);
    expect(stateOf(jointOf(gd.proposed(D1, 'escalate'), gd.withdrawn(D1)), D1)).toBe('withdrawn');
    expect(stateOf(jointOf(gd.proposed(D1, 'escalate'), hk.rejected(D1)), D1)).toBe('rejected');
  });

  test('decisions are listed in the order of their proposals', () => {
    const item = jointOf(hk.proposed(D2, 'escalate'), gd.proposed(D3, 'escalate', undefined, { at: minute(1) }), gd.proposed(D1, 'extend_deadline', '2025-06-30'));
    // D3 at minute 1 ties D2 in time; GD goes first.
    expect(item.decisions.map((decision) => decision.decisionId)).toStrictEqual([D3, D2, D1]);
  });
});

describe('races between the sides', () => {
  const ready = [gd.reported(completed, { at: minute(1) }), hk.reported(completed, { at: minute(1) })];

  test('a withdrawal settles a decision nobody answers', () => {
    const item = jointOf(...ready, gd.proposed(D1, 'close_item'), gd.withdrawn(D1));
    expect(stateOf(item, D1)).toBe('withdrawn');
    expect(item.status).toBe('in_progress');
  });

  test.each([
    ['after', minute(7), ['withdrawn', 'approved']],
    ['at the same instant as', minute(6), ['withdrawn', 'approved']],
    ['before', minute(5), ['approved', 'withdrawn']],
    ['even before the proposal,', minute(4), ['approved', 'withdrawn']],
  ])('an approval overrides a withdrawal it crossed, stamped %s it', (_, approvedAt, order) => {
    // decide lets neither side act on a decision it has seen settled, so the two crossed;
    // HK may already have acted on its approval, GD's withdrawal only gave up.
    const item = jointOf(
      ...ready,
      gd.proposed(D1, 'close_item', undefined, { at: minute(5) }),
      gd.withdrawn(D1, { at: minute(6) }),
      hk.approved(D1, { at: approvedAt }),
    );
    expect(stateOf(item, D1)).toBe('effective');
    expect(item.status).toBe('closed');
    expect(item.decisions[0]?.answers.map(({ type, applied }) => ({ type, applied }))).toStrictEqual(
      order.map((type) => ({ type, applied: type === 'approved' })),
    );
  });

  test('a rejection overrides a withdrawal it crossed', () => {
    const item = jointOf(hk.proposed(D1, 'escalate'), hk.withdrawn(D1), gd.rejected(D1));
    expect(item.decisions[0]).toMatchObject({ state: 'rejected', resolution: { reason: 'rejected', side: 'gd' } });
  });

  test('at the same instant GD goes first', () => {
    const rivals = (gdAt: string, hkAt: string) =>
      jointOf(hk.proposed(D2, 'escalate', undefined, { at: hkAt }), gd.proposed(D1, 'escalate', undefined, { at: gdAt }));
    expect(stateOf(rivals(minute(5), minute(5)), D2)).toBe('rejected');
    expect(stateOf(rivals(minute(6), minute(5)), D1)).toBe('rejected');
  });

  test('instants are compared as instants, not as strings', () => {
    // "…:06.000Z" sorts before "…:06Z" as a string; as instants they tie and GD goes first.
    const item = jointOf(hk.proposed(D2, 'escalate', undefined, { at: instant(6, true) }), gd.proposed(D1, 'escalate', undefined, { at: instant(6) }));
    expect(stateOf(item, D1)).toBe('open');
    expect(stateOf(item, D2)).toBe('rejected');
  });

  test('when both sides propose the same kind, the later proposal is superseded', () => {
    const item = jointOf(hk.proposed(D2, 'escalate', undefined, { at: minute(5) }), gd.proposed(D1, 'escalate', undefined, { at: minute(5) }), gd.approved(D2), hk.approved(D1));
    expect(item.decisions.map(({ decisionId, state, resolution }) => ({ decisionId, state, resolution }))).toStrictEqual([
      { decisionId: D1, state: 'effective', resolution: expect.objectContaining({ reason: 'approved', side: 'hk' }) },
      { decisionId: D2, state: 'rejected', resolution: { reason: 'superseded', supersededBy: D1 } },
    ]);
    expect(item.decisions[1]?.answers).toMatchObject([{ type: 'approved', side: 'gd', applied: false }]);
  });

  test('a proposal after the first one was settled is not superseded', () => {
    const item = jointOf(gd.proposed(D1, 'escalate'), hk.rejected(D1), hk.proposed(D2, 'escalate'));
    expect(stateOf(item, D2)).toBe('open');
  });

  test("an approval ordered before its proposal (the sides' clocks disagree) waits for it", () => {
    const item = jointOf(gd.proposed(D1, 'escalate', undefined, { at: minute(9) }), hk.approved(D1, { at: minute(3) }));
    expect(stateOf(item, D1)).toBe('effective');
    expect(item.escalated).toBe(true);
  });

  test('an approval consumed before its proposal resolves once both are there', () => {
    const history = given(gd.proposed(D1, 'escalate'), hk.approved(D1));
    const hkOnly = joint(initialSideState('gd', ITEM), history.hk);
    expect(hkOnly.decisions).toStrictEqual([]);
    expect(hkOnly.escalated).toBe(false);
    expect(stateOf(joint(history.gd, history.hk), D1)).toBe('effective');
  });

  test('a reopen after a close opens the item again, and a second close closes it', () => {
    const closeAndReopen = [...ready, gd.proposed(D1, 'close_item'), hk.approved(D1), hk.proposed(D2, 'reopen_item'), gd.approved(D2)];
    expect(jointOf(...closeAndReopen).status).toBe('in_progress');
    expect(jointOf(...closeAndReopen, hk.proposed(D3, 'close_item'), gd.approved(D3)).status).toBe('closed');
  });

  test("a side's clock stepping back does not reorder its own stream", () => {
    // Constructed: GD's approval is stamped before its rejection but follows it in GD's stream.
    const item = jointOf(hk.proposed(D1, 'escalate', undefined, { at: minute(1) }), gd.rejected(D1, { at: minute(10) }), gd.approved(D1, { at: minute(4) }));
    expect(stateOf(item, D1)).toBe('rejected');
    expect(item.decisions[0]?.answers.map(({ type, applied }) => ({ type, applied }))).toStrictEqual([
      { type: 'rejected', applied: true },
      { type: 'approved', applied: false },
    ]);
  });

  test('an event never goes before what it provably follows, whatever the clocks say', () => {
    // Regression: GD's clock ran behind, so its second extension sorted before the HK proposal it had just approved and superseded it.
    const item = jointOf(
      hk.proposed(D1, 'extend_deadline', '2025-06-30', { at: minute(5) }),
      gd.approved(D1, { at: minute(3) }),
      gd.proposed(D2, 'extend_deadline', '2025-09-30', { at: minute(4) }),
    );
    expect(item.decisions.map(({ decisionId, state }) => ({ decisionId, state }))).toStrictEqual([
      { decisionId: D1, state: 'effective' },
      { decisionId: D2, state: 'open' },
    ]);
  });

  test('streams that answer each other’s later proposals (no real history does) still resolve', () => {
    // Constructed: each head waits for a proposal behind the other's head.
    const item = jointOf(gd.approved(D1), hk.approved(D2), gd.proposed(D2, 'escalate'), hk.proposed(D1, 'extend_deadline', '2025-06-30'));
    expect(item.decisions.map(({ decisionId, state }) => ({ decisionId, state }))).toStrictEqual([
      { decisionId: D2, state: 'effective' },
      { decisionId: D1, state: 'effective' },
    ]);
  });

  test('answers a side may not give are recorded but not applied', () => {
    // Constructed: decide never writes these.
    const item = jointOf(gd.proposed(D1, 'escalate'), gd.approved(D1), hk.withdrawn(D1));
    expect(stateOf(item, D1)).toBe('open');
    expect(item.decisions[0]?.answers.map(({ applied }) => applied)).toStrictEqual([false, false]);
  });

  test('an answer to a decision no stream proposed is left out', () => {
    expect(jointOf(hk.approved(D1)).decisions).toStrictEqual([]);
  });
});

describe('isOverdue', () => {
  const withTarget = jointOf(gd.reported({ ...inProgress, targetDate: '2025-03-01' }));

  test('a target date is due until the end of that day in Hong Kong', () => {
    expect(isOverdue(withTarget, '2025-03-01T15:59:59.999Z')).toBe(false);
    expect(isOverdue(withTarget, '2025-03-01T16:00:00Z')).toBe(true);
    expect(isOverdue(withTarget, '2025-03-02T00:30:00+08:00')).toBe(true);
  });

  test('an item without a target date is never overdue', () => {
    expect(isOverdue(jointOf(gd.reported(inProgress)), '2099-01-01T00:00:00Z')).toBe(false);
  });

  test('a closed item is never overdue', () => {
    const closed = jointOf(
      gd.reported({ ...completed, targetDate: '2025-01-05' }),
      hk.reported(completed),
      gd.proposed(D1, 'close_item'),
      hk.approved(D1),
    );
    expect(closed.status).toBe('closed');
    expect(isOverdue(closed, '2025-06-01T00:00:00Z')).toBe(false);
  });
});

describe('jointView', () => {
  const item = (itemId: string) => joint(foldSide('gd', itemId, []), foldSide('hk', itemId, []));

  test('sorts items by id', () => {
    expect(jointView([item('2019-10'), item('2019-02'), item('2019-03')]).items.map(({ itemId }) => itemId)).toStrictEqual([
      '2019-02',
      '2019-03',
      '2019-10',
    ]);
  });

  test('rejects an item listed twice', () => {
    expect(() => jointView([item('2019-02'), item('2019-02')])).toThrow(DomainError);
  });

  test('is plain JSON: it survives a JSON round trip unchanged', () => {
    const busy = jointOf(
      gd.assigned('Trade'),
      gd.reported(blocked),
      hk.proposed(D2, 'escalate', undefined, { at: minute(1) }),
      gd.proposed(D1, 'escalate', undefined, { at: minute(1) }),
      hk.approved(D1),
      hk.reported(completed),
    );
    const view = jointView([busy]);
    expect(JSON.parse(JSON.stringify(view))).toStrictEqual(view);
  });
});
