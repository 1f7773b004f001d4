import { initialSideState, joint, type Actor, type SideItemState } from '@gdhk/domain';
import { describe, expect, it } from 'vitest';
import { emptyItemDocument, haltOn, parseItemDocument, parseItemView, quarantineOn, viewOf, type ItemDocument } from '../src/index.ts';

const actor = (side: 'gd' | 'hk'): Actor => ({ userId: `${side}-coordinator-1`, department: '', role: 'coordinator' });

/** An item both sides worked on: a report, an assignment, a proposal and its approval, a halt, a quarantined record. */
function workedDocument(): ItemDocument {
  const at = (second: number) => `2025-03-01T00:00:${String(second).padStart(2, '0')}Z`;
  const gd: SideItemState = {
    ...initialSideState('gd', '2019-03'),
    streamVersion: 3,
    lastEventId: '01900000-0000-7000-8000-000000000003',
    lastOccurredAt: at(3),
    report: { status: 'completed', progress: 100, summary: 'Done', nextSteps: null, blockers: null, targetDate: '2025-12-31', reportedAt: at(1), reportedBy: actor('gd') },
    completedInVersion: 1,
    departments: ['Commerce'],
    decisionLog: [
      { decisionId: 'd-1', position: { at: at(3), side: 'gd', streamVersion: 3, eventId: '01900000-0000-7000-8000-000000000003' }, occurredAt: at(3), actor: actor('gd'), type: 'decision.proposed', kind: 'escalate', rationale: 'Funding', targetDate: null },
    ],
  };
  const hk: SideItemState = {
    ...initialSideState('hk', '2019-03'),
    streamVersion: 1,
    lastEventId: '01900000-0000-7000-8000-000000000004',
    lastOccurredAt: at(4),
    decisionLog: [{ decisionId: 'd-1', position: { at: at(4), side: 'hk', streamVersion: 1, eventId: '01900000-0000-7000-8000-000000000004' }, occurredAt: at(4), actor: actor('hk'), type: 'decision.approved', comment: 'Agreed' }],
  };
  const document = { ...emptyItemDocument('2019-03', 2), sides: { gd, hk }, lastHash: { gd: 'a'.repeat(64), hk: 'b'.repeat(64) }, joint: joint(gd, hk) };
  quarantineOn(document, { reason: 'bad_signature', detail: 'forged', topic: 'gdhk.gd.events', partition: 2, offset: '7' });
  haltOn(document, 'hk', { reason: 'fork', detail: 'a second v2', topic: 'gdhk.hk.events', partition: 2, offset: '9', hash: 'c'.repeat(64) });
  return document;
}

describe('stored item documents', () => {
  it('read back as they were written, byte for byte', () => {
    for (const document of [emptyItemDocument('2019-01', 0), workedDocument()]) {
      const json = JSON.stringify(document);
      expect(parseItemDocument(json)).toEqual(document);
      expect(JSON.stringify(parseItemDocument(json))).toBe(json);
      const view = JSON.stringify(viewOf(document));
      expect(JSON.stringify(parseItemView(view, document.itemId))).toBe(view);
    }
  });

  it('read documents of earlier versions: a halt without its hash, no quarantine', () => {
    const { quarantine: _quarantine, ...stored } = workedDocument();
    const halt = stored.halted.hk;
    const old = { ...stored, halted: { gd: undefined, hk: { ...halt, hash: undefined } } };
    const document = parseItemDocument(JSON.stringify(old));
    expect(document.halted).toEqual({ gd: null, hk: { ...halt, hash: '' } });
    expect(document.quarantine).toEqual({ count: 0, last: null });
    const { quarantine: _viewQuarantine, ...oldView } = viewOf(workedDocument());
    expect(parseItemView(JSON.stringify(oldView), '2019-03').quarantine).toEqual({ count: 0, last: null });
  });

  it('refuse what no projection wrote, naming where', () => {
    const document = workedDocument();
    expect(() => parseItemDocument('{"itemId":')).toThrow(/not JSON/);
    expect(() => parseItemDocument(JSON.stringify({ ...document, partition: '2' }))).toThrow(/partition/);
    expect(() => parseItemDocument(JSON.stringify({ ...document, sides: { ...document.sides, gd: { ...document.sides.gd, streamVersion: 'three' } } }))).toThrow(/sides\.gd\.streamVersion/);
    expect(() => parseItemDocument(JSON.stringify({ ...document, halted: { gd: { reason: 'fork' }, hk: null } }))).toThrow(/halted\.gd/);
    expect(() => parseItemDocument(JSON.stringify({ ...document, quarantine: { count: 1, last: 'x' } }))).toThrow(/quarantine\.last/);
    expect(() => parseItemDocument(JSON.stringify({ ...document, joint: { ...document.joint, status: 'finished' } }))).toThrow(/joint\.status/);
  });

  it('refuse a view stored under another item', () => {
    const view = JSON.stringify(viewOf(workedDocument()));
    expect(() => parseItemView(view, '2019-04')).toThrow(/view of 2019-04 is the view of 2019-03/);
    expect(() => parseItemView('[]', '2019-03')).toThrow(/view of 2019-03 does not read back/);
  });
});
