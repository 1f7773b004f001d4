import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devAuthKeys, issueToken, type HttpApp } from '@gdhk/http';
import { generateSigningKey, publicKeyEntry } from '@gdhk/integrity';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSideApp } from '../src/app.ts';
import { CommandHandler } from '../src/command-handler.ts';
import { WriterUnavailable } from '../src/log-writer.ts';
import { WriteModel } from '../src/write-model.ts';

// The HTTP edge without Kafka: requests are inject()ed, writes find the log unavailable.
describe('side service app', () => {
  const keysDir = mkdtempSync(join(tmpdir(), 'gdhk-side-app-'));
  const signingKey = generateSigningKey('gd-unit', 'gd');
  let app: HttpApp;
  let token: (sub: string) => Promise<string>;

  beforeAll(async () => {
    const { privateKey, publicKey } = await devAuthKeys(keysDir);
    token = (sub) => issueToken(privateKey, { sub, side: 'gd', roles: ['coordinator'], issuer: 'gdhk-dev', audience: 'gdhk' });
    const model = new WriteModel({ side: 'gd' });
    const handler = new CommandHandler({
      side: 'gd',
      model,
      writer: { session: async () => Promise.reject(new WriterUnavailable('no broker in a unit test', false)), settle: async () => Promise.reject(new WriterUnavailable('no broker in a unit test', false)) },
      topic: 'gd',
      newId: () => '01936f0e-0000-7000-8000-000000000000',
      now: () => '2025-01-01T00:00:00.000Z',
      readEvent: async () => Promise.reject(new Error('no log')),
    });
    app = await buildSideApp({
      side: 'gd',
      logger: pino({ level: 'silent' }),
      handler,
      model,
      auth: { publicKey, issuer: 'gdhk-dev', audience: 'gdhk' },
      bodyLimit: 64 * 1024,
      rateLimitPerMinute: 3,
      publicKeys: [publicKeyEntry(signingKey)],
    });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(keysDir, { recursive: true, force: true });
  });

  it('limits requests per user, not per address', async () => {
    const alice = await token('alice');
    const bob = await token('bob');
    const get = (bearer: string) => app.inject({ method: 'GET', url: '/v1/items/2019-01', headers: { authorization: `Bearer ${bearer}` } });
    for (let i = 0; i < 3; i += 1) expect((await get(alice)).statusCode).toBe(200);
    const limited = await get(alice);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ code: 'GDHK_RATE_LIMITED', status: 429 });
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect((await get(bob)).statusCode).toBe(200);
  });

  it('a write answers 503 with Retry-After when the log is unavailable', async () => {
    const answer = await app.inject({
      method: 'POST',
      url: '/v1/items/2019-02/status',
      headers: { authorization: `Bearer ${await token('carol')}`, 'idempotency-key': 'unit-test-key-1' },
      payload: { status: 'in_progress', progress: 5, summary: 'x' },
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.headers['retry-after']).toBe('2');
    expect(answer.json()).toMatchObject({ code: 'GDHK_LOG_UNAVAILABLE' });
  });

  it('publishes the side\'s public signing keys without a token', async () => {
    const answer = await app.inject({ method: 'GET', url: '/v1/keys' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toEqual({ keys: [publicKeyEntry(signingKey)] });
  });
});
