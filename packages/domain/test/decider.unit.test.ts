import { afterAll, describe, expect, test } from 'vitest';
import { DOMAIN_ERROR_CODES } from '../src/index.ts';
import type { Command, DomainErrorCode } from '../src/index.ts';
import {
  auditor,
  blocked,
  command,
  completed,
  coordinator,
  decisionIdOf,
  gd,
  given,
  hk,
  inProgress,
  ITEM,
  minute,
  secretariat,
  staff,
  thrownCodes,
} from './fixtures.ts';

const [D1, D2, D3] = [decisionIdOf(1), decisionIdOf(2), decisionIdOf(3)];
const gdCoordinator = command('gd');
const hkCoordinator = command('hk');
const gdTrade = command('gd', staff('gd', 'Trade'));

/** Both sides completed, closed by GD's close_item D1 with HK's approval. */
const closedItem = [gd.reported(completed), hk.reported(completed), gd.proposed(D1, 'close_item'), hk.approved(D1)];
/** …then reopened by HK's reopen_item D2 with GD's approval. */
const reopenedItem = [...closedItem, hk.proposed(D2, 'reopen_item'), gd.approved(D2)];

describe('reportStatus', () => {
  test('a coordinator reports on any item of their side', () => {
    given().when(gdCoordinator.reportStatus(inProgress)).then([{ type: 'item.status-reported', data: inProgress }]);
  });

  test('staff report on items assigned to their department', () => {
    given(gd.assigned('Trade')).when(gdTrade.reportStatus(inProgress)).then([{ type: 'item.status-reported', data: inProgress }]);
  });

  test('staff may not report on items not assigned to their department', () => {
    given(gd.assigned('Transport')).when(gdTrade.reportStatus(inProgress)).thenThrows('GDHK_NOT_ASSIGNED');
  });

  test('staff may not report once their department is unassigned', () => {
    given(gd.assigned('Trade'), gd.unassigned('Trade')).when(gdTrade.reportStatus(inProgress)).thenThrows('GDHK_NOT_ASSIGNED');
  });

  test("an assignment on the other side does not count for this side's staff", () => {
    given(hk.assigned('Trade')).when(gdTrade.reportStatus(inProgress)).thenThrows('GDHK_NOT_ASSIGNED');
  });

  test.each([secretariat, auditor])('$role may not report', (actor) => {
    given().when(command('gd', actor).reportStatus(inProgress)).thenThrows('GDHK_ROLE_FORBIDDEN');
  });

  test('blocked needs blockers', () => {
    given().when(gdCoordinator.reportStatus({ status: 'blocked', progress: 10, summary: 'Stuck' })).thenThrows('GDHK_STATUS_NEEDS_BLOCKERS');
    given().when(gdCoordinator.reportStatus(blocked)).then([{ type: 'item.status-reported', data: blocked }]);
  });

  test('completed needs progress 100', () => {
    given()
      .when(gdCoordinator.reportStatus({ status: 'completed', progress: 99, summary: 'Nearly' }))
      .thenThrows('GDHK_STATUS_NEEDS_FULL_PROGRESS');
  });

  test.each([
    ['progress above 100', { ...inProgress, progress: 101 }],
    ['fractional progress', { ...inProgress, progress: 40.5 }],
    ['blank summary', { ...inProgress, summary: '   ' }],
    ['unknown status', { ...inProgress, status: 'paused' }],
    ['unknown field', { ...inProgress, owner: 'someone' }],
    ['impossible target date', { ...inProgress, targetDate: '2025-02-30' }],
    ['a rule broken beside a malformed field', { status: 'blocked', progress: 500, summary: 'Stuck' }],
  ])('rejects %s as invalid input naming the field', (_, data) => {
    const error = given()
      .when({ type: 'reportStatus', itemId: ITEM, data, meta: { actor: coordinator('gd'), side: 'gd', now: minute(1) } } as Command)
      .thenThrows('GDHK_INVALID_INPUT');
    expect(error.details?.['issues']).not.toHaveLength(0);
  });

  test('optional fields absent from the command are absent from the event, never undefined', () => {
    given()
      .when(gdCoordinator.reportStatus({ ...inProgress, nextSteps: undefined, targetDate: '2025-12-31' }))
      .then([{ type: 'item.status-reported', data: { ...inProgress, targetDate: '2025-12-31' } }]);
  });

  test('a completed side may report completed again (to update its summary)', () => {
    const update = { ...completed, summary: 'Done, report filed' };
    given(gd.reported(completed)).when(gdCoordinator.reportStatus(update)).then([{ type: 'item.status-reported', data: update }]);
  });

  test('a completed side does not move again before an effective reopen_item', () => {
    given(gd.reported(completed)).when(gdCoordinator.reportStatus(inProgress)).thenThrows('GDHK_ITEM_COMPLETED');
  });

  test("the other side's completion does not hold this side", () => {
    given(hk.reported(completed)).when(gdCoordinator.reportStatus(inProgress)).then([{ type: 'item.status-reported', data: inProgress }]);
  });

  test('a closed item takes no status reports, not even completed ones', () => {
    given(...closedItem).when(gdCoordinator.reportStatus(completed)).thenThrows('GDHK_ITEM_CLOSED');
    given(...closedItem).when(hkCoordinator.reportStatus(inProgress)).thenThrows('GDHK_ITEM_CLOSED');
  });

  test('after an effective reopen_item both sides move again', () => {
    given(...reopenedItem).when(gdCoordinator.reportStatus(inProgress)).then([{ type: 'item.status-reported', data: inProgress }]);
    given(...reopenedItem).when(hkCoordinator.reportStatus(blocked)).then([{ type: 'item.status-reported', data: blocked }]);
  });

  test('a reopen that is still open does not free a completed side', () => {
    given(...closedItem, hk.proposed(D2, 'reopen_item')).when(gdCoordinator.reportStatus(inProgress)).thenThrows('GDHK_ITEM_CLOSED');
  });

  test("a side's hold is judged in its own stream order, not by the clocks", () => {
    // GD proposed the reopen, HK (its clock far ahead) approved it; GD moved, then completed again.
    const reopenedByHkAhead = [
      ...closedItem,
      gd.proposed(D2, 'reopen_item', undefined, { at: minute(10) }),
      hk.approved(D2, { at: minute(50) }),
      gd.reported(inProgress, { at: minute(11) }),
      gd.reported(completed, { at: minute(12) }),
    ];
    given(...reopenedByHkAhead).when(gdCoordinator.reportStatus(inProgress)).thenThrows('GDHK_ITEM_COMPLETED');
  });

  test('completing again after a reopen holds the side again', () => {
    given(...reopenedItem, gd.reported(completed)).when(gdCoordinator.reportStatus(inProgress)).thenThrows('GDHK_ITEM_COMPLETED');
  });
});

