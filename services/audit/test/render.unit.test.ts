import { describe, expect, it } from 'vitest';
import { renderReport, verificationPassed } from '../src/render.ts';
import type { ReplayContext } from '../src/replay.ts';
import { buildReport } from '../src/report.ts';
import { StreamAuditor } from '../src/stream-auditor.ts';
import { Ledger, recordOf, shape, uuidV7 } from './fixtures.ts';

const context: ReplayContext = { topics: { gd: 't.gd.events', hk: 't.hk.events' }, brokers: ['127.0.0.1:9092'], until: null, item: null, startedAt: '2025-06-01T00:00:00.000Z', finishedAt: '2025-06-01T00:00:01.000Z', workers: 2 };

function sampleReport() {
  const ledger = new Ledger();
  const id = uuidV7();
  const events = [
    ledger.append('gd', '2019-01', 'item.status-reported', { status: 'blocked', progress: 10, summary: '=HYPERLINK("x") | pipes, "quotes"\nand a newline', blockers: 'land' }),
    ledger.propose('gd', '2019-01', 'escalate', id),
    ledger.answer('hk', '2019-01', 'decision.approved', id),
  ];
  const auditor = new StreamAuditor(shape);
  events.forEach((value, offset) => auditor.feed(recordOf(value, offset)));
  auditor.feed(recordOf('not json', 3));
  return buildReport({
    ...auditor.result(),
    offsets: { 't.gd.events/0': 4, 't.hk.events/0': 1 },
    log: { 't.gd.events': 'gd-topic-id', 't.hk.events': 'hk-topic-id' },
    checkpoint: { log: 'not_recorded', note: 'the checkpoint does not record which log it describes' },
  });
}

describe('renderReport', () => {
  const report = sampleReport();

  it('json is the report itself', () => {
    expect(JSON.parse(renderReport(report, context, 'json'))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(verificationPassed(report)).toBe(false);
  });

  it('markdown names the result, the failure, the decision and its rule', () => {
    const md = renderReport(report, context, 'md');
    expect(md).toContain('**FAILED — 1 failure(s)**');
    expect(md).toMatch(/\| t\.gd\.events \| 0 \| 3 \| gd\/\? \| not_json \|/);
    expect(md).toContain('### 2019-01 · escalate · effective');
    expect(md).toContain('**approved_by_other_side**');
    expect(md).toContain(report.digest);
    expect(md).toContain('- Log (Kafka topic ids): `t.gd.events` gd-topic-id, `t.hk.events` hk-topic-id');
    expect(md).toContain('- Checkpoint (not_recorded): the checkpoint does not record which log it describes');
  });

  it('markdown lists the cosigned checkpoints and the latest mutually cosigned heads, a line per side', () => {
    const head = (partition: number, sequence: number) => ({ partition, sequence, sealHash: 'a'.repeat(64), cosignedBy: 'hk' as const, checkpointSequence: 4, observedAt: '2025-06-01T00:00:00.000Z' });
    const witnessed = { ...report, verification: { ...report.verification, checkpoints: { read: 5, verified: 5, heads: { checked: 7, missing: 0, differing: 1 }, latestCosigned: { gd: [head(0, 3), head(2, 9)], hk: [] } } } };
    const md = renderReport(witnessed, context, 'md');
    expect(md).toContain('- Cosigned checkpoints read: 5, verified: 5; heads checked: 7, missing: 0, differing: 1');
    expect(md).toContain('- Latest gd heads cosigned by hk (checkpoint 4, 2025-06-01T00:00:00.000Z): p0 seal 3, p2 seal 9');
    expect(md).toContain('- Latest hk heads cosigned by gd: none');
    // A checkpoint that did not verify fails the verification like a seal that did not.
    const clean = { ...witnessed, verification: { ...witnessed.verification, failures: [], events: witnessed.verification.verified } };
    expect(verificationPassed(clean)).toBe(true);
    expect(verificationPassed({ ...clean, verification: { ...clean.verification, checkpoints: { ...clean.verification.checkpoints, verified: 4 } } })).toBe(false);
  });

  it('csv is one RFC 4180 table that a spreadsheet cannot run as formulas', () => {
    const csv = renderReport(report, context, 'csv');
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('section,item_id,decision_id,kind,state,side,event,user_id,department,role,occurred_at,topic,partition,offset,stream,reason,detail');
    expect(lines.filter((line) => line.startsWith('decision,'))).toHaveLength(1);
    expect(lines.filter((line) => line.startsWith('answer,'))).toHaveLength(1);
    expect(lines.some((line) => line.startsWith('failure,') && line.includes(',not_json,'))).toBe(true);
    expect(lines).toContain('log,,,,,,,,,,,t.gd.events,,,,,gd-topic-id');
    expect(lines.some((line) => line.startsWith('checkpoint,') && line.includes(',not_recorded,'))).toBe(true);
    expect(csv).not.toMatch(/(^|,)=/m);
  });
});
