import { describe, expect, it } from 'vitest';
import { buildCheckpoint, buildCommitSeal, GENESIS_HASH, hashCommittedEvent, sha256Hex } from '@gdhk/integrity';
import { StreamAuditor } from '../src/stream-auditor.ts';
import { keys, Ledger, recordOf, shape, type Sealed } from './fixtures.ts';

const topic = shape.topics;

function feedAll(auditor: StreamAuditor, records: Sealed[]): void {
  records.forEach((value, offset) => auditor.feed(recordOf(value, offset)));
}

describe('StreamAuditor', () => {
  it('counts seals and cosigned checkpoints apart from events, and keeps the verified ones for the coordinator', () => {
    const { signature: _signature, hash: _hash, prevHash: _prevHash, ...draft } = new Ledger().report('gd', '2019-01', 10);
    const event = hashCommittedEvent({ ...draft, schemaVersion: 2 }, GENESIS_HASH, GENESIS_HASH);
    const sealedAt = draft.occurredAt as string;
    const seal = buildCommitSeal({ side: 'gd', topic: topic.gd, partition: 0, sequence: 1, prevHash: GENESIS_HASH, eventHashes: [event.hash], sealedAt }, keys.gd);
    const checkpoint = buildCheckpoint({ side: 'hk', observedSide: 'gd', sequence: 1, prevHash: GENESIS_HASH, observedAt: sealedAt, heads: [{ partition: 0, sequence: 1, sealHash: seal.hash }] }, keys.hk);
    const auditor = new StreamAuditor(shape);
    const at = { timestamp: String(Date.parse(sealedAt)) };
    auditor.feed(recordOf(JSON.stringify(event), 0, { key: '2019-01', ...at }));
    auditor.feed(recordOf(JSON.stringify(seal), 1, { key: 'gdhk.seal', ...at }));
    auditor.feed(recordOf(JSON.stringify(checkpoint), 0, { topic: topic.hk, key: 'gdhk.checkpoint', ...at }));
    auditor.feed(recordOf(JSON.stringify({ ...checkpoint, heads: [{ partition: 0, sequence: 1, sealHash: sha256Hex('forged') }] }), 1, { topic: topic.hk, key: 'gdhk.checkpoint', ...at }));
    const result = auditor.result();
    expect(result).toMatchObject({ events: 1, verified: 1, seals: { read: 1, verified: 1 }, sealRuns: [{ topic: topic.gd, partition: 0, first: 1, hashes: [seal.hash] }] });
    expect(result.checkpoints).toEqual({ read: 2, verified: [{ checkpoint, where: { topic: topic.hk, partition: 0, offset: '0' } }] });
    expect(result.failures).toEqual([expect.objectContaining({ topic: topic.hk, partition: 0, offset: '1', reason: 'bad_checkpoint', detail: expect.stringMatching(/^bad_hash: /) })]);
  });

  it('verifies a clean stream and folds every event', () => {
    const ledger = new Ledger();
    const events = [ledger.report('gd', '2019-01', 10), ledger.report('gd', '2019-01', 20), ledger.report('gd', '2019-02', 30)];
    const auditor = new StreamAuditor(shape);
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
    const auditor = new StreamAuditor(shape, { until });
    feedAll(auditor, events);
    const result = auditor.result();
    expect(result.verified).toBe(3);
    expect(result.streams[0]?.state).toMatchObject({ streamVersion: 2, report: { progress: 20 } });
  });

  it('keeps a second fold that stops at the checkpoint offsets', () => {
    const ledger = new Ledger();
    const events = [ledger.report('gd', '2019-01', 10), ledger.report('gd', '2019-01', 20), ledger.report('gd', '2019-01', 30)];
    const auditor = new StreamAuditor(shape, { checkpoint: { [`${topic.gd}/0`]: '2' } });
    feedAll(auditor, events);
    const [stream] = auditor.result().streams;
    expect(stream?.state.streamVersion).toBe(3);
    expect(stream?.atCheckpoint?.streamVersion).toBe(2);
  });

  it('reports a tampered event with its offset; it changes nothing and the stream goes on', () => {
    const ledger = new Ledger();
    const events = [ledger.report('gd', '2019-01', 10), ledger.report('gd', '2019-01', 20), ledger.report('gd', '2019-02', 5)];
    const tampered = structuredClone(events);
    (tampered[1]?.data as { progress: number }).progress = 99;
    const auditor = new StreamAuditor(shape);
    // The altered copy, then the genuine event it altered: the genuine one still applies.
    feedAll(auditor, [...tampered, events[1] as Sealed]);
    const result = auditor.result();
    expect(result.failures.map((failure) => [failure.offset, failure.stream, failure.reason])).toEqual([['1', 'gd/2019-01', 'bad_hash']]);
    expect(result.verified).toBe(3);
    expect(result.streams.find((stream) => stream.itemId === '2019-01')?.state.report?.progress).toBe(20);
  });

  it("rejects an event sealed with the other side's key", () => {
    const ledger = new Ledger();
    const forged = ledger.append('gd', '2019-01', 'item.status-reported', { status: 'in_progress', progress: 1, summary: 'x' }, { key: { ...keys.hk, side: 'gd' } });
    const auditor = new StreamAuditor(shape);
    feedAll(auditor, [forged]);
    expect(auditor.result().failures[0]).toMatchObject({ reason: 'foreign_key', offset: '0' });
  });

  it('quarantines a correctly sealed event no schema accepts; the next one is judged against the unchanged head', () => {
    const ledger = new Ledger();
    // Sealed correctly, but 'completed' needs progress 100: the writer was wrong, not the seal.
    const events = [ledger.report('hk', '2019-07', 40, 'completed'), ledger.report('hk', '2019-07', 50)];
    const auditor = new StreamAuditor(shape);
    feedAll(auditor, events);
    const result = auditor.result();
    expect(result.failures.map((failure) => [failure.offset, failure.reason])).toEqual([
      ['0', 'schema'],
      ['1', 'version_gap'],
    ]);
    expect(result.failures[0]?.detail).toMatch(/progress/);
    expect(result.verified).toBe(0);
    expect(result.streams).toEqual([]);
  });

  it('counts an exact duplicate of a head as a no-op, not a failure', () => {
    const ledger = new Ledger();
    const event = ledger.report('gd', '2019-01', 10);
    const auditor = new StreamAuditor(shape);
    feedAll(auditor, [event, event]);
    expect(auditor.result()).toMatchObject({ events: 2, verified: 1, duplicates: 1, failures: [] });
  });

  it('reports a fork by the signer itself as the halt of its stream', () => {
    const first = new Ledger();
    const rival = new Ledger();
    const [one, two] = [first.report('gd', '2019-01', 10), first.report('gd', '2019-01', 20)];
    rival.report('gd', '2019-01', 10);
    const forked = { ...rival.report('gd', '2019-01', 30) };
    const auditor = new StreamAuditor(shape);
    feedAll(auditor, [one as Sealed, two as Sealed, forked as Sealed, first.report('gd', '2019-01', 40)]);
    expect(auditor.result().failures.map((failure) => [failure.offset, failure.reason])).toEqual([
      ['2', 'fork'],
      ['3', 'stream_halted'],
    ]);
  });

  it('lists a fork its side repaired as a repair, not a failure; the records between them still fail', () => {
    const first = new Ledger();
    const rival = new Ledger();
    const [one, two] = [first.report('gd', '2019-01', 10), first.report('gd', '2019-01', 20)];
    rival.report('gd', '2019-01', 10);
    const forked = rival.report('gd', '2019-01', 30);
    const between = new Ledger().report('gd', '2019-01', 35);
    const reason = 'a second writer after the failover';
    const repair = first.append('gd', '2019-01', 'stream.repaired', { fork: { topic: topic.gd, partition: 0, offset: '2', hash: forked.hash }, reason });
    const auditor = new StreamAuditor(shape);
    feedAll(auditor, [one, two, forked, between, repair, first.report('gd', '2019-01', 40)]);
    const result = auditor.result();
    expect(result.failures.map((failure) => [failure.offset, failure.reason])).toEqual([['3', 'stream_halted']]);
    expect(result.repairs).toEqual([
      {
        stream: 'gd/2019-01',
        fork: { topic: topic.gd, partition: 0, offset: '2', hash: forked.hash, detail: expect.stringContaining('a second, correctly signed version 2') },
        repair: { topic: topic.gd, partition: 0, offset: '4', eventId: repair.eventId, occurredAt: repair.occurredAt, userId: 'gd-coordinator', reason },
      },
    ]);
    expect(result).toMatchObject({ events: 6, verified: 4 });
    expect(result.streams.find((fold) => fold.itemId === '2019-01')?.state).toMatchObject({ streamVersion: 4, report: { progress: 40 } });
  });

  it('rejects a record that is not JSON without attributing it to a stream', () => {
    const auditor = new StreamAuditor(shape);
    auditor.feed(recordOf('{"itemId": "2019-', 7, { partition: 2 }));
    expect(auditor.result().failures).toEqual([expect.objectContaining({ partition: 2, offset: '7', stream: 'gd/?', reason: 'not_json' })]);
  });
});