describe('the envelope of a command', () => {
  test("no one writes the other side's stream", () => {
    given().when(hkCoordinator.reportStatus(inProgress), 'gd').thenThrows('GDHK_WRONG_SIDE');
  });

  test('a command for another item is a wiring error', () => {
    given().when(gdCoordinator.reportStatus(inProgress, '2019-04')).thenThrows('GDHK_CONTEXT_MISMATCH');
  });

  test('metadata needs an instant and a valid actor', () => {
    given().when(command('gd', coordinator('gd'), { now: 'yesterday' }).reportStatus(inProgress)).thenThrows('GDHK_INVALID_INPUT');
    given()
      .when(command('gd', { userId: '', department: 'x', role: 'coordinator' }).reportStatus(inProgress))
      .thenThrows('GDHK_INVALID_INPUT');
  });
});

describe('assignDepartment / unassignDepartment', () => {
  test('a coordinator assigns and unassigns departments', () => {
    given().when(gdCoordinator.assign('Trade')).then([{ type: 'item.department-assigned', data: { department: 'Trade' } }]);
    given(gd.assigned('Trade')).when(gdCoordinator.unassign('Trade')).then([{ type: 'item.department-unassigned', data: { department: 'Trade' } }]);
  });

  test('assigning an assigned department is a conflict', () => {
    given(gd.assigned('Trade')).when(gdCoordinator.assign('Trade')).thenThrows('GDHK_ALREADY_ASSIGNED');
  });

  test('unassigning an unassigned department is a conflict', () => {
    given().when(gdCoordinator.unassign('Trade')).thenThrows('GDHK_ALREADY_UNASSIGNED');
    given(gd.assigned('Trade'), gd.unassigned('Trade')).when(gdCoordinator.unassign('Trade')).thenThrows('GDHK_ALREADY_UNASSIGNED');
  });

  test('only coordinators assign', () => {
    given().when(gdTrade.assign('Trade')).thenThrows('GDHK_ROLE_FORBIDDEN');
    given(gd.assigned('Trade')).when(gdTrade.unassign('Trade')).thenThrows('GDHK_ROLE_FORBIDDEN');
  });

  test('department names are trimmed and non-empty', () => {
    given().when(gdCoordinator.assign(' Trade')).thenThrows('GDHK_INVALID_INPUT');
    given().when(gdCoordinator.assign('')).thenThrows('GDHK_INVALID_INPUT');
  });
});

