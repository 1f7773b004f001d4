import { randomUUID } from 'node:crypto';
import type { ItemEvent } from '@gdhk/domain';
import { GENESIS_HASH, generateSigningKey, sealEvent } from '@gdhk/integrity';
import { uuidV7Source } from '../src/ids.ts';
import { describe, expect, it } from 'vitest';
import { WriteModel } from '../src/write-model.ts';

const key = generateSigningKey('gd-test', 'gd');
const uuidv7 = uuidV7Source();

const START = Date.UTC(2025, 0, 1);

/** `count` status reports of one stream, `stepMs` apart from 2025-01-01T00:00:00Z on. */
function reports(count: number, itemId = '2019-01', userId = 'gd-coordinator', stepMs = 1000): ItemEvent[] {
  let prevHash = GENESIS_HASH;
  return Array.from({ length: count }, (_, index) => {
    const commandId = randomUUID();
    const sealed = sealEvent(
      {
        eventId: uuidv7(),
        type: 'item.status-reported',
        schemaVersion: 1,
        side: 'gd',
        itemId,
        streamVersion: index + 1,
        occurredAt: new Date(START + index * stepMs).toISOString(),
        actor: { userId, department: 'Planning', role: 'coordinator' },
        commandId,
        correlationId: randomUUID(),
        causationId: commandId,
        data: { status: 'in_progress', progress: index % 101, summary: `report ${index}` },
      },
      prevHash,
      key,
    );
    prevHash = sealed.hash;
    // As the log holds it (schema version 1, its own signature); the model takes either version.
    return sealed as unknown as ItemEvent;
  });
}

