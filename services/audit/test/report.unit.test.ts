import { canonicalJson, sha256Hex } from '@gdhk/integrity';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../src/report.ts';
import { StreamAuditor } from '../src/stream-auditor.ts';
import { Ledger, recordOf, shape, uuidV7, type Sealed } from './fixtures.ts';

function reportOf(events: Sealed[], item?: string) {
  const auditor = new StreamAuditor(shape);
  events.forEach((value, offset) => auditor.feed(recordOf(value, offset)));
  const result = auditor.result();
  return buildReport({ ...result, offsets: { 't.gd.events/0': events.length }, log: { 't.gd.events': 'gd-topic-id', 't.hk.events': 'hk-topic-id' }, item });
}

describe('the decisions of the report', () => {
  it('names the rule that settled each decision', () => {
    const ledger = new Ledger();
    const [approved, rejected, withdrawn, open] = [uuidV7(), uuidV7(), uuidV7(), uuidV7()];
    const report = reportOf([
      ledger.propose('gd', '2019-01', 'escalate', approved),
      ledger.answer('hk', '2019-01', 'decision.approved', approved),
      ledger.propose('hk', '2019-02', 'extend_deadline', rejected),
      ledger.answer('gd', '2019-02', 'decision.rejected', rejected),
      ledger.propose('gd', '2019-03', 'escalate', withdrawn),
      ledger.answer('gd', '2019-03', 'decision.withdrawn', withdrawn),
      ledger.propose('hk', '2019-04', 'escalate', open),
    ]);
    expect(report.decisions.map((decision) => [decision.itemId, decision.state, decision.rule.code])).toEqual([
      ['2019-01', 'effective', 'approved_by_other_side'],
      ['2019-02', 'rejected', 'rejected_by_other_side'],
      ['2019-03', 'withdrawn', 'withdrawn_by_proposer'],
      ['2019-04', 'open', 'awaiting_other_side'],
    ]);
    const first = report.decisions[0];
    expect(first?.proposal.actor).toEqual({ userId: 'gd-coordinator', department: '', role: 'coordinator' });
    expect(first?.answers).toEqual([expect.objectContaining({ type: 'approved', side: 'hk', applied: true, ignoredBecause: null })]);
    expect(report.decisions[2]?.withdrawals).toEqual([expect.objectContaining({ type: 'withdrawn', side: 'gd', applied: true })]);
  });

  it('explains answers that did not count and a proposal superseded by an open one', () => {
    const ledger = new Ledger();
    const [first, second] = [uuidV7(), uuidV7()];
    const report = reportOf([
      ledger.propose('gd', '2019-05', 'escalate', first),
      ledger.answer('gd', '2019-05', 'decision.approved', first),
      ledger.propose('hk', '2019-05', 'escalate', second),
      ledger.answer('hk', '2019-05', 'decision.withdrawn', first),
    ]);
    const [open, superseded] = report.decisions;
    expect(open?.answers[0]).toMatchObject({ side: 'gd', applied: false, ignoredBecause: expect.stringMatching(/cannot answer its own decision/) });
    expect(open?.withdrawals[0]).toMatchObject({ side: 'hk', applied: false, ignoredBecause: expect.stringMatching(/only the proposing side/) });
    expect(superseded?.rule).toMatchObject({ code: 'superseded_by_open_decision', explanation: expect.stringContaining(first) });
  });

  it('says when the other side\'s answer crossed a withdrawal', () => {
    const ledger = new Ledger().at('2025-05-01T00:00:00Z');
    const id = uuidV7();
    const proposal = ledger.propose('gd', '2019-06', 'escalate', id);
    const withdrawal = ledger.answer('gd', '2019-06', 'decision.withdrawn', id);
    const approval = ledger.answer('hk', '2019-06', 'decision.approved', id);
    const [decision] = reportOf([proposal, withdrawal, approval]).decisions;
    expect(decision).toMatchObject({ state: 'effective', rule: { code: 'approval_overrode_withdrawal' } });
    expect(decision?.withdrawals[0]).toMatchObject({ applied: false, ignoredBecause: expect.stringMatching(/crossed the hk approval/) });
  });
});

describe('the view and its digest', () => {
  it('hashes the canonical joint view of every item with events, whatever --item shows', () => {
    const ledger = new Ledger();
    const events = [ledger.report('gd', '2019-01', 10), ledger.report('hk', '2019-02', 20)];
    const whole = reportOf(events);
    expect(whole.view.items.map((item) => item.itemId)).toEqual(['2019-01', '2019-02']);
    expect(whole.digest).toBe(sha256Hex(canonicalJson(whole.view)));
    const one = reportOf(events, '2019-02');
    expect(one.view.items.map((item) => item.itemId)).toEqual(['2019-02']);
    expect(one.digest).toBe(whole.digest);
  });

  it('has exactly the contract\'s top-level fields', () => {
    expect(Object.keys(reportOf([])).sort()).toEqual(['decisions', 'digest', 'log', 'offsets', 'verification', 'view']);
  });

  it('names the log it read, so that it can serve as the next replay\'s checkpoint', () => {
    const report = reportOf([]);
    expect(report.log).toEqual({ 't.gd.events': 'gd-topic-id', 't.hk.events': 'hk-topic-id' });
    expect(report.verification.checkpoint).toBeNull();
  });
});
