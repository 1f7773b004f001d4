import { randomUUID } from 'node:crypto';
import type { ItemEvent } from '@gdhk/domain';
import type { LogRecord } from '@gdhk/eventlog';
import { GENESIS_HASH, generateSigningKey, KeyRing, publicKeyEntry, sealEvent, type SigningKey } from '@gdhk/integrity';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { uuidV7Source } from '../src/ids.ts';
import { LogFold } from '../src/log-fold.ts';
import { WriteModel } from '../src/write-model.ts';

const gdKey = generateSigningKey('gd-1', 'gd');
const hkKey = generateSigningKey('hk-1', 'hk');
const impostor = generateSigningKey('gd-1', 'gd');
const ring = new KeyRing({ keys: [publicKeyEntry(gdKey), publicKeyEntry(hkKey)] });
const topics = { gd: 'gd.events', hk: 'hk.events' };
const shape = { topics, ring, isItem: (itemId: string) => /^2019-\d{2}$/.test(itemId), partitionOf: () => 0 };
const newId = uuidV7Source();

/** A stream of status reports, hash-chained; `signWith` picks the key per version. */
function stream(side: 'gd' | 'hk', itemId: string, count: number, signWith: (version: number) => SigningKey = () => (side === 'gd' ? gdKey : hkKey)): ItemEvent[] {
  let prevHash = GENESIS_HASH;
  return Array.from({ length: count }, (_, index) => {
    const commandId = randomUUID();
    const sealed = sealEvent(
      {
        eventId: newId(),
        type: 'item.status-reported',
        schemaVersion: 1,
        side,
        itemId,
        streamVersion: index + 1,
        occurredAt: new Date(Date.UTC(2025, 0, 1, 0, 0, index)).toISOString(),
        actor: { userId: `${side}-user`, department: 'Planning', role: 'coordinator' },
        commandId,
        correlationId: commandId,
        causationId: commandId,
        data: { status: 'in_progress', progress: index, summary: `report ${index}` },
      },
      prevHash,
      signWith(index + 1),
    );
    prevHash = sealed.hash;
    // As the log holds it (schema version 1, its own signature); the model takes either version.
    return sealed as unknown as ItemEvent;
  });
}

let offset = 0;
const recordOf = (event: ItemEvent, json = JSON.stringify(event)): LogRecord => ({
  topic: topics[event.side],
  partition: 0,
  offset: String(offset++),
  key: event.itemId,
  value: Buffer.from(json),
  // the broker's append time: when the event occurred
  timestamp: String(Date.parse(event.occurredAt)),
});

function subject(side: 'gd' | 'hk' = 'gd') {
  const model = new WriteModel({ side, clock: () => Date.UTC(2025, 0, 1) });
  const rejected: string[] = [];
  const fold = new LogFold({ side, shape, model, logger: pino({ level: 'silent' }), onRejected: (reason) => rejected.push(reason) });
  return { model, fold, rejected };
}

