import { randomUUID, sign } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { topicNames } from '@gdhk/config';
import { generateSigningKey, hashCommittedEvent, readSigningKeyFile } from '@gdhk/integrity';
import { call, readCommitted, runAudit, useSystem, writeCopy, writtenFor, type LoggedRecord, type TopicRecord } from '@gdhk/tests/support';

type Json = Record<string, unknown>;

// Tampering with a sealed (version 2) log, by someone without the side's key: every change is
// caught at the seal, and what the seal does cover still verifies.
describe('tamper evidence in a sealed log', () => {
  const ctx = useSystem('sealed-tamper', ['gd-service', 'hk-service'], { tokens: { gd: ['gd', 'coordinator'], hk: ['hk', 'coordinator'] } });
  let copies = 0;

  const copy = (gd: readonly TopicRecord[], hk: readonly TopicRecord[]) => writeCopy(ctx.infra.brokers, `${ctx.infra.prefix}-copy${++copies}`, gd, hk);
  const audit = (prefix: string) => runAudit({ brokers: ctx.infra.brokers, prefix, keysDir: ctx.system.keysDir });

  it('catches a deleted, an inserted and a rewritten event, a forged seal, a reordered batch and a missing seal, and verifies the rest', async () => {
    const topics = topicNames(ctx.infra.prefix).side;
    const assign = (side: 'gd' | 'hk', itemId: string, department: string) =>
      call(`${ctx.system.url(side === 'gd' ? 'gd-service' : 'hk-service')}/v1/items/${itemId}/assignments`, { method: 'POST', token: ctx.tokens[side], headers: { 'idempotency-key': randomUUID() }, body: { department } });
    // Parallel writes share a group commit: wait for a GD seal over several events of one partition.
    let gdLog: LoggedRecord[] = [];
    for (let round = 0; round < 10; round++) {
      const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => assign('gd', `2019-${String(index + 1).padStart(2, '0')}`, ['Planning', 'Lands', 'Finance'][round % 3] ?? 'Planning')));
      for (const answer of answers) expect([201, 409], JSON.stringify(answer.body)).toContain(answer.status);
      gdLog = await readCommitted(ctx.infra.brokers, [topics.gd]);
      if (gdLog.some((record) => (record.value as Json).kind === 'gdhk.seal' && ((record.value as Json).count as number) >= 3)) break;
    }
    expect((await assign('hk', '2019-20', 'Planning')).status).toBe(201);
    const hkLog = await readCommitted(ctx.infra.brokers, [topics.hk]);
    const keyOf = (side: 'gd' | 'hk') => readSigningKeyFile(join(ctx.system.keysDir, `signing-${side}.json`), side);
    const eventsIn = (records: readonly LoggedRecord[]) => records.filter((record) => (record.value as Json).kind === undefined).length;
    const sealOf = gdLog.find((record) => (record.value as Json).kind === 'gdhk.seal' && ((record.value as Json).count as number) >= 3);
    if (!sealOf) throw new Error('no GD transaction of three events or more on one partition in ten rounds of parallel writes');
    // The middle event of that transaction: on the seal's partition, just before the seal's last two.
    const ofTransaction = gdLog.filter((record) => record.partition === sealOf.partition && record.offset < sealOf.offset).slice(-((sealOf.value as Json).count as number));
    const victim = ofTransaction[1] as LoggedRecord;

    const gdTopic = (prefix: string) => `${prefix}.gd.events`;
    // Each copy's logs are written for its own topic names.
    const hkFor = (n: number) => writtenFor(hkLog, `${ctx.infra.prefix}-copy${n}.hk.events`, keyOf('hk'));
    const gdFor = (n: number, edit?: (event: Json) => Json) => writtenFor(gdLog, gdTopic(`${ctx.infra.prefix}-copy${n}`), keyOf('gd'), edit ? { edit } : {});

    // The copy itself, re-sealed by the key holder: verifies whole.
    const clean = await copy(gdFor(copies + 1), hkFor(copies + 1));
    const run = await audit(clean);
    expect(run.status, run.stderr).toBe(0);
    expect(run.report.verification).toMatchObject({ events: eventsIn(gdLog) + eventsIn(hkLog), verified: eventsIn(gdLog) + eventsIn(hkLog), failures: [] });
    expect(run.report.verification.seals.verified).toBe(gdLog.length + hkLog.length - eventsIn(gdLog) - eventsIn(hkLog));

    // One event deleted: its seal no longer walks back over `count` events; none of them applies.
    // (A failed seal also breaks the partition's seal chain for every later seal: the partition's
    // later transactions are left out so that the count below is exact.)
    const upToSeal = (record: TopicRecord) => record.partition !== sealOf.partition || Number(record.offset) <= Number(sealOf.offset);
    const deleted = gdFor(copies + 1).filter(upToSeal).filter((record) => !(record.partition === victim.partition && record.offset === String(victim.offset)));
    const deletedRun = await audit(await copy(deleted, hkFor(copies + 1)));
    expect(deletedRun.status).toBe(1);
    const deletedFailures = deletedRun.report.verification.failures as { reason: string; partition: number }[];
    expect(deletedFailures.filter((failure) => failure.reason === 'bad_seal')).toHaveLength(1);
    expect(deletedFailures.filter((failure) => failure.reason === 'unsealed').length).toBe(((sealOf.value as Json).count as number) - 1);

    // A forged event slipped into the transaction, hashed right and linked to the event before it:
    // not on the seal's walk, so quarantined `unsealed`; every genuine event still verifies.
    const base = gdFor(copies + 1);
    const before = base.find((record) => record.partition === victim.partition && record.offset === String(victim.offset)) as TopicRecord;
    const genuine = JSON.parse(before.value ?? '{}') as Json;
    const { hash: _hash, prevHash, commit, ...content } = genuine;
    const forged = hashCommittedEvent({ ...content, eventId: '01900000-0000-7000-8000-00000000f0f0', data: { department: 'Forgery Office' } }, prevHash as string, (commit as { prev: string }).prev);
    const inserted = base.flatMap((record) => (record === before ? [{ ...record, value: JSON.stringify(forged) }, record] : [record]));
    const insertedRun = await audit(await copy(inserted, hkFor(copies + 1)));
    expect(insertedRun.status).toBe(1);
    expect(insertedRun.report.verification.failures).toEqual([expect.objectContaining({ reason: 'unsealed', partition: victim.partition })]);
    expect(insertedRun.report.verification.verified).toBe(eventsIn(gdLog) + eventsIn(hkLog));

    // An event rewritten and every hash after it made to follow, by someone without the key: the
    // genuine seal no longer covers the events (bad_seal), none of them applies. (The partition's
    // later transactions are left out: they would chain on a seal only the key holder can sign.)
    const n = copies + 1;
    const genuineSeal = gdFor(n).find((record) => record.partition === sealOf.partition && record.offset === String(sealOf.offset)) as TopicRecord;
    const rewritten = gdFor(n, (event) => (event.eventId === (victim.value as Json).eventId ? { ...event, data: { department: 'Forgery Office' } } : event))
      .filter(upToSeal)
      .map((record) => (record.partition === sealOf.partition && record.offset === String(sealOf.offset) ? genuineSeal : record));
    const rewrittenRun = await audit(await copy(rewritten, hkFor(n)));
    expect(rewrittenRun.status).toBe(1);
    const rewrittenFailures = rewrittenRun.report.verification.failures as { reason: string; partition: number }[];
    expect(rewrittenFailures.filter((failure) => failure.reason === 'bad_seal')).toHaveLength(1);
    expect(rewrittenFailures.filter((failure) => failure.reason === 'unsealed' && failure.partition === sealOf.partition)).toHaveLength((sealOf.value as Json).count as number);

    // The same transaction, each time up to its seal: the seal forged, the batch reordered, the seal removed.
    const count = (sealOf.value as Json).count as number;
    const atSeal = (record: TopicRecord) => record.partition === sealOf.partition && record.offset === String(sealOf.offset);
    const failuresOf = async (gd: TopicRecord[], m: number) => {
      const tampered = await audit(await copy(gd, hkFor(m)));
      expect(tampered.status).toBe(1);
      return tampered.report.verification.failures as { reason: string; partition: number; detail: string }[];
    };
    const byReason = (failures: { reason: string }[]) => failures.reduce<Record<string, number>>((counts, { reason }) => ({ ...counts, [reason]: (counts[reason] ?? 0) + 1 }), {});

    // (d) A forged seal: the genuine seal's content under a signature of a key the key set does not list.
    const forger = generateSigningKey('gd-forger', 'gd');
    const m1 = copies + 1;
    const forgedSeal = gdFor(m1)
      .filter(upToSeal)
      .map((record) => {
        if (!atSeal(record)) return record;
        const seal = JSON.parse(record.value ?? '{}') as Json;
        const value = sign(null, Buffer.from(seal.hash as string, 'utf8'), forger.privateKey).toString('base64url');
        return { ...record, value: JSON.stringify({ ...seal, signature: { keyId: forger.keyId, alg: 'Ed25519', value } }) };
      });
    const forgedFailures = await failuresOf(forgedSeal, m1);
    expect(byReason(forgedFailures)).toEqual({ bad_seal: 1, unsealed: count });
    expect(forgedFailures.find((failure) => failure.reason === 'bad_seal')?.detail).toMatch(/^unknown_key/);

    // (e) The sealed batch reordered: its first two events swap places in the log.
    const m2 = copies + 1;
    const [first, second] = ofTransaction as [LoggedRecord, LoggedRecord];
    const swapped = gdFor(m2)
      .filter(upToSeal)
      .map((record, _, all) => {
        const other = record.partition !== sealOf.partition ? undefined : record.offset === String(first.offset) ? second : record.offset === String(second.offset) ? first : undefined;
        const moved = other && all.find((candidate) => candidate.partition === sealOf.partition && candidate.offset === String(other.offset));
        return moved ? { ...moved, offset: record.offset } : record;
      });
    const swappedFailures = await failuresOf(swapped, m2);
    expect(byReason(swappedFailures)).toEqual({ bad_seal: 1, unsealed: count });
    expect(swappedFailures.find((failure) => failure.reason === 'bad_seal')?.detail).toMatch(/^count_mismatch/);

    // (f) The seal removed: its events wait for a seal that never comes, and the audit says so at the end.
    const m3 = copies + 1;
    const missingFailures = await failuresOf(gdFor(m3).filter(upToSeal).filter((record) => !atSeal(record)), m3);
    expect(byReason(missingFailures)).toEqual({ unsealed: count });
  }, 360_000);
});
