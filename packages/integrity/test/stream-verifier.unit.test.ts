import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateSigningKey, GENESIS_HASH, KeyRing, publicKeyEntry, sealEvent, StreamVerifier } from '../src/index.ts';
import type { FailureReason, StreamRecord, StreamVerification } from '../src/index.ts';
import { gdKey, recordOf, recordsOf, ring, sealChain, topicOf, unsealedEvent } from './fixtures.ts';
import type { TestEvent } from './fixtures.ts';

function outcomes(verifier: StreamVerifier, records: readonly StreamRecord[]): string[] {
  return records.map((record) => describeOutcome(verifier.verify(record)));
}

function describeOutcome(result: StreamVerification): string {
  return result.ok ? 'ok' : `${result.failure.reason}@${result.failure.offset}`;
}

describe('StreamVerifier', () => {
  it('accepts a valid chain and tracks its position', () => {
    const events = sealChain(3);
    const verifier = new StreamVerifier(ring);
    expect(outcomes(verifier, recordsOf(events))).toEqual(['ok', 'ok', 'ok']);
    expect(verifier.position('gd/2019-03')).toEqual({ lastVersion: 3, lastHash: events[2]?.hash });
    expect(verifier.position('hk/2019-03')).toBeUndefined();
  });

  it('reports where a stream broke and halts it, while other streams go on', () => {
    const [first, second, third] = sealChain(3);
    const other = sealChain(2, { itemId: '2019-04' });
    const tampered = { ...second, data: { status: 'completed', progress: 100, summary: 'done' } };
    const verifier = new StreamVerifier(ring);
    const records = recordsOf([first, other[0], tampered, third, other[1]], 'gd', 100);

    const results = records.map((record) => verifier.verify(record));
    expect(results.map(describeOutcome)).toEqual(['ok', 'ok', 'bad_hash@102', 'stream_halted@103', 'ok']);
    expect(results[2]).toEqual({
      ok: false,
      failure: {
        reason: 'bad_hash',
        detail: expect.stringMatching(/does not match the content/) as unknown,
        stream: 'gd/2019-03',
        topic: 'gdhk.gd.events',
        partition: 0,
        offset: '102',
      },
    });
    expect(results[3]).toMatchObject({ ok: false, failure: { detail: 'stream gd/2019-03 halted at gdhk.gd.events/0@102 (bad_hash)' } });
    expect(verifier.position('gd/2019-03')).toMatchObject({ lastVersion: 1, lastHash: first?.hash, halted: { reason: 'bad_hash', offset: '102' } });
  });

  it('names the stream by the topic\'s side, so a foreign event halts the stream it was injected into', () => {
    const hkEvent = sealChain(1, { side: 'hk' })[0];
    const verifier = new StreamVerifier(ring);
    expect(verifier.verify(recordOf(hkEvent, 'gd'))).toMatchObject({
      ok: false,
      failure: { reason: 'side_mismatch', stream: 'gd/2019-03', detail: 'a hk event on gd topic gdhk.gd.events' },
    });
    expect(verifier.verify(recordOf(sealChain(1)[0], 'gd', 1))).toMatchObject({ ok: false, failure: { reason: 'stream_halted' } });
    expect(verifier.verify(recordOf(hkEvent, 'hk'))).toMatchObject({ ok: true });
  });

  it('rejects an event signed with the other side\'s key as unknown_key', () => {
    const forged = sealEvent(unsealedEvent({ side: 'hk' }), GENESIS_HASH, { ...gdKey, side: 'hk' });
    expect(new StreamVerifier(ring).verify(recordOf(forged, 'hk'))).toMatchObject({
      ok: false,
      failure: { reason: 'unknown_key', detail: 'key gd-2025-01 belongs to side gd, not hk', stream: 'hk/2019-03' },
    });
  });

  it('reports a record that names no item without halting anything', () => {
    const verifier = new StreamVerifier(ring);
    expect(verifier.verify(recordOf('garbage'))).toMatchObject({
      ok: false,
      failure: { reason: 'malformed', stream: 'gd/?', detail: 'expected a JSON object, got "garbage"' },
    });
    expect(verifier.verify(recordOf({ itemId: 7 }))).toMatchObject({ ok: false, failure: { reason: 'malformed', stream: 'gd/?' } });
    expect(outcomes(verifier, recordsOf(sealChain(2), 'gd', 2))).toEqual(['ok', 'ok']);
    expect(verifier.snapshot()).toEqual({ streams: { 'gd/2019-03': expect.objectContaining({ lastVersion: 2 }) as unknown } });
  });

  it('halts a stream on a malformed event that names it', () => {
    const [first, second] = sealChain(2);
    const verifier = new StreamVerifier(ring);
    expect(outcomes(verifier, recordsOf([{ ...first, streamVersion: '1' }, second]))).toEqual(['malformed@0', 'stream_halted@1']);
  });

  it('calls a changed key id a bad signature when that key exists, and an unknown key when not', () => {
    const second = generateSigningKey('gd-2025-02', 'gd');
    const twoKeys = new KeyRing({ keys: [publicKeyEntry(gdKey), publicKeyEntry(second)] });
    const event = sealChain(1)[0] as TestEvent;
    const relabel = (keyId: string) => recordOf({ ...event, signature: { ...event.signature, keyId } });
    expect(new StreamVerifier(twoKeys).verify(relabel('gd-2025-02'))).toMatchObject({ ok: false, failure: { reason: 'bad_signature' } });
    expect(new StreamVerifier(twoKeys).verify(relabel('gd-2025-03'))).toMatchObject({ ok: false, failure: { reason: 'unknown_key' } });
  });

  it('resumes from a seed or a snapshot', () => {
    const events = sealChain(5);
    const first = new StreamVerifier(ring);
    expect(outcomes(first, recordsOf(events.slice(0, 3)))).toEqual(['ok', 'ok', 'ok']);

    const restored = new StreamVerifier(ring, { snapshot: JSON.parse(JSON.stringify(first.snapshot())) as never });
    expect(outcomes(restored, recordsOf(events.slice(3), 'gd', 3))).toEqual(['ok', 'ok']);

    const seeded = new StreamVerifier(ring);
    seeded.seed('gd/2019-03', { version: 4, hash: events[3]?.hash ?? '' });
    expect(outcomes(seeded, recordsOf(events.slice(4), 'gd', 4))).toEqual(['ok']);
  });

  it('keeps a halted stream halted across a snapshot, until seeded again', () => {
    const events = sealChain(3);
    const verifier = new StreamVerifier(ring);
    expect(outcomes(verifier, recordsOf([events[0], events[2]]))).toEqual(['ok', 'version_gap@1']);
    const restored = new StreamVerifier(ring, { snapshot: verifier.snapshot() });
    expect(outcomes(restored, recordsOf([events[1]], 'gd', 2))).toEqual(['stream_halted@2']);
    restored.seed('gd/2019-03', { version: 1, hash: events[0]?.hash ?? '' });
    expect(outcomes(restored, recordsOf([events[1], events[2]], 'gd', 3))).toEqual(['ok', 'ok']);
  });

  it('refuses a nonsensical seed or snapshot', () => {
    const verifier = new StreamVerifier(ring);
    expect(() => verifier.seed('2019-03', { version: 1, hash: GENESIS_HASH.replace(/0$/, '1') })).toThrowError(/stream must look like "gd\/2019-03"/);
    expect(() => verifier.seed('gd/2019-03', { version: -1, hash: GENESIS_HASH })).toThrowError(/non-negative integer/);
    expect(() => verifier.seed('gd/2019-03', { version: 2, hash: GENESIS_HASH })).toThrowError(/version 0 goes with GENESIS_HASH/);
    expect(() => new StreamVerifier(ring, { snapshot: { streams: { 'gd/2019-03': { lastVersion: 0, lastHash: GENESIS_HASH, halted: { reason: 'nope' } } } } as never }))
      .toThrowError(/halted\.reason: not a failure reason/);
  });

  it('with signatures deferred, still checks keys but leaves the Ed25519 check to the caller', () => {
    const event = sealChain(1)[0] as TestEvent;
    const otherSignature = sealChain(1, { key: generateSigningKey('gd-2025-01', 'gd') })[0]?.signature.value;
    const badSignature = { ...event, signature: { ...event.signature, value: otherSignature } };
    expect(new StreamVerifier(ring, { signatures: 'defer' }).verify(recordOf(badSignature))).toMatchObject({ ok: true });
    expect(new StreamVerifier(ring).verify(recordOf(badSignature))).toMatchObject({ ok: false, failure: { reason: 'bad_signature' } });
    const unknown = { ...event, signature: { ...event.signature, keyId: 'nobody' } };
    expect(new StreamVerifier(ring, { signatures: 'defer' }).verify(recordOf(unknown))).toMatchObject({ ok: false, failure: { reason: 'unknown_key' } });
  });
});

