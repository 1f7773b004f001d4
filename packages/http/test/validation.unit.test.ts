import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { validatorCompiler } from '../src/validation.ts';

async function app() {
  const server = Fastify({ logger: false });
  server.setValidatorCompiler(validatorCompiler);
  const plain = z.object({ 'accept-language': z.string().optional(), 'if-none-match': z.string().optional() });
  const transformed = z.object({ 'x-count': z.coerce.number().int().default(7), 'x-name': z.string().transform((name) => name.toUpperCase()).optional() });
  const seen = (request: { headers: Record<string, unknown>; raw: { headers: object } }) => ({ same: request.headers === request.raw.headers, headers: request.headers });
  server.get('/plain', { schema: { headers: plain } }, async (request) => seen(request));
  server.get('/transformed', { schema: { headers: transformed } }, async (request) => seen(request));
  await server.ready();
  return server;
}

describe('header validation', () => {
  it('leaves the received headers as they are when the schema changed none of them', async () => {
    const server = await app();
    const response = await server.inject({ url: '/plain', headers: { 'accept-language': 'en', 'if-none-match': '"x"', authorization: 'Bearer t' } });
    expect(response.json()).toMatchObject({ same: true, headers: { 'accept-language': 'en', 'if-none-match': '"x"', authorization: 'Bearer t' } });
    expect((await server.inject({ url: '/plain' })).json()).toMatchObject({ same: true });
  });

  it('lays what a schema transformed or defaulted over the received headers', async () => {
    const server = await app();
    const response = await server.inject({ url: '/transformed', headers: { 'x-count': '3', 'x-name': 'alice', authorization: 'Bearer t' } });
    expect(response.json()).toMatchObject({ same: false, headers: { 'x-count': 3, 'x-name': 'ALICE', authorization: 'Bearer t' } });
    expect((await server.inject({ url: '/transformed' })).json()).toMatchObject({ same: false, headers: { 'x-count': 7 } });
  });

  it('still refuses headers the schema refuses', async () => {
    const server = await app();
    expect((await server.inject({ url: '/transformed', headers: { 'x-count': 'many' } })).statusCode).toBe(400);
  });
});
