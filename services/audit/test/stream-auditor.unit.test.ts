import { describe, expect, it } from 'vitest';
import { StreamAuditor } from '../src/stream-auditor.ts';
import { keys, Ledger, ring, type Sealed } from './fixtures.ts';

const topic = { gd: 'a.gd.events', hk: 'a.hk.events' } as const;

function feedAll(auditor: StreamAuditor, records: Sealed[], partition = 0): void {
  records.forEach((value, offset) => auditor.feed({ topic: topic[value.side], partition, offset: String(offset), side: value.side, value }));
}

describe('StreamAuditor', () => {
  it('verifies a clean stream and folds every event', () => {
    const ledger = new Ledger();
    const events = [ledger.report('gd', '2019-01', 10), ledger.report('gd', '2019-01', 20), ledger.report('gd', '2019-02', 30)];
    const auditor = new StreamAuditor(ring);
    feedAll(auditor, events);
    const result = auditor.result();
    expect(result).toMatchObject({ events: 3, verified: 3, failures: [] });
    expect(result.streams.map((stream) => [stream.itemId, stream.state.streamVersion, stream.state.report?.progress])).toEqual([
      ['2019-01', 2, 20],
      ['2019-02', 1, 30],
    ]);
  });

  it('folds a stream only up to its first event after --until, but verifies everything', () => {
    const ledger = new Ledger().at('2025-03-01T00:00:00Z');
    const events = [ledger.report('gd', '2019-01', 10), ledger.report('gd', '2019-01', 20), ledger.report('gd', '2019-01', 30)];
    const until = events[1]?.occurredAt as string;
    const auditor = new StreamAuditor(ring, { until });
    feedAll(auditor, events);
    const result = auditor.result();
    expect(result.verified).toBe(3);
    expect(result.streams[0]?.state).toMatchObject({ streamVersion: 2, report: { progress: 20 } });
  });

  it('keeps a second fold that stops at the checkpoint offsets', () => {
    const ledger = new Ledger();
    const events = [ledger.report('gd', '2019-01', 10), ledger.report('gd', '2019-01', 20), ledger.report('gd', '2019-01', 30)];
    const auditor = new StreamAuditor(ring, { checkpoint: { [`${topic.gd}/0`]: '2' } });
    feedAll(auditor, events);
    const [stream] = auditor.result().streams;
    expect(stream?.state.streamVersion).toBe(3);
    expect(stream?.atCheckpoint?.streamVersion).toBe(2);
  });

  it('reports a tampered event with its offset and halts only that stream', () => {
    const ledger = new Ledger();
    const events = [ledger.report('gd', '2019-01', 10), ledger.report('gd', '2019-01', 20), ledger.report('gd', '2019-02', 5), ledger.report('gd', '2019-01', 30)];
    const tampered = structuredClone(events);
    (tampered[1]?.data as { progress: number }).progress = 99;
    const auditor = new StreamAuditor(ring);
    feedAll(auditor, tampered);
    const result = auditor.result();
    expect(result.failures.map((failure) => [failure.offset, failure.stream, failure.reason])).toEqual([
      ['1', 'gd/2019-01', 'bad_hash'],
      ['3', 'gd/2019-01', 'stream_halted'],
    ]);
    expect(result.verified).toBe(2);
    expect(result.streams.find((stream) => stream.itemId === '2019-01')?.state.streamVersion).toBe(1);
  });

  it('rejects an event sealed with the other side\'s key', () => {
    const ledger = new Ledger();
    const forged = ledger.append('gd', '2019-01', 'item.status-reported', { status: 'in_progress', progress: 1, summary: 'x' }, { key: { ...keys.hk, side: 'gd' } });
    const auditor = new StreamAuditor(ring);
    feedAll(auditor, [forged]);
    expect(auditor.result().failures[0]).toMatchObject({ reason: 'unknown_key', offset: '0' });
  });

  it('halts a stream whose sealed event is not a valid domain event', () => {
    const ledger = new Ledger();
    // Sealed correctly, but 'completed' needs progress 100: the writer was wrong, not the seal.
    const events = [ledger.report('hk', '2019-07', 40, 'completed'), ledger.report('hk', '2019-07', 50)];
    const auditor = new StreamAuditor(ring);
    feedAll(auditor, events);
    const result = auditor.result();
    expect(result.failures.map((failure) => [failure.offset, failure.reason])).toEqual([
      ['0', 'malformed'],
      ['1', 'stream_halted'],
    ]);
    expect(result.failures[0]?.detail).toMatch(/progress/);
    expect(result.verified).toBe(0);
    expect(result.streams).toEqual([]);
  });

  it('rejects a record that is not JSON as malformed without attributing it', () => {
    const auditor = new StreamAuditor(ring);
    auditor.feed({ topic: topic.gd, partition: 2, offset: '7', side: 'gd', value: '{"itemId": "2019-' });
    expect(auditor.result().failures).toEqual([expect.objectContaining({ partition: 2, offset: '7', stream: 'gd/?', reason: 'malformed' })]);
  });
});
