import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { conditionalGetPlugin } from '../src/conditional.ts';

describe('conditional GET', () => {
  const app = Fastify();
  let body = { value: 1 };
  app.register(conditionalGetPlugin);
  app.register(async (scoped) => {
    scoped.get('/tagged', { config: { etag: true } }, async () => body);
    scoped.get('/plain', async () => body);
  });
  afterAll(() => app.close());

  it('tags the bytes sent and answers 304 to a matching If-None-Match (weak comparison, lists, *)', async () => {
    const first = await app.inject({ url: '/tagged' });
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    for (const field of [etag, `W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await app.inject({ url: '/tagged', headers: { 'if-none-match': field } });
      expect(again.statusCode, field).toBe(304);
      expect(again.body).toBe('');
    }
    expect((await app.inject({ url: '/tagged', headers: { 'if-none-match': '"other"' } })).statusCode).toBe(200);
    body = { value: 2 };
    const changed = await app.inject({ url: '/tagged', headers: { 'if-none-match': etag } });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
  });

  it('leaves routes without the option alone', async () => {
    expect((await app.inject({ url: '/plain' })).headers.etag).toBeUndefined();
  });
});