type Tampering =
  | { kind: 'delete'; index: number }
  | { kind: 'swap'; first: number; second: number }
  | { kind: 'duplicate'; source: number; at: number }
  | { kind: 'forge'; at: number; signer: 'unknown' | 'impostor' }
  | { kind: 'fork'; at: number }
  | { kind: 'cut'; from: number; to: number };

const rogueKey = generateSigningKey('gd-rogue', 'gd');
const impostorKey = generateSigningKey('gd-2025-01', 'gd');

/** The tampered stream, and the index in it of the first record that must fail, with the reason. */
function tamper(events: readonly TestEvent[], tampering: Tampering): { stream: TestEvent[]; firstBad: number; reason: FailureReason } {
  const stream = [...events];
  const at = (index: number) => events[index] as TestEvent;
  const forgedAt = (index: number, key: typeof gdKey) => sealEvent(
    { ...at(index), eventId: `forged-${index}`, data: { status: 'completed', progress: 100 } },
    index === 0 ? GENESIS_HASH : at(index - 1).hash,
    key,
  );
  switch (tampering.kind) {
    case 'delete':
      stream.splice(tampering.index, 1);
      return { stream, firstBad: tampering.index, reason: 'version_gap' };
    case 'swap':
      stream[tampering.first] = at(tampering.second);
      stream[tampering.second] = at(tampering.first);
      return { stream, firstBad: tampering.first, reason: 'version_gap' };
    case 'duplicate':
      stream.splice(tampering.at, 0, at(tampering.source));
      // A copy of the event that belongs right there passes; the original after it is the duplicate.
      return { stream, firstBad: tampering.source === tampering.at ? tampering.at + 1 : tampering.at, reason: 'version_gap' };
    case 'forge':
      stream.splice(tampering.at, 0, forgedAt(tampering.at, tampering.signer === 'unknown' ? rogueKey : impostorKey));
      return { stream, firstBad: tampering.at, reason: tampering.signer === 'unknown' ? 'unknown_key' : 'bad_signature' };
    case 'fork':
      // A validly signed alternative version: the chain breaks at the event after it.
      stream[tampering.at] = forgedAt(tampering.at, gdKey);
      return { stream, firstBad: tampering.at + 1, reason: 'broken_chain' };
    case 'cut':
      stream.splice(tampering.from, tampering.to - tampering.from);
      return { stream, firstBad: tampering.from, reason: 'version_gap' };
    default: {
      const _exhaustive: never = tampering;
      return _exhaustive;
    }
  }
}