describe('proposeDecision', () => {
  test('close_item when both sides completed; the id comes from the metadata', () => {
    given(gd.reported(completed), hk.reported(completed))
      .when(gdCoordinator.propose(D1, 'close_item'))
      .then([{ type: 'decision.proposed', data: { decisionId: D1, kind: 'close_item', rationale: 'please close_item' } }]);
  });

  test('close_item needs both sides completed', () => {
    given(gd.reported(completed), hk.reported(inProgress)).when(gdCoordinator.propose(D1, 'close_item')).thenThrows('GDHK_NOT_BOTH_COMPLETED');
    given(gd.reported(completed)).when(gdCoordinator.propose(D1, 'close_item')).thenThrows('GDHK_NOT_BOTH_COMPLETED');
  });

  test('after a reopen, both sides report completed again before the item closes again', () => {
    given(...reopenedItem).when(gdCoordinator.propose(D3, 'close_item')).thenThrows('GDHK_NOT_BOTH_COMPLETED');
    given(...reopenedItem, gd.reported(completed)).when(gdCoordinator.propose(D3, 'close_item')).thenThrows('GDHK_NOT_BOTH_COMPLETED');
    given(...reopenedItem, gd.reported(completed), hk.reported(completed))
      .when(gdCoordinator.propose(D3, 'close_item'))
      .then([{ type: 'decision.proposed', data: { decisionId: D3, kind: 'close_item', rationale: 'please close_item' } }]);
  });

  test('close_item on a closed item is a conflict', () => {
    given(...closedItem).when(hkCoordinator.propose(D2, 'close_item')).thenThrows('GDHK_ITEM_CLOSED');
  });

  test('reopen_item needs the item closed', () => {
    given(gd.reported(completed), hk.reported(completed)).when(gdCoordinator.propose(D2, 'reopen_item')).thenThrows('GDHK_ITEM_NOT_CLOSED');
    given(...closedItem)
      .when(gdCoordinator.propose(D2, 'reopen_item'))
      .then([{ type: 'decision.proposed', data: { decisionId: D2, kind: 'reopen_item', rationale: 'please reopen_item' } }]);
  });

  test('extend_deadline carries a new target date', () => {
    given()
      .when(gdCoordinator.propose(D1, 'extend_deadline', '2025-06-30'))
      .then([{ type: 'decision.proposed', data: { decisionId: D1, kind: 'extend_deadline', rationale: 'please extend_deadline', targetDate: '2025-06-30' } }]);
  });

  test('targetDate is required exactly for extend_deadline', () => {
    given().when(gdCoordinator.propose(D1, 'extend_deadline')).thenThrows('GDHK_TARGET_DATE_REQUIRED');
    given().when(gdCoordinator.propose(D1, 'escalate', '2025-06-30')).thenThrows('GDHK_TARGET_DATE_NOT_ALLOWED');
  });

  test('the new target date is not before today in Hong Kong', () => {
    // 2025-02-28T16:00Z is already 1 March in Hong Kong.
    const lateEvening = command('gd', coordinator('gd'), { now: '2025-02-28T16:00:00Z' });
    given().when(lateEvening.propose(D1, 'extend_deadline', '2025-02-28')).thenThrows('GDHK_TARGET_DATE_PAST');
    given().when(lateEvening.propose(D1, 'extend_deadline', '2025-03-01')).then([
      { type: 'decision.proposed', data: { decisionId: D1, kind: 'extend_deadline', rationale: 'please extend_deadline', targetDate: '2025-03-01' } },
    ]);
  });

  test('the new target date is later than the current one', () => {
    const extended = [gd.proposed(D1, 'extend_deadline', '2025-06-30'), hk.approved(D1)];
    given(...extended).when(hkCoordinator.propose(D2, 'extend_deadline', '2025-06-30')).thenThrows('GDHK_TARGET_DATE_NOT_LATER');
    given(...extended).when(hkCoordinator.propose(D2, 'extend_deadline', '2025-05-31')).thenThrows('GDHK_TARGET_DATE_NOT_LATER');
    given(...extended).when(hkCoordinator.propose(D2, 'extend_deadline', '2025-07-01')).then([
      { type: 'decision.proposed', data: { decisionId: D2, kind: 'extend_deadline', rationale: 'please extend_deadline', targetDate: '2025-07-01' } },
    ]);
  });

  test('without an extension the current target date is the later one the sides reported', () => {
    given(gd.reported({ ...inProgress, targetDate: '2025-04-30' }), hk.reported({ ...inProgress, targetDate: '2025-05-31' }))
      .when(gdCoordinator.propose(D1, 'extend_deadline', '2025-05-15'))
      .thenThrows('GDHK_TARGET_DATE_NOT_LATER');
  });

  test('a closed item is neither extended nor escalated', () => {
    given(...closedItem).when(hkCoordinator.propose(D2, 'extend_deadline', '2025-06-30')).thenThrows('GDHK_ITEM_CLOSED');
    given(...closedItem).when(hkCoordinator.propose(D2, 'escalate')).thenThrows('GDHK_ITEM_CLOSED');
  });

  test('escalate sends the item to the joint conference once', () => {
    given()
      .when(hkCoordinator.propose(D1, 'escalate'))
      .then([{ type: 'decision.proposed', data: { decisionId: D1, kind: 'escalate', rationale: 'please escalate' } }]);
    given(hk.proposed(D1, 'escalate'), gd.approved(D1)).when(gdCoordinator.propose(D2, 'escalate')).thenThrows('GDHK_ALREADY_ESCALATED');
  });

  test('closing the item ends its escalation, so a reopened item may be escalated again', () => {
    const escalatedThenClosedAndReopened = [
      hk.proposed(D3, 'escalate'),
      gd.approved(D3),
      ...reopenedItem,
    ];
    given(...escalatedThenClosedAndReopened)
      .when(gdCoordinator.propose(decisionIdOf(4), 'escalate'))
      .then([{ type: 'decision.proposed', data: { decisionId: decisionIdOf(4), kind: 'escalate', rationale: 'please escalate' } }]);
  });

  test('one open decision per kind, whichever side proposed it', () => {
    given(gd.proposed(D1, 'escalate')).when(gdCoordinator.propose(D2, 'escalate')).thenThrows('GDHK_DECISION_OPEN_EXISTS');
    given(gd.proposed(D1, 'escalate')).when(hkCoordinator.propose(D2, 'escalate')).thenThrows('GDHK_DECISION_OPEN_EXISTS');
    given(gd.proposed(D1, 'escalate'))
      .when(hkCoordinator.propose(D2, 'extend_deadline', '2025-06-30'))
      .then([{ type: 'decision.proposed', data: { decisionId: D2, kind: 'extend_deadline', rationale: 'please extend_deadline', targetDate: '2025-06-30' } }]);
  });

  test('a kind may be proposed again once its decision is rejected or withdrawn', () => {
    const again = [{ type: 'decision.proposed', data: { decisionId: D2, kind: 'escalate', rationale: 'please escalate' } }] as const;
    given(gd.proposed(D1, 'escalate'), hk.rejected(D1)).when(gdCoordinator.propose(D2, 'escalate')).then([...again]);
    given(gd.proposed(D1, 'escalate'), gd.withdrawn(D1)).when(gdCoordinator.propose(D2, 'escalate')).then([...again]);
  });

  test('a decision id is used once, even one only an answer mentions', () => {
    given(gd.proposed(D1, 'escalate'), gd.withdrawn(D1)).when(hkCoordinator.propose(D1, 'escalate')).thenThrows('GDHK_DECISION_EXISTS');
    given(hk.approved(D1)).when(gdCoordinator.propose(D1, 'escalate')).thenThrows('GDHK_DECISION_EXISTS');
  });

  test('a proposal needs a decision id in its metadata', () => {
    const withoutId: Command = { type: 'proposeDecision', itemId: ITEM, data: { kind: 'escalate', rationale: 'why' }, meta: { actor: coordinator('gd'), side: 'gd', now: minute(1) } };
    given().when(withoutId).thenThrows('GDHK_INVALID_INPUT');
  });

  test('only coordinators propose', () => {
    given(gd.assigned('Trade')).when(gdTrade.propose(D1, 'escalate')).thenThrows('GDHK_ROLE_FORBIDDEN');
    given().when(command('hk', secretariat).propose(D1, 'escalate')).thenThrows('GDHK_ROLE_FORBIDDEN');
  });
});

