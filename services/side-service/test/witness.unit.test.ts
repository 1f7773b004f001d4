import { buildCheckpoint, generateSigningKey, GENESIS_HASH, KeyRing, parseCheckpoint, publicKeyEntry, sha256Hex, verifyCheckpoint, type Checkpoint } from '@gdhk/integrity';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Witness, type AloneWriter } from '../src/witness.ts';

const key = generateSigningKey('hk-unit', 'hk');
const ring = new KeyRing({ keys: [publicKeyEntry(key)] });

/** A writer session that keeps what it committed; `fail` makes its next write fail. */
class Session implements AloneWriter {
  readonly written: { topic: string; partition: number; key: string; value: string }[] = [];
  fail = false;
  async writeAlone(record: { topic: string; partition: number; key: string; value: string }): Promise<void> {
    if (this.fail) throw new Error('fenced');
    this.written.push(record);
  }
}

function subject(state: { heads: Map<number, { sequence: number; hash: string }>; session: Session; fold?: Checkpoint }) {
  return new Witness({
    side: 'hk',
    topic: 't.hk.events',
    partitions: 3,
    intervalMs: 0,
    otherSealHead: (partition) => state.heads.get(partition),
    checkpointHead: () => state.fold,
    session: async () => state.session,
    sign: async (input) => buildCheckpoint(input, key),
    now: () => '2026-12-01T04:00:00.000Z',
    logger: pino({ level: 'silent' }),
  });
}

const written = (session: Session): Checkpoint[] =>
  session.written.map((record) => {
    const parsed = parseCheckpoint(JSON.parse(record.value));
    if (!parsed.ok) throw new Error(parsed.detail);
    return parsed.value;
  });

describe('Witness: cosigned checkpoints of the other side', () => {
  it('cosigns the other side\'s heads to partition 0 of its own topic, chained, only when they changed', async () => {
    const state = { heads: new Map<number, { sequence: number; hash: string }>(), session: new Session() };
    const witness = subject(state);
    expect(await witness.tick()).toBeUndefined();
    state.heads.set(2, { sequence: 1, hash: sha256Hex('gd 2/1') });
    state.heads.set(0, { sequence: 3, hash: sha256Hex('gd 0/3') });
    const first = await witness.tick();
    expect(first).toMatchObject({ side: 'hk', observedSide: 'gd', sequence: 1, prevHash: GENESIS_HASH, heads: [{ partition: 0, sequence: 3, sealHash: sha256Hex('gd 0/3') }, { partition: 2, sequence: 1, sealHash: sha256Hex('gd 2/1') }] });
    expect(state.session.written[0]).toMatchObject({ topic: 't.hk.events', partition: 0, key: 'gdhk.checkpoint' });
    // No traffic on the other side: nothing new to cosign.
    expect(await witness.tick()).toBeUndefined();
    state.heads.set(0, { sequence: 4, hash: sha256Hex('gd 0/4') });
    const second = await witness.tick();
    expect(second).toMatchObject({ sequence: 2, prevHash: first?.hash });
    expect(written(state.session).map((checkpoint) => verifyCheckpoint(checkpoint, ring).ok)).toEqual([true, true]);
  });

  it('a new session (a restart, or after a failed write) chains on from what the fold read, never from a write that failed', async () => {
    const state: { heads: Map<number, { sequence: number; hash: string }>; session: Session; fold?: Checkpoint } = { heads: new Map([[1, { sequence: 7, hash: sha256Hex('gd 1/7') }]]), session: new Session() };
    const earlier = buildCheckpoint({ side: 'hk', observedSide: 'gd', sequence: 5, prevHash: sha256Hex('4'), observedAt: '2026-12-01T03:00:00.000Z', heads: [{ partition: 1, sequence: 6, sealHash: sha256Hex('gd 1/6') }] }, key);
    state.fold = earlier;
    const witness = subject(state);
    const sixth = await witness.tick();
    expect(sixth).toMatchObject({ sequence: 6, prevHash: earlier.hash });
    // The write fails (fenced, or the broker went): it may or may not have landed.
    state.heads.set(1, { sequence: 8, hash: sha256Hex('gd 1/8') });
    state.session.fail = true;
    expect(await witness.tick()).toBeUndefined();
    // The next session's resync read the log: here the failed one did not land, so the fold holds the sixth.
    state.session = new Session();
    state.fold = sixth;
    expect(await witness.tick()).toMatchObject({ sequence: 7, prevHash: sixth?.hash });
  });

  it('never cosigns less than its last checkpoint did (a fold still reading the other side\'s topic)', async () => {
    const state: { heads: Map<number, { sequence: number; hash: string }>; session: Session; fold?: Checkpoint } = { heads: new Map([[0, { sequence: 2, hash: sha256Hex('gd 0/2') }]]), session: new Session() };
    state.fold = buildCheckpoint({ side: 'hk', observedSide: 'gd', sequence: 1, prevHash: GENESIS_HASH, observedAt: '2026-12-01T03:00:00.000Z', heads: [{ partition: 0, sequence: 3, sealHash: sha256Hex('gd 0/3') }, { partition: 1, sequence: 1, sealHash: sha256Hex('gd 1/1') }] }, key);
    const witness = subject(state);
    expect(await witness.tick()).toBeUndefined();
    state.heads.set(0, { sequence: 4, hash: sha256Hex('gd 0/4') });
    expect(await witness.tick()).toBeUndefined();
    state.heads.set(1, { sequence: 1, hash: sha256Hex('gd 1/1') });
    expect(await witness.tick()).toMatchObject({ sequence: 2, heads: [{ partition: 0, sequence: 4 }, { partition: 1, sequence: 1 }] });
    expect(state.session.written).toHaveLength(1);
  });

  it('no session: nothing written, nothing thrown', async () => {
    const witness = new Witness({
      side: 'hk',
      topic: 't.hk.events',
      partitions: 1,
      intervalMs: 0,
      otherSealHead: () => ({ sequence: 1, hash: sha256Hex('x') }),
      checkpointHead: () => undefined,
      session: () => Promise.reject(new Error('no writer session')),
      sign: async (input) => buildCheckpoint(input, key),
      now: () => new Date().toISOString(),
      logger: pino({ level: 'silent' }),
    });
    await expect(witness.tick()).resolves.toBeUndefined();
    witness.start();
    await witness.stop();
  });
});
