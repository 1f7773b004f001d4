import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { readKeyRingFile, verifyInclusionProof } from '@gdhk/integrity';
import { call, runAudit, spawnInstance, useSystem, uuidV7, waitForCaughtUp } from '@gdhk/tests/support';

// Issue 12, item 3: joint-api serves the proof `audit prove` writes, from the read model, for
// every event the side services wrote; across a rebuild of the read model too.
describe('GET /v1/events/{eventId}/proof', () => {
  const ctx = useSystem('proofapi', ['gd-service', 'hk-service', 'projection', 'joint-api'], {
    tokens: { gd: ['gd', 'coordinator'], hk: ['hk', 'coordinator'], secretariat: ['joint', 'secretariat'], auditor: ['joint', 'auditor'] },
    writer: true,
  });
  const dir = mkdtempSync(join(tmpdir(), 'gdhk-proofapi-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const report = async (side: 'gd' | 'hk', itemId: string, progress: number): Promise<Record<string, unknown>> => {
    const answer = await call(`${ctx.system.url(side === 'gd' ? 'gd-service' : 'hk-service')}/v1/items/${itemId}/status`, {
      token: ctx.tokens[side],
      headers: { 'idempotency-key': randomUUID() },
      body: { status: 'in_progress', progress, summary: `${side} ${itemId} at ${progress}` },
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  };
  const proofOf = (eventId: string, token = ctx.tokens.secretariat) => call(`${ctx.system.url('joint-api')}/v1/events/${eventId}/proof`, { token });
  const items = Array.from({ length: 30 }, (_, n) => `2019-${String(n + 1).padStart(2, '0')}`);
  const written: Record<string, unknown>[] = [];
  /** The proof keys' bytes in Redis (MEMORY USAGE, every field counted), and how many seals and events they hold. */
  const proofBytes = async (generation: string) => {
    const redis = new Redis(ctx.infra.redisUrl);
    try {
      // packages/readmodel, keys.ts: a generation's proof-seals and proof-events hashes.
      const [seals, events] = [`${ctx.infra.prefix}:rm:${generation}:proof-seals`, `${ctx.infra.prefix}:rm:${generation}:proof-events`];
      const bytes = async (key: string) => Number((await redis.call('MEMORY', 'USAGE', key, 'SAMPLES', '0')) ?? 0);
      return { bytes: (await bytes(seals)) + (await bytes(events)), seals: await redis.hlen(seals), events: await redis.hlen(events) };
    } finally {
      redis.disconnect();
    }
  };
  const ring = () => readKeyRingFile(join(ctx.system.keysDir, 'keyset.json'));

  it('serves every written event a proof the offline verifier accepts, equal to what `audit prove` writes', async () => {
    // One event per transaction: writes one after another.
    for (let n = 0; n < 150; n++) written.push(await report(n % 3 === 0 ? 'hk' : 'gd', items[n % items.length] ?? '2019-01', n % 100));
    await waitForCaughtUp(ctx.infra, 'v1');
    const serial = await proofBytes('v1');
    // Many events per transaction: waves of parallel writes share group commits.
    for (let wave = 0; wave < 3; wave++) {
      written.push(...(await Promise.all(items.flatMap((itemId, n) => [report('gd', itemId, (wave * 7 + n) % 100), report('gd', itemId, (wave * 7 + n + 1) % 100), report('hk', itemId, (wave * 5 + n) % 100)]))));
    }
    await waitForCaughtUp(ctx.infra, 'v1');
    const all = await proofBytes('v1');
    const parallel = { bytes: all.bytes - serial.bytes, seals: all.seals - serial.seals, events: all.events - serial.events };
    // The figure docs/decisions.md gives: Redis bytes the proofs add per event.
    console.info(`[proof bytes] one event per seal: ${serial.bytes} B for ${serial.events} events (${(serial.bytes / serial.events).toFixed(0)} B/event); group commits: ${parallel.bytes} B for ${parallel.events} events under ${parallel.seals} seals (${(parallel.bytes / parallel.events).toFixed(0)} B/event)`);
    expect(serial).toMatchObject({ seals: 150, events: 150 });
    expect(all.events).toBe(written.length);
    expect(parallel.seals, 'the parallel writes shared transactions').toBeLessThan(parallel.events);

    const keyRing = ring();
    const served = new Map<string, unknown>();
    for (const event of written) {
      const eventId = String(event.eventId);
      const answer = await proofOf(eventId);
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      expect(verifyInclusionProof(answer.body, keyRing)).toMatchObject({ ok: true });
      // The event exactly as the side service answered it (its JSON as the log holds it).
      expect(answer.body.event).toEqual(event);
      served.set(eventId, answer.body);
    }

    // `audit prove` replays the whole log per event: a handful, of both sides, serial and grouped writes.
    const sample = [written[0], written[1], written[149], written[150], written[152], written.at(-1)];
    for (const event of sample) {
      const eventId = String(event?.eventId);
      const file = join(dir, `${eventId}.json`);
      const proved = await runAudit({ brokers: ctx.infra.brokers, prefix: ctx.infra.prefix, keysDir: ctx.system.keysDir, command: 'prove', args: ['--event', eventId, '--out', file] });
      expect(proved.status, proved.stderr).toBe(0);
      expect(served.get(eventId)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    }
    // Auditors read it too; no token, no proof.
    expect((await proofOf(String(written[0]?.eventId), ctx.tokens.auditor)).status).toBe(200);
    expect((await call(`${ctx.system.url('joint-api')}/v1/events/${String(written[0]?.eventId)}/proof`)).status).toBe(401);
  }, 240_000);

  it('answers 404 for an unknown event and for one of schema version 1, 400 for a malformed id', async () => {
    const unknown = await proofOf(uuidV7());
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(unknown.body).toMatchObject({ status: 404, code: 'GDHK_EVENT_NOT_FOUND' });

    // Written straight to the log the way events were before sealed commits: signed on its own.
    const [old] = await ctx.writer.write('gd', [{ itemId: '2019-40', type: 'item.status-reported', data: { status: 'in_progress', progress: 5, summary: 'version 1' } }]);
    await waitForCaughtUp(ctx.infra, 'v1');
    const versionOne = await proofOf(String(old?.eventId));
    expect(versionOne.status).toBe(404);
    expect(versionOne.body).toMatchObject({ code: 'GDHK_EVENT_NOT_SEALED', detail: expect.stringContaining('schema version 1') });

    const malformed = await proofOf('not-an-event-id');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ status: 400 });
  });

  it('serves the same proofs from a new generation once it took over (a rebuild from the log)', async () => {
    const before = new Map<string, unknown>();
    for (const event of written.slice(0, 40)) before.set(String(event.eventId), (await proofOf(String(event.eventId))).body);
    const green = await spawnInstance(ctx.infra, ctx.system, 'projection', { GDHK_READ_MODEL_GENERATION: 'green', GDHK_READ_MODEL_SWITCH: 'takeover' });
    try {
      await waitForCaughtUp(ctx.infra, 'green', 120_000);
      const redis = new Redis(ctx.infra.redisUrl);
      try {
        expect(await redis.get(`${ctx.infra.prefix}:rm:current`)).toBe('green');
      } finally {
        redis.disconnect();
      }
      // Every sealed event, and the mark of the version 1 one.
      expect((await proofBytes('green')).events).toBe(written.length + 1);
      const keyRing = ring();
      for (const event of written) {
        const answer = await proofOf(String(event.eventId));
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        expect(verifyInclusionProof(answer.body, keyRing)).toMatchObject({ ok: true });
        const earlier = before.get(String(event.eventId));
        if (earlier) expect(answer.body).toEqual(earlier);
      }
    } finally {
      await green.stop();
    }
  }, 240_000);
});