describe('WriteModel', () => {
  it('given events of its side, remembers each command with its stream position', () => {
    const model = new WriteModel({ side: 'gd', clock: () => START });
    const [first, second] = reports(2);
    if (!first || !second) throw new Error('fixture');
    expect(model.apply(first, JSON.stringify(first), { partition: 2, offset: '10' })).toBe(true);
    expect(model.apply(second, JSON.stringify(second))).toBe(true);
    expect(model.knowledge('2019-01')).toMatchObject({ own: { streamVersion: 2 }, ownLastHash: second.hash, integrity: null });
    expect(model.recordedCommand('gd-coordinator', first.commandId)).toMatchObject({ itemId: '2019-01', streamVersion: 1, position: { partition: 2, offset: '10' }, json: JSON.stringify(first) });
    expect(model.recordedCommand('someone-else', first.commandId)).toBeUndefined();
  });

  it('when the log delivers an event the write path applied, only its position is taken', () => {
    const model = new WriteModel({ side: 'gd', clock: () => START });
    const [event] = reports(1);
    if (!event) throw new Error('fixture');
    model.apply(event, JSON.stringify(event));
    expect(model.recordedCommand('gd-coordinator', event.commandId)?.position).toBeUndefined();
    expect(model.apply(event, JSON.stringify(event), { partition: 0, offset: '7' })).toBe(false);
    expect(model.eventCount).toBe(1);
    expect(model.recordedCommand('gd-coordinator', event.commandId)?.position).toEqual({ partition: 0, offset: '7' });
  });

  it('keeps the JSON of events only for the most recent commands', () => {
    const model = new WriteModel({ side: 'gd', recentResponses: 2, clock: () => START });
    const events = reports(3);
    events.forEach((event, index) => model.apply(event, JSON.stringify(event), { partition: 0, offset: String(index) }));
    const [oldest, middle, newest] = events.map((event) => model.recordedCommand('gd-coordinator', event.commandId));
    expect(oldest).toMatchObject({ streamVersion: 1, json: undefined, position: { partition: 0, offset: '0' } });
    expect(middle?.json).toBe(JSON.stringify(events[1]));
    expect(newest?.json).toBe(JSON.stringify(events[2]));
  });

  it('the other side\'s events are folded but are not commands of this side', () => {
    const model = new WriteModel({ side: 'hk', clock: () => START });
    const [event] = reports(1);
    if (!event) throw new Error('fixture');
    model.apply(event, JSON.stringify(event));
    expect(model.knowledge('2019-01')).toMatchObject({ own: { side: 'hk', streamVersion: 0 }, other: { side: 'gd', streamVersion: 1 } });
    expect(model.recordedCommand('gd-coordinator', event.commandId)).toBeUndefined();
  });

  it('a halted stream keeps its first fork, blocks both sides\' writes, and only its own side\'s repair ends it', () => {
    const gd = new WriteModel({ side: 'gd' });
    const hk = new WriteModel({ side: 'hk' });
    const first = { topic: 'gdhk.gd.events', partition: 2, offset: '7', hash: 'a'.repeat(64) };
    const second = { topic: 'gdhk.gd.events', partition: 2, offset: '9', hash: 'b'.repeat(64) };
    for (const model of [gd, hk]) {
      model.halt('2019-01', 'gd', { fork: first, detail: 'fork: a second version 1' });
      model.halt('2019-01', 'gd', { fork: second, detail: 'fork: later' });
    }
    expect(gd.knowledge('2019-01')).toMatchObject({ halt: first, integrity: expect.stringContaining(`gdhk.gd.events/2@7 (hash ${first.hash}): fork: a second version 1`) });
    expect(hk.knowledge('2019-01')).toMatchObject({ halt: null, integrity: expect.stringContaining('the GD stream of 2019-01 is halted') });
    expect(gd.haltedStreams()).toEqual(new Map([['fork', 1]]));

    const [report] = reports(1);
    if (!report) throw new Error('fixture');
    const repair = { ...report, eventId: '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a99', type: 'stream.repaired' as const, streamVersion: 2, data: { fork: first, reason: 'two writers after a failover' } };
    for (const model of [gd, hk]) {
      model.apply(report, JSON.stringify(report));
      model.apply(repair, JSON.stringify(repair));
      expect(model.knowledge('2019-01')).toMatchObject({ halt: null, integrity: null });
      expect(model.haltedStreams()).toEqual(new Map());
    }
  });

  describe('remembers commands for the idempotency window after their occurredAt', () => {
    const HOUR = 3_600_000;

    it('a key inside the window replays; one outside it is forgotten, exactly at the window', () => {
      let now = START;
      const model = new WriteModel({ side: 'gd', idempotencyWindowMs: HOUR, clock: () => now });
      const [event] = reports(1);
      if (!event) throw new Error('fixture');
      model.apply(event, JSON.stringify(event), { partition: 0, offset: '0' });
      now = START + HOUR - 1;
      expect(model.recordedCommand('gd-coordinator', event.commandId)).toMatchObject({ streamVersion: 1, json: JSON.stringify(event) });
      now = START + HOUR;
      expect(model.recordedCommand('gd-coordinator', event.commandId)).toBeUndefined();
    });

    it('a catch-up does not remember commands already outside the window', () => {
      const events = reports(10, '2019-01', 'gd-coordinator', 10 * 60_000);
      const model = new WriteModel({ side: 'gd', idempotencyWindowMs: HOUR, clock: () => START + 2 * HOUR });
      events.forEach((event, index) => model.apply(event, JSON.stringify(event), { partition: 0, offset: String(index) }));
      // 00:00 … 01:30; at 02:00 a window of one hour holds those after 01:00.
      expect(model.eventCount).toBe(10);
      expect(events.map((event) => model.recordedCommand('gd-coordinator', event.commandId) !== undefined)).toEqual([false, false, false, false, false, false, false, true, true, true]);
      expect(model.commandCount).toBe(3);
    });

    it('memory stays bounded: commands that age out are dropped, with their responses', () => {
      let now = START;
      const stepMs = 1000;
      const model = new WriteModel({ side: 'gd', idempotencyWindowMs: HOUR, recentResponses: 10_000, clock: () => now });
      const events = reports(3 * 3600, '2019-01', 'gd-coordinator', stepMs);
      let most = 0;
      events.forEach((event, index) => {
        now = START + index * stepMs;
        model.apply(event, JSON.stringify(event), { partition: 0, offset: String(index) });
        most = Math.max(most, model.commandCount);
      });
      // One command a second for three hours, an hour's window: 3,600 in it, and at most a
      // minute's more between two sweeps.
      expect(most).toBeLessThanOrEqual(3600 + 60);
      model.forgetExpired(now, true);
      expect(model.commandCount).toBe(3600);
      expect(model.recordedCommand('gd-coordinator', events.at(-3600)?.commandId ?? '')?.json).toBe(JSON.stringify(events.at(-3600)));
      expect(model.recordedCommand('gd-coordinator', events.at(-3601)?.commandId ?? '')).toBeUndefined();
    });
  });
});