describe('approveDecision / rejectDecision', () => {
  test("the other side's coordinator approves or rejects, with an optional comment", () => {
    given(gd.proposed(D1, 'escalate'))
      .when(hkCoordinator.approve(D1, { comment: 'Agreed' }))
      .then([{ type: 'decision.approved', data: { decisionId: D1, comment: 'Agreed' } }]);
    given(gd.proposed(D1, 'escalate')).when(hkCoordinator.reject(D1)).then([{ type: 'decision.rejected', data: { decisionId: D1 } }]);
  });

  test("a side's own proposal is approved by proposing it; it neither approves nor rejects it", () => {
    given(gd.proposed(D1, 'escalate')).when(gdCoordinator.approve(D1)).thenThrows('GDHK_OWN_SIDE_DECISION');
    given(gd.proposed(D1, 'escalate')).when(command('gd', coordinator('gd', 'another')).reject(D1)).thenThrows('GDHK_OWN_SIDE_DECISION');
  });

  test('an unknown decision is not found', () => {
    given(gd.proposed(D1, 'escalate')).when(hkCoordinator.approve(D2)).thenThrows('GDHK_DECISION_NOT_FOUND');
    given().when(hkCoordinator.reject(D2)).thenThrows('GDHK_DECISION_NOT_FOUND');
  });

  test.each([
    ['effective', [gd.proposed(D1, 'escalate'), hk.approved(D1)]],
    ['rejected', [gd.proposed(D1, 'escalate'), hk.rejected(D1)]],
    ['withdrawn', [gd.proposed(D1, 'escalate'), gd.withdrawn(D1)]],
    ['superseded', [hk.proposed(D2, 'escalate'), gd.proposed(D1, 'escalate')]],
  ])('a decision that is %s takes no answer', (_, facts) => {
    given(...facts).when(hkCoordinator.approve(D1)).thenThrows('GDHK_DECISION_NOT_OPEN');
    given(...facts).when(hkCoordinator.reject(D1)).thenThrows('GDHK_DECISION_NOT_OPEN');
  });

  test('only coordinators answer', () => {
    given(gd.proposed(D1, 'escalate'), hk.assigned('Trade')).when(command('hk', staff('hk', 'Trade')).approve(D1)).thenThrows('GDHK_ROLE_FORBIDDEN');
    given(gd.proposed(D1, 'escalate')).when(command('hk', auditor).reject(D1)).thenThrows('GDHK_ROLE_FORBIDDEN');
  });

  test('a comment, when given, is not blank', () => {
    given(gd.proposed(D1, 'escalate')).when(hkCoordinator.reject(D1, { comment: ' ' })).thenThrows('GDHK_INVALID_INPUT');
  });

  test('an approval checks the item again: a later side-reported date outruns an open extension', () => {
    given(gd.proposed(D1, 'extend_deadline', '2025-06-30'), hk.reported({ ...inProgress, targetDate: '2025-07-31' }))
      .when(hkCoordinator.approve(D1))
      .thenThrows('GDHK_TARGET_DATE_NOT_LATER');
  });

  test('an approval checks the item again: no close_item on an item a raced approval already closed', () => {
    // GD withdrew D1 and proposed D2 before it saw HK's earlier approval of D1.
    given(
      gd.reported(completed),
      hk.reported(completed),
      gd.proposed(D1, 'close_item'),
      hk.approved(D1),
      gd.withdrawn(D1),
      gd.proposed(D2, 'close_item'),
    )
      .when(hkCoordinator.approve(D2))
      .thenThrows('GDHK_ITEM_CLOSED');
  });

  test('an approval of a reopen_item needs the item still closed', () => {
    // Constructed: the two sides' reopen proposals were both answered out of band.
    given(...reopenedItem, gd.proposed(D3, 'reopen_item'))
      .when(hkCoordinator.approve(D3))
      .thenThrows('GDHK_ITEM_NOT_CLOSED');
  });

  test('an approval of a close_item needs both sides still completed', () => {
    // Constructed: HK moved in a stream the rules would not have produced.
    given(gd.reported(completed), hk.reported(completed), gd.proposed(D1, 'close_item'), hk.reported(inProgress))
      .when(hkCoordinator.approve(D1))
      .thenThrows('GDHK_NOT_BOTH_COMPLETED');
  });

  test('an approval of an escalation needs the item not escalated already', () => {
    // Constructed: GD proposed D2 although D1 had already escalated the item.
    given(gd.proposed(D1, 'escalate'), hk.approved(D1), gd.proposed(D2, 'escalate'))
      .when(hkCoordinator.approve(D2))
      .thenThrows('GDHK_ALREADY_ESCALATED');
  });

  test('an answer written by HK goes to HK’s stream and names the GD decision', () => {
    const history = given(gd.proposed(D1, 'escalate'));
    expect(history.hk.streamVersion).toBe(0);
    history.when(hkCoordinator.approve(D1)).then([{ type: 'decision.approved', data: { decisionId: D1 } }]);
  });
});

