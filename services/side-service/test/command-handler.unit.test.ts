import { describe, expect, it } from 'vitest';
import { parseEvent, type Command } from '@gdhk/domain';
import { GENESIS_HASH, hashCommittedEvent } from '@gdhk/integrity';
import { CommandHandler, type CommandRequest } from '../src/command-handler.ts';
import { CommandError } from '../src/errors.ts';
import { NotWritten, WriterUnavailable, type EventDrafts, type WriterSession } from '../src/log-writer.ts';
import { WriteModel } from '../src/write-model.ts';

/**
 * A writer whose transactions fail as the test says, and whose `settle` plays the log: it
 * folds into the model what the test says landed. Every event offered to a transaction is kept,
 * hashed as the group commit would (version 2, the first of its partition's transaction).
 */
function harness(script: { publish: ('ok' | 'timeout' | 'not-written')[]; landed: boolean[]; settle?: 'ok' | 'fail' }) {
  // One clock for the handler's `now` and the model's idempotency window, as in server.ts.
  let clock = Date.parse('2025-01-01T00:00:00.000Z');
  const model = new WriteModel({ side: 'gd', idempotencyWindowMs: 24 * 3_600_000, clock: () => clock });
  const offered: string[][] = [];
  let settles = 0;
  let ids = 0;
  const session = {
    publish: async (drafts: EventDrafts) => {
      let prev = drafts.prevHash;
      let commitPrev = GENESIS_HASH;
      const values = drafts.events.map((draft) => {
        const event = hashCommittedEvent(draft, prev, commitPrev);
        prev = commitPrev = event.hash;
        return JSON.stringify(event);
      });
      offered.push(values);
      drafts.onSending?.(values);
      const outcome = script.publish[offered.length - 1] ?? 'ok';
      // A commit that failed: it may have reached the coordinator.
      if (outcome === 'timeout') throw new Error('Request EndTxn(key: 26) timed out');
      if (outcome === 'not-written') throw new NotWritten('uncommitted', new Error('Failed to send messages: broker went away'));
      return values;
    },
  } as unknown as WriterSession;
  const handler = new CommandHandler({
    side: 'gd',
    model,
    writer: {
      session: async () => session,
      settle: async () => {
        const attempt = offered.length - 1;
        settles += 1;
        if (script.settle === 'fail') throw new WriterUnavailable('the event log is unavailable (no brokers)', false);
        if (script.landed[attempt]) for (const value of offered[attempt] ?? []) model.apply(parseEvent(JSON.parse(value)), value, { partition: 0, offset: String(attempt) });
      },
    },
    topic: 'gd',
    newId: () => `01936f0e-0000-7000-8000-${String(++ids).padStart(12, '0')}`,
    now: () => new Date(clock).toISOString(),
    readEvent: async () => Promise.reject(new Error('no log')),
    settleTimeoutMs: 1000,
  });
  const request: CommandRequest = {
    principal: { userId: 'alice', side: 'gd', department: 'Planning', roles: ['coordinator'] },
    idempotencyKey: 'key-1',
    correlationId: 'c-1',
    expectedVersion: undefined,
    command: (meta): Command => ({ type: 'reportStatus', itemId: '2019-01', data: { status: 'in_progress', progress: 10, summary: 'x' }, meta }),
  };
  return {
    model,
    offered,
    handler,
    request,
    settles: () => settles,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('a write whose transaction failed is answered from the log, never guessed', () => {
  it('landed after all: answered with the event that was sent, and nothing is sent again', async () => {
    const { handler, request, offered, model, settles } = harness({ publish: ['timeout'], landed: [true] });
    const result = await handler.execute('2019-01', request);
    expect(offered).toHaveLength(1);
    expect(settles()).toBe(1);
    expect(result.replayed).toBe(false);
    expect(result.json).toBe(offered[0]?.[0]);
    expect(result.event).toMatchObject({ schemaVersion: 2, commit: { prev: GENESIS_HASH } });
    expect(JSON.parse(result.json)).not.toHaveProperty('signature');
    expect(model.knowledge('2019-01').own.streamVersion).toBe(1);
  });

  it('not in the log: decided again on the settled model and written once', async () => {
    const { handler, request, offered, model } = harness({ publish: ['timeout', 'ok'], landed: [false] });
    const result = await handler.execute('2019-01', request);
    expect(offered).toHaveLength(2);
    const [first, second] = offered.map((values) => JSON.parse(values[0] ?? '{}') as { eventId: string; streamVersion: number });
    expect(second?.streamVersion).toBe(1);
    expect(second?.eventId).not.toBe(first?.eventId);
    expect(result.event.eventId).toBe(second?.eventId);
    expect(model.knowledge('2019-01').own.streamVersion).toBe(1);
  });

  it('certainly not written (failed before its commit was requested): decided again without waiting on the log', async () => {
    const { handler, request, offered, settles } = harness({ publish: ['not-written', 'ok'], landed: [] });
    const result = await handler.execute('2019-01', request);
    expect(settles()).toBe(0);
    expect(offered).toHaveLength(2);
    expect(result.event.eventId).toBe(JSON.parse(offered[1]?.[0] ?? '{}').eventId);
  });

  it('Kafka cannot say: 503 GDHK_WRITE_OUTCOME_UNKNOWN, not "nothing was written"', async () => {
    const { handler, request, offered } = harness({ publish: ['timeout'], landed: [], settle: 'fail' });
    const failure = await handler.execute('2019-01', request).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CommandError);
    expect(failure).toMatchObject({ kind: 'unavailable', code: 'GDHK_WRITE_OUTCOME_UNKNOWN', retryAfterSeconds: 2 });
    expect(offered).toHaveLength(1);
  });

  it('keeps failing: 503 GDHK_LOG_UNAVAILABLE after three attempts, each settled as absent', async () => {
    const { handler, request, offered, model } = harness({ publish: ['timeout', 'timeout', 'timeout', 'ok'], landed: [false, false, false] });
    const failure = await handler.execute('2019-01', request).catch((error: unknown) => error);
    expect(failure).toMatchObject({ kind: 'unavailable', code: 'GDHK_LOG_UNAVAILABLE', retryAfterSeconds: 2 });
    expect(offered).toHaveLength(3);
    expect(model.knowledge('2019-01').own.streamVersion).toBe(0);
  });
});

describe('an Idempotency-Key replays for the idempotency window after its event, and only then', () => {
  it('inside the window: the first response again, nothing written; after it: a new request, written once', async () => {
    const { handler, request, offered, model, advance } = harness({ publish: [], landed: [] });
    const first = await handler.execute('2019-01', request);
    advance(24 * 3_600_000 - 1);
    const replay = await handler.execute('2019-01', request);
    expect(replay).toMatchObject({ replayed: true, json: first.json });
    expect(offered).toHaveLength(1);
    advance(1);
    const again = await handler.execute('2019-01', request);
    expect(again.replayed).toBe(false);
    expect(again.event).toMatchObject({ streamVersion: 2, commandId: request.idempotencyKey });
    expect(offered).toHaveLength(2);
    expect(model.recordedCommand('alice', request.idempotencyKey)?.streamVersion).toBe(2);
  });
});
