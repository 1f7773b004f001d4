import { describe, expect, it } from 'vitest';
import { buildCommitSeal, GENESIS_HASH, hashCommittedEvent, KeyRing, verifyInclusionProof } from '@gdhk/integrity';
import { Prover } from '../src/prove.ts';
import { keys, keySet, Ledger, recordOf, shape, uuidV7, type Sealed } from './fixtures.ts';

/** A version 2 GD transaction on partition 0: one new stream per item, linked by commit.prev, and its seal. */
function transaction(itemIds: string[], prevSeal = GENESIS_HASH, sequence = 1) {
  let prev = prevSeal;
  const events = itemIds.map((itemId, index) => {
    const commandId = uuidV7();
    const event = hashCommittedEvent(
      { eventId: uuidV7(), type: 'item.status-reported', schemaVersion: 2, side: 'gd', itemId, streamVersion: 1, occurredAt: `2025-03-01T00:00:0${index}.000Z`, actor: { userId: 'gd-staff', department: 'Commerce', role: 'staff' }, commandId, correlationId: commandId, causationId: commandId, data: { status: 'in_progress', progress: 10 + index, summary: 'on track' } },
      GENESIS_HASH,
      prev,
    );
    prev = event.hash;
    return event as unknown as Sealed;
  });
  const seal = buildCommitSeal({ side: 'gd', topic: shape.topics.gd, partition: 0, sequence, prevHash: prevSeal, eventHashes: events.map((event) => event.hash), sealedAt: '2025-03-01T00:00:09.000Z' }, keys.gd);
  return { events, seal };
}

describe('audit prove', () => {
  it('proves each event of a sealed transaction with a proof that verifies on its own', () => {
    const { events, seal } = transaction(['2019-01', '2019-02', '2019-03']);
    const records = [...events.map((event, offset) => recordOf(event, offset)), recordOf(JSON.stringify(seal), events.length, { timestamp: String(Date.parse(seal.sealedAt)) })];
    events.forEach((event, index) => {
      const prover = new Prover(shape, keySet, event.eventId as string);
      let decided = false;
      for (const record of records) decided = prover.read(record);
      expect(decided).toBe(true);
      const search = prover.result();
      if (!search.found) throw new Error(`${search.reason}: ${search.detail}`);
      expect(search.proof.leafIndex).toBe(index);
      expect(search.proof.event).toEqual(JSON.parse(JSON.stringify(event)));
      expect(search.seal).toEqual({ topic: shape.topics.gd, partition: 0, offset: '3' });
      expect(verifyInclusionProof(JSON.parse(JSON.stringify(search.proof)), new KeyRing(keySet))).toMatchObject({ ok: true });
    });
  });

  it('says why there is no proof: an event signed on its own, one no seal covers, one not in the log', () => {
    const v1 = new Ledger().report('gd', '2019-04');
    const signedOnItsOwn = new Prover(shape, keySet, v1.eventId as string);
    signedOnItsOwn.read(recordOf(v1, 0));
    expect(signedOnItsOwn.result()).toMatchObject({ found: false, reason: 'not_sealed' });

    // The events of a transaction whose seal never came: held, never proven.
    const { events } = transaction(['2019-05']);
    const unsealed = new Prover(shape, keySet, events[0]?.eventId as string);
    unsealed.read(recordOf(events[0]!, 0));
    expect(unsealed.result()).toMatchObject({ found: false, reason: 'not_in_log' });

    expect(new Prover(shape, keySet, uuidV7()).result()).toMatchObject({ found: false, reason: 'not_in_log' });
  });

  it('never proves an event under a seal that does not verify (signed with the other side\'s key)', () => {
    const { events, seal } = transaction(['2019-06']);
    // Signed by HK's key over a GD seal's fields: built as an HK seal, then relabelled.
    const hkSeal = buildCommitSeal({ side: 'hk', topic: shape.topics.gd, partition: 0, sequence: 1, prevHash: GENESIS_HASH, eventHashes: events.map((event) => event.hash), sealedAt: seal.sealedAt }, keys.hk);
    const forged = { ...hkSeal, side: 'gd' };
    const prover = new Prover(shape, keySet, events[0]?.eventId as string);
    prover.read(recordOf(events[0]!, 0));
    prover.read(recordOf(JSON.stringify(forged), 1, { timestamp: String(Date.parse(seal.sealedAt)) }));
    expect(prover.result()).toMatchObject({ found: false });
  });
});