describe('withdrawDecision', () => {
  test("any coordinator of the proposer's side withdraws an open decision", () => {
    given(gd.proposed(D1, 'escalate')).when(gdCoordinator.withdraw(D1)).then([{ type: 'decision.withdrawn', data: { decisionId: D1 } }]);
    given(gd.proposed(D1, 'escalate'))
      .when(command('gd', coordinator('gd', 'another-gd-coordinator')).withdraw(D1))
      .then([{ type: 'decision.withdrawn', data: { decisionId: D1 } }]);
  });

  test("the other side does not withdraw, it rejects", () => {
    given(gd.proposed(D1, 'escalate')).when(hkCoordinator.withdraw(D1)).thenThrows('GDHK_NOT_PROPOSER_SIDE');
  });

  test('only an open decision is withdrawn', () => {
    given(gd.proposed(D1, 'escalate'), gd.withdrawn(D1)).when(gdCoordinator.withdraw(D1)).thenThrows('GDHK_DECISION_NOT_OPEN');
    given(gd.proposed(D1, 'escalate'), hk.approved(D1)).when(gdCoordinator.withdraw(D1)).thenThrows('GDHK_DECISION_NOT_OPEN');
  });

  test('withdrawing an unknown decision is not found', () => {
    given().when(gdCoordinator.withdraw(D1)).thenThrows('GDHK_DECISION_NOT_FOUND');
  });

  test('only coordinators withdraw', () => {
    given(gd.assigned('Trade'), gd.proposed(D1, 'escalate')).when(gdTrade.withdraw(D1)).thenThrows('GDHK_ROLE_FORBIDDEN');
  });
});

