import { describe, expect, it } from 'vitest';
import { StreamLedger, type Verdict } from '../src/index.ts';
import { BASE, Folds, hkKey, recordOf, resign, retiredGdKey, shape, StreamWriter, topics, verifyRecord, type Sealed } from './fixtures.ts';

/** A consumer of the package: a ledger and the domain folds it guards. */
function consumer() {
  const ledger = new StreamLedger();
  const folds = new Folds();
  return {
    ledger,
    folds,
    feed: (value: unknown, overrides: Parameters<typeof recordOf>[1] = {}): Verdict => verifyRecord(recordOf(value, overrides), shape, ledger, { accept: folds.accept }),
  };
}
const kindAndReason = (verdict: Verdict) => (verdict.kind === 'quarantined' ? `quarantined:${verdict.reason}` : verdict.kind === 'halted' ? `halted:${verdict.halt.reason}` : verdict.kind);

describe('verifyRecord: the rules for hostile records', () => {
  it('applies a genuine stream in order', () => {
    const { feed, folds } = consumer();
    const stream = new StreamWriter('gd', '2019-05');
    for (let index = 0; index < 3; index += 1) expect(kindAndReason(feed(stream.append()))).toBe('applied');
    expect(folds.states.get('gd/2019-05')?.streamVersion).toBe(3);
  });

  // Each hostile record is quarantined with its reason, changes nothing, and the genuine next
  // event still applies — on the same item.
  const hostile: [name: string, reason: string, make: (stream: StreamWriter) => { value: unknown; overrides?: Parameters<typeof recordOf>[1] }][] = [
    ['a one-byte record', 'not_json', () => ({ value: 'x', overrides: { key: '2019-05', partition: 2 } })],
    ['no value (a tombstone)', 'not_json', () => ({ value: '', overrides: { key: '2019-05', partition: 2, value: null } })],
    ['bytes that are not UTF-8', 'not_json', () => ({ value: '', overrides: { key: '2019-05', partition: 2, value: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) } })],
    ['a record nested 6,000 arrays deep', 'over_limit', (stream) => ({ value: JSON.stringify({ ...stream.next(), data: { summary: '['.repeat(6000) } }).replace('"' + '['.repeat(6000) + '"', '['.repeat(6000) + ']'.repeat(6000)), overrides: { key: '2019-05', partition: 2 } })],
    ['a record over the byte limit', 'over_limit', (stream) => ({ value: { ...stream.next(), padding: 'x'.repeat(70_000) } })],
    ['an envelope without a hash', 'malformed', (stream) => ({ value: { ...stream.next(), hash: undefined } })],
    ['the content altered after sealing', 'bad_hash', (stream) => ({ value: { ...stream.next(), data: { status: 'completed', progress: 100, summary: 'forged' } } })],
    ['a forged next version (a garbage signature)', 'bad_signature', (stream) => ({ value: { ...stream.next(), signature: { keyId: 'gd-2026-01', alg: 'Ed25519', value: 'A'.repeat(86) } } })],
    ["an event signed with the other side's key", 'foreign_key', (stream) => ({ value: resign(stream.next(), hkKey) })],
    ['an unknown key', 'unknown_key', (stream) => ({ value: { ...stream.next(), signature: { keyId: 'gd-9999', alg: 'Ed25519', value: 'A'.repeat(86) } } })],
    ['a retired key signing a back-dated event', 'clock_skew', (stream) => ({ value: stream.next({ key: retiredGdKey, at: BASE - 2 * 86_400_000 }), overrides: { timestamp: String(BASE + 5000) } })],
    ['a GD event on the HK topic', 'side_mismatch', (stream) => ({ value: stream.next(), overrides: { topic: topics.hk } })],
    ['a record key that is not the itemId', 'key_mismatch', (stream) => ({ value: stream.next(), overrides: { key: '2019-08' } })],
    ['a record on the wrong partition', 'wrong_partition', (stream) => ({ value: stream.next(), overrides: { partition: 0 } })],
    ['a version past the next one', 'version_gap', (stream) => ({ value: stream.next({ version: stream.version + 2 }) })],
    ['an event the schema refuses', 'schema', (stream) => ({ value: stream.next({ data: { status: 'exploded', progress: 10, summary: 'x' } }) })],
    ['an event occurring before the previous one', 'time_regression', (stream) => ({ value: stream.next({ at: stream.at - 60_000 }) })],
    ];
  for (const [name, reason, make] of hostile) {
    it(`${name} → quarantined as ${reason}; the genuine next event applies`, () => {
      const { feed, folds } = consumer();
      const stream = new StreamWriter('gd', '2019-05');
      expect(kindAndReason(feed(stream.append()))).toBe('applied');
      const before = structuredClone(folds.states.get('gd/2019-05'));
      const { value, overrides } = make(stream);
      const verdict = feed(value, overrides);
      expect(kindAndReason(verdict)).toBe(`quarantined:${reason}`);
      if (verdict.kind === 'quarantined') {
        expect(verdict.detail.length).toBeGreaterThan(0);
        expect(verdict.itemId).toBe(reason === 'key_mismatch' ? '2019-08' : '2019-05');
      }
      expect(folds.states.get('gd/2019-05')).toEqual(before);
      expect(kindAndReason(feed(stream.append()))).toBe('applied');
      expect(folds.states.get('gd/2019-05')?.streamVersion).toBe(2);
    });
  }

  it('an event the consumer cannot apply is quarantined as rejected; its stream does not advance', () => {
    const ledger = new StreamLedger();
    const stream = new StreamWriter('gd', '2019-05');
    const first = stream.next();
    const refuse = () => 'the fold refuses it';
    expect(kindAndReason(verifyRecord(recordOf(first), shape, ledger, { accept: refuse }))).toBe('quarantined:rejected');
    const boom = () => {
      throw new Error('a defect in the fold');
    };
    expect(verifyRecord(recordOf(first), shape, ledger, { accept: boom })).toMatchObject({ kind: 'quarantined', reason: 'rejected', detail: expect.stringContaining('a defect in the fold') });
    expect(ledger.head('gd/2019-05').version).toBe(0);
    expect(kindAndReason(verifyRecord(recordOf(first), shape, ledger))).toBe('applied');
  });

  it('an exact duplicate of the head is a no-op; a copy of an older event is stale', () => {
    const { feed, folds } = consumer();
    const stream = new StreamWriter('gd', '2019-05');
    const first = stream.append();
    feed(first);
    const second = stream.append();
    feed(second);
    expect(kindAndReason(feed(second))).toBe('duplicate');
    expect(kindAndReason(feed(first))).toBe('quarantined:stale_version');
    expect(folds.states.get('gd/2019-05')?.streamVersion).toBe(2);
    expect(kindAndReason(feed(stream.append()))).toBe('applied');
  });

  it('a genuine event replayed into another item, side or partition is quarantined there and halts nothing', () => {
    const { feed, ledger } = consumer();
    const stream = new StreamWriter('gd', '2019-05');
    const event = stream.append();
    feed(event);
    expect(kindAndReason(feed(event, { key: '2019-08', partition: 2 }))).toBe('quarantined:key_mismatch');
    expect(kindAndReason(feed(event, { topic: topics.hk }))).toBe('quarantined:side_mismatch');
    expect(kindAndReason(feed(event, { partition: 1 }))).toBe('quarantined:wrong_partition');
    // A copy appended again later: the broker's time is past the skew from occurredAt.
    expect(kindAndReason(feed(event, { timestamp: String(Date.parse(event.occurredAt) + 10 * 60_000) }))).toBe('quarantined:clock_skew');
    expect([...ledger.streams()].every(([, head]) => head.halted === undefined)).toBe(true);
  });

  it('a fork by the signer itself halts the stream; only a repair could lift it', () => {
    const { feed } = consumer();
    const stream = new StreamWriter('gd', '2019-05');
    const first = stream.append();
    feed(first);
    const second = stream.next({ summary: 'one history' });
    const rival = stream.next({ summary: 'another history' });
    expect(kindAndReason(feed(second))).toBe('applied');
    const halted = feed(rival);
    expect(kindAndReason(halted)).toBe('halted:fork');
    stream.commit(second);
    expect(kindAndReason(feed(stream.append()))).toBe('quarantined:stream_halted');
  });

  it('a halted stream takes only its repair: the next version on the head before the fork, naming the forking record', () => {
    const { feed, folds } = consumer();
    const stream = new StreamWriter('gd', '2019-05');
    feed(stream.append());
    const rival = stream.next({ version: 1, summary: 'another first report' });
    const halted = feed(rival);
    if (halted.kind !== 'halted') throw new Error(`expected a halt, got ${kindAndReason(halted)}`);
    expect(halted.halt.hash).toBe(rival.hash);
    const fork = { ...halted.halt.where, hash: rival.hash };
    const repair = (data: Record<string, unknown>, options: Parameters<StreamWriter['next']>[0] = {}) => stream.next({ type: 'stream.repaired', data, ...options });
    const reason = 'a second writer after a failover';

    // An ordinary event, or a repair of another record, or one not on the head, stays out.
    expect(kindAndReason(feed(stream.next()))).toBe('quarantined:stream_halted');
    const wrong = feed(repair({ fork: { ...fork, hash: 'cd'.repeat(32) }, reason }));
    expect(wrong).toMatchObject({ kind: 'quarantined', reason: 'stream_halted', detail: expect.stringContaining('not the forking record') });
    expect(kindAndReason(feed(repair({ fork: { ...fork, offset: '999999' }, reason })))).toBe('quarantined:stream_halted');
    expect(kindAndReason(feed(repair({ fork, reason }, { prevHash: rival.hash })))).toBe('quarantined:stream_halted');
    // Signed by someone else, or with a broken signature: never a repair.
    expect(kindAndReason(feed(resign(repair({ fork, reason }), hkKey)))).toBe('quarantined:foreign_key');
    const forged = resign(repair({ fork, reason }), hkKey);
    expect(kindAndReason(feed({ ...forged, signature: { ...(forged.signature as object), keyId: 'gd-2026-01' } }))).toBe('quarantined:bad_signature');
    expect(folds.states.get('gd/2019-05')?.streamVersion).toBe(1);

    const theRepair = stream.commit(repair({ fork, reason }));
    const repaired = feed(theRepair);
    expect(repaired).toMatchObject({ kind: 'repaired', halt: { reason: 'fork', hash: rival.hash }, event: { type: 'stream.repaired', streamVersion: 2, data: { fork, reason } } });
    expect(folds.states.get('gd/2019-05')?.streamVersion).toBe(2);
    // The stream goes on from the repair; the repair read again is a duplicate, the fork stays out.
    expect(kindAndReason(feed(theRepair))).toBe('duplicate');
    expect(kindAndReason(feed(rival))).toBe('quarantined:stale_version');
    expect(kindAndReason(feed(stream.append()))).toBe('applied');
    expect(folds.states.get('gd/2019-05')?.streamVersion).toBe(3);
  });

  it('a repair of a stream that is not halted is rejected and changes nothing', () => {
    const { feed, folds } = consumer();
    const stream = new StreamWriter('gd', '2019-05');
    feed(stream.append());
    const verdict = feed(stream.next({ type: 'stream.repaired', data: { fork: { topic: topics.gd, partition: 2, offset: '1', hash: 'ab'.repeat(32) }, reason: 'nothing forked' } }));
    expect(verdict).toMatchObject({ kind: 'quarantined', reason: 'rejected', detail: expect.stringContaining('not halted') });
    expect(kindAndReason(feed(stream.append()))).toBe('applied');
    expect(folds.states.get('gd/2019-05')?.streamVersion).toBe(2);
  });

  it('a signed next version chained to another previous hash is a fork', () => {
    const { feed } = consumer();
    const stream = new StreamWriter('gd', '2019-05');
    feed(stream.append());
    expect(kindAndReason(feed(stream.next({ prevHash: 'ab'.repeat(32) })))).toBe('halted:fork');
  });

  it('records of one item never affect another stream', () => {
    const { feed, folds } = consumer();
    const other = new StreamWriter('gd', '2019-08');
    feed(other.append());
    feed('x', { key: '2019-05', partition: 2 });
    expect(kindAndReason(feed(other.append()))).toBe('applied');
    expect(folds.states.get('gd/2019-08')?.streamVersion).toBe(2);
  });

  it('a value of the wrong type anywhere is named', () => {
    const { feed } = consumer();
    const stream = new StreamWriter('hk', '2019-06');
    const verdict = feed({ ...(stream.next() as Sealed), streamVersion: '1' });
    expect(verdict).toMatchObject({ kind: 'quarantined', reason: 'malformed', detail: expect.stringContaining('streamVersion') });
  });
});
