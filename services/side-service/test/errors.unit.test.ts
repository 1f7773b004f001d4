import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devAuthKeys, HttpProblem, issueToken, type HttpApp } from '@gdhk/http';
import { generateSigningKey, publicKeyEntry } from '@gdhk/integrity';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSideApp } from '../src/app.ts';
import { COMMAND_ERROR_CODES, CommandError, type CommandErrorCode } from '../src/errors.ts';
import { WriteModel } from '../src/write-model.ts';

/** What each refusal of the write path answered when the command handler still threw HttpProblem. */
const ANSWERS: Record<CommandErrorCode, { status: number; title: string; retryAfter?: string }> = {
  GDHK_STREAM_INTEGRITY: { status: 409, title: 'Conflict' },
  GDHK_VERSION_MISMATCH: { status: 412, title: 'Precondition Failed' },
  GDHK_IDEMPOTENCY_KEY_REUSED: { status: 422, title: 'Unprocessable Content' },
  GDHK_IDEMPOTENCY_IN_FLIGHT: { status: 409, title: 'Conflict' },
  GDHK_WRITER_FENCED: { status: 503, title: 'Service Unavailable', retryAfter: '2' },
  GDHK_LOG_UNAVAILABLE: { status: 503, title: 'Service Unavailable', retryAfter: '2' },
  GDHK_WRITE_OUTCOME_UNKNOWN: { status: 503, title: 'Service Unavailable', retryAfter: '2' },
};

function commandError(code: CommandErrorCode, detail: string): CommandError {
  return ANSWERS[code].retryAfter === undefined ? new CommandError(code as 'GDHK_VERSION_MISMATCH', detail) : new CommandError(code as 'GDHK_LOG_UNAVAILABLE', detail, { retryAfterSeconds: Number(ANSWERS[code].retryAfter) });
}

// The command handler throws coded errors; only the HTTP edge makes them problems.
describe('the write path\'s refusals at the HTTP edge', () => {
  const keysDir = mkdtempSync(join(tmpdir(), 'gdhk-side-errors-'));
  let thrown: Error = new Error('unset');
  let app: HttpApp;
  let bearer: string;

  beforeAll(async () => {
    const { privateKey, publicKey } = await devAuthKeys(keysDir);
    bearer = await issueToken(privateKey, { sub: 'alice', side: 'gd', roles: ['coordinator'], issuer: 'gdhk-dev', audience: 'gdhk' });
    app = await buildSideApp({
      side: 'gd',
      logger: pino({ level: 'silent' }),
      handler: { execute: () => Promise.reject(thrown) },
      model: new WriteModel({ side: 'gd' }),
      auth: { publicKey, issuer: 'gdhk-dev', audience: 'gdhk' },
      bodyLimit: 64 * 1024,
      rateLimitPerMinute: 1000,
      publicKeys: [publicKeyEntry(generateSigningKey('gd-unit', 'gd'))],
    });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(keysDir, { recursive: true, force: true });
  });

  const answer = async (error: Error, language: string) => {
    thrown = error;
    const reply = await app.inject({
      method: 'POST',
      url: '/v1/items/2019-01/status',
      headers: { authorization: `Bearer ${bearer}`, 'idempotency-key': 'errors-unit-key', 'accept-language': language, 'x-correlation-id': 'c-1' },
      payload: { status: 'in_progress', progress: 5, summary: 'x' },
    });
    // Everything but what differs between any two requests: the date and the rate limit's count.
    const { date: _date, 'x-ratelimit-remaining': _remaining, ...headers } = reply.headers;
    return { status: reply.statusCode, headers, body: reply.body };
  };

  it.each(COMMAND_ERROR_CODES)('%s answers as the HttpProblem it replaced, in every language', async (code) => {
    const { status, title, retryAfter } = ANSWERS[code];
    const detail = `the specifics of ${code}`;
    for (const language of ['en', 'zh-Hant', 'zh-Hans']) {
      const coded = await answer(commandError(code, detail), language);
      expect(coded).toEqual(await answer(new HttpProblem(status, code, title, detail, undefined, retryAfter === undefined ? {} : { 'retry-after': retryAfter }), language));
      expect(coded.status).toBe(status);
      expect(coded.headers['retry-after']).toBe(retryAfter);
      expect(JSON.parse(coded.body)).toMatchObject({ code, status, instance: 'c-1' });
    }
  });

  it.each(COMMAND_ERROR_CODES)('%s has a sentence in Chinese', async (code) => {
    const detail = `the specifics of ${code}`;
    for (const language of ['zh-Hant', 'zh-Hans']) {
      const body = JSON.parse((await answer(commandError(code, detail), language)).body) as { detail: string };
      expect(body.detail.endsWith(`（${detail}）`)).toBe(true);
      expect(body.detail.slice(0, -detail.length - 2)).toMatch(/^.*\p{Script=Han}.*$/u);
    }
  });
});