describe('repairStream', () => {
  const fork = { topic: 'gdhk.gd.events', partition: 3, offset: '41', hash: 'ab'.repeat(32) };

  test('a coordinator of the halted side repairs it, naming the forking record', () => {
    given(gd.reported(inProgress)).when(gdCoordinator.repair(fork), 'gd', fork).then([{ type: 'stream.repaired', data: { fork, reason: 'two writers after a failover' } }]);
  });

  test('a stream that is not halted has nothing to repair', () => {
    given(gd.reported(inProgress)).when(gdCoordinator.repair(fork)).thenThrows('GDHK_STREAM_NOT_HALTED');
  });

  test.each([
    ['another hash', { ...fork, hash: 'cd'.repeat(32) }],
    ['another offset', { ...fork, offset: '40' }],
    ['another partition', { ...fork, partition: 2 }],
    ['another topic', { ...fork, topic: 'gdhk.hk.events' }],
  ])('a repair naming %s than the halt is refused', (_, named) => {
    given(gd.reported(inProgress)).when(gdCoordinator.repair(named), 'gd', fork).thenThrows('GDHK_FORK_MISMATCH');
  });

  test('staff, the secretariat and auditors do not repair', () => {
    for (const actor of [staff('gd', 'Trade'), secretariat, auditor]) {
      given(gd.assigned('Trade')).when(command('gd', actor).repair(fork), 'gd', fork).thenThrows('GDHK_ROLE_FORBIDDEN');
    }
  });

  test('a repair needs a reason', () => {
    given().when(gdCoordinator.repair(fork, '  '), 'gd', fork).thenThrows('GDHK_INVALID_INPUT');
  });
});

const NOT_RAISED_BY_DECIDE: readonly DomainErrorCode[] = ['GDHK_EVENT_INVALID', 'GDHK_EVENT_VERSION_UNSUPPORTED', 'GDHK_EVENT_OUT_OF_ORDER'];

afterAll(() => {
  // Every rejection `decide` can raise has a given/when/then above.
  const missing = DOMAIN_ERROR_CODES.filter((code) => !NOT_RAISED_BY_DECIDE.includes(code) && !thrownCodes.has(code));
  expect(missing).toStrictEqual([]);
});