describe('LogFold', () => {
  it('given both sides\' verified streams, folds them and remembers this side\'s commands with their log position', () => {
    const { model, fold } = subject();
    fold.finishCatchUp();
    const gd = stream('gd', '2019-01', 3);
    fold.onRecords([...gd, ...stream('hk', '2019-01', 2)].map((event) => recordOf(event)));
    expect(model.knowledge('2019-01')).toMatchObject({ own: { streamVersion: 3 }, other: { streamVersion: 2 }, integrity: null });
    expect(model.recordedCommand('gd-user', gd[0]?.commandId ?? '')?.position).toEqual({ partition: 0, offset: expect.any(String) });
  });

  it("an event signed with a key not its side's is quarantined: nothing changes, the item stays writable, the genuine event still applies", () => {
    const { model, fold, rejected } = subject();
    fold.finishCatchUp();
    const genuine = stream('gd', '2019-02', 3);
    const forged = stream('gd', '2019-02', 3, (version) => (version === 2 ? impostor : gdKey));
    fold.onRecords([genuine[0], forged[1], forged[2]].map((event) => recordOf(event as ItemEvent)));
    expect(model.knowledge('2019-02')).toMatchObject({ own: { streamVersion: 1 }, integrity: null });
    expect(rejected).toEqual(['bad_signature', 'version_gap']);
    fold.onRecords([genuine[1], genuine[2]].map((event) => recordOf(event as ItemEvent)));
    expect(model.knowledge('2019-02').own.streamVersion).toBe(3);
  });

  it('catching up, every signature is checked: a re-chained forgery is quarantined where it starts', () => {
    const { model, fold, rejected } = subject();
    // The forger re-chains everything after their event but cannot sign with the side's key.
    fold.onRecords(stream('gd', '2019-03', 4, (version) => (version >= 2 ? impostor : gdKey)).map((event) => recordOf(event)));
    fold.onRecords(stream('gd', '2019-04', 4).map((event) => recordOf(event)));
    expect(fold.finishCatchUp()).toEqual({ streams: 2 });
    expect(model.knowledge('2019-03')).toMatchObject({ own: { streamVersion: 1 }, integrity: null });
    expect(model.knowledge('2019-04').own.streamVersion).toBe(4);
    expect(rejected).toEqual(['bad_signature', 'version_gap', 'version_gap']);
  });

  it('a missing version is quarantined, not a halt', () => {
    const { model, fold, rejected } = subject();
    const [first, , third] = stream('gd', '2019-05', 3);
    if (!first || !third) throw new Error('fixture');
    fold.onRecords([recordOf(first), recordOf(third)]);
    expect(model.knowledge('2019-05')).toMatchObject({ own: { streamVersion: 1 }, integrity: null });
    expect(rejected).toEqual(['version_gap']);
  });

  it("a fork by the side's own key halts its stream and the item", () => {
    const { model, fold } = subject();
    const [first, second] = stream('gd', '2019-09', 2);
    const rival = stream('gd', '2019-09', 2)[1];
    if (!first || !second || !rival) throw new Error('fixture');
    // The rival v2 chains to another v1 (other event ids): correctly signed, another history.
    fold.onRecords([recordOf(first), recordOf(second), recordOf(rival)]);
    expect(model.knowledge('2019-09')).toMatchObject({ own: { streamVersion: 2 }, integrity: expect.stringMatching(/is halted by .*: fork: /) });
  });

  it('counts live writes to its own side that this process did not make', () => {
    const { fold } = subject();
    fold.onRecords(stream('gd', '2019-07', 2).map((event) => recordOf(event)));
    fold.finishCatchUp();
    expect(fold.foreignWrites()).toBe(0);
    const [ours, unacknowledged, theirs] = stream('gd', '2019-08', 3);
    if (!ours || !unacknowledged || !theirs) throw new Error('fixture');
    fold.expect(ours, JSON.stringify(ours));
    fold.expect(unacknowledged, JSON.stringify(unacknowledged));
    fold.forget(JSON.stringify(unacknowledged));
    fold.onRecords([recordOf(ours), recordOf(unacknowledged), ...stream('hk', '2019-08', 1).map((event) => recordOf(event))]);
    expect(fold.foreignWrites()).toBe(0);
    fold.onRecords([recordOf(theirs)]);
    expect(fold.foreignWrites()).toBe(1);
  });

  it('an echo of our own write is applied as sent; a tampered copy of it is verified and quarantined', () => {
    const { model, fold } = subject();
    fold.finishCatchUp();
    const [first, second] = stream('gd', '2019-06', 2);
    if (!first || !second) throw new Error('fixture');
    const json = JSON.stringify(first);
    fold.expect(first, json);
    fold.onRecords([recordOf(first, json)]);
    expect(fold.pendingEchoes).toBe(0);
    expect(model.knowledge('2019-06').own.streamVersion).toBe(1);

    const sent = JSON.stringify(second);
    fold.expect(second, sent);
    const tampered = { ...second, data: { ...second.data, progress: 99 } };
    fold.onRecords([recordOf(second, JSON.stringify(tampered))]);
    expect(model.knowledge('2019-06')).toMatchObject({ own: { streamVersion: 1 }, integrity: null });
    fold.onRecords([recordOf(second, sent)]);
    expect(model.knowledge('2019-06').own.streamVersion).toBe(2);
  });
});