function tamperingArbitrary(length: number): fc.Arbitrary<Tampering> {
  const index = (max: number) => fc.integer({ min: 0, max });
  return fc.oneof(
    index(length - 2).map((i): Tampering => ({ kind: 'delete', index: i })),
    fc.uniqueArray(index(length - 1), { minLength: 2, maxLength: 2 })
      .map(([a = 0, b = 0]): Tampering => ({ kind: 'swap', first: Math.min(a, b), second: Math.max(a, b) })),
    fc.record({ source: index(length - 1), at: index(length) }).map((t): Tampering => ({ kind: 'duplicate', ...t })),
    fc.record({ at: index(length - 1), signer: fc.constantFrom<'unknown' | 'impostor'>('unknown', 'impostor') })
      .map((t): Tampering => ({ kind: 'forge', ...t })),
    index(length - 2).map((i): Tampering => ({ kind: 'fork', at: i })),
    fc.uniqueArray(index(length - 1), { minLength: 2, maxLength: 2 })
      .map(([a = 0, b = 0]): Tampering => ({ kind: 'cut', from: Math.min(a, b), to: Math.max(a, b) })),
  );
}

describe('properties of chains', () => {
  const chains = new Map<number, TestEvent[]>();
  const chainOf = (length: number) => chains.get(length) ?? chains.set(length, sealChain(length)).get(length) as TestEvent[];
  const bystanders = sealChain(12, { side: 'gd', itemId: '2019-74' });

  // Interleaves the two streams as a partition would, keeping each stream's own order.
  const merge = (left: readonly unknown[], right: readonly unknown[], picks: readonly boolean[]) => {
    const merged: { value: unknown; fromLeft: boolean }[] = [];
    let l = 0;
    let r = 0;
    for (const pickLeft of picks) {
      if ((pickLeft && l < left.length) || r >= right.length) merged.push({ value: left[l++], fromLeft: true });
      else merged.push({ value: right[r++], fromLeft: false });
    }
    return merged;
  };

  it('(c) a valid chain verifies; deletion, swap, insertion, forgery, fork or cut is caught at the right offset', () => {
    const scenario = fc.integer({ min: 2, max: 12 }).chain((length) => fc.record({
      length: fc.constant(length),
      tampering: fc.option(tamperingArbitrary(length), { freq: 6 }),
      bystanderCount: fc.integer({ min: 0, max: 12 }),
      picks: fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
    }));
    fc.assert(fc.property(scenario, ({ length, tampering, bystanderCount, picks }) => {
      const events = chainOf(length);
      const expected = tampering === null ? undefined : tamper(events, tampering);
      const stream = expected?.stream ?? events;
      const log = merge(stream, bystanders.slice(0, bystanderCount), picks.slice(0, stream.length + bystanderCount));
      const verifier = new StreamVerifier(ring);

      let streamIndex = 0;
      let firstFailure: { index: number; reason: FailureReason; offset: string } | undefined;
      log.forEach(({ value, fromLeft }, offset) => {
        const result = verifier.verify({ topic: topicOf.gd, partition: 3, offset: String(offset), expectedSide: 'gd', value });
        if (!fromLeft) {
          expect(result.ok).toBe(true);
          return;
        }
        if (firstFailure === undefined && !result.ok) {
          firstFailure = { index: streamIndex, reason: result.failure.reason, offset: result.failure.offset };
          expect(result.failure).toMatchObject({ stream: 'gd/2019-03', partition: 3, offset: String(offset) });
        } else if (firstFailure !== undefined) {
          expect(result).toMatchObject({ ok: false, failure: { reason: 'stream_halted', offset: String(offset) } });
        } else {
          expect(result.ok).toBe(true);
        }
        streamIndex++;
      });

      if (expected === undefined) {
        expect(firstFailure).toBeUndefined();
        expect(verifier.position('gd/2019-03')).toEqual({ lastVersion: length, lastHash: events[length - 1]?.hash });
      } else {
        expect(firstFailure).toMatchObject({ index: expected.firstBad, reason: expected.reason });
      }
      expect(verifier.position('gd/2019-74')?.halted).toBeUndefined();
    }), { numRuns: 1000 });
  });
});
