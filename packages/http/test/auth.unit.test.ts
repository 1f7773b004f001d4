import Fastify from 'fastify';
import { generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { authPlugin, JWT_ALGORITHM, requireRole } from '../src/auth.ts';
import { installProblemHandler } from '../src/problem.ts';

let keys: { privateKey: CryptoKey; publicKey: CryptoKey };
let otherKeys: { privateKey: CryptoKey; publicKey: CryptoKey };
beforeAll(async () => {
  keys = await generateKeyPair(JWT_ALGORITHM, { crv: 'Ed25519' });
  otherKeys = await generateKeyPair(JWT_ALGORITHM, { crv: 'Ed25519' });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Claims {
  sub?: string;
  side?: string;
  roles?: string[];
  issuer?: string;
  audience?: string;
  /** seconds from now */
  expiresIn?: number;
  key?: CryptoKey;
}

const sign = (claims: Claims = {}) =>
  new SignJWT({ side: claims.side ?? 'joint', roles: claims.roles ?? ['secretariat'] })
    .setProtectedHeader({ alg: JWT_ALGORITHM })
    .setSubject(claims.sub ?? 'alice')
    .setIssuer(claims.issuer ?? 'issuer')
    .setAudience(claims.audience ?? 'audience')
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (claims.expiresIn ?? 3600))
    .sign(claims.key ?? keys.privateKey);

async function app(verifiedTokenCache: number) {
  const server = Fastify({ logger: false });
  installProblemHandler(server);
  await server.register(authPlugin, { publicKey: keys.publicKey, issuer: 'issuer', audience: 'audience', side: 'joint', verifiedTokenCache });
  server.get('/who', async (request) => ({ userId: requireRole(request, ['secretariat', 'auditor']).userId }));
  await server.ready();
  const get = async (token: string | undefined) => {
    const response = await server.inject({ method: 'GET', url: '/who', headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });
    return { status: response.statusCode, body: response.json() as { userId?: string; detail?: string; code?: string } };
  };
  return { server, get };
}

describe('the auth hook with remembered tokens', () => {
  it('verifies a token before its first use, and answers it again from memory', async () => {
    const { get } = await app(10);
    const token = await sign();
    expect(await get(token)).toEqual({ status: 200, body: { userId: 'alice' } });
    expect(await get(token)).toEqual({ status: 200, body: { userId: 'alice' } });
    expect(await get(undefined)).toMatchObject({ status: 401 });
  });

  it('refuses a token from its expiry on, though it was remembered', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { get } = await app(10);
    const token = await sign({ expiresIn: 60 });
    expect(await get(token)).toMatchObject({ status: 200 });
    vi.setSystemTime(Date.now() + 59_000);
    expect(await get(token)).toMatchObject({ status: 200 });
    vi.setSystemTime(Date.now() + 1_000);
    expect(await get(token)).toMatchObject({ status: 401, body: { detail: expect.stringContaining('token expired') as string } });
    expect(await get(token)).toMatchObject({ status: 401, body: { detail: expect.stringContaining('token expired') as string } });
  });

  it('never takes another token for a remembered one: forged signatures, other issuers, audiences, keys', async () => {
    const { get } = await app(10);
    const token = await sign();
    expect(await get(token)).toMatchObject({ status: 200 });
    const [header, payload, signature = ''] = token.split('.');
    const flipped = `${signature.slice(0, -2)}${signature.at(-2) === 'A' ? 'B' : 'A'}${signature.at(-1)}`;
    expect(await get(`${header}.${payload}.${flipped}`)).toMatchObject({ status: 401 });
    const bob = await sign({ sub: 'bob' });
    expect(await get(`${header}.${bob.split('.')[1]}.${signature}`)).toMatchObject({ status: 401 });
    expect(await get(await sign({ issuer: 'someone else' }))).toMatchObject({ status: 401 });
    expect(await get(await sign({ audience: 'another service' }))).toMatchObject({ status: 401 });
    expect(await get(await sign({ key: otherKeys.privateKey }))).toMatchObject({ status: 401 });
    expect(await get(await sign({ expiresIn: -1 }))).toMatchObject({ status: 401, body: { detail: expect.stringContaining('token expired') as string } });
    expect(await get(bob)).toEqual({ status: 200, body: { userId: 'bob' } });
    expect(await get(token)).toEqual({ status: 200, body: { userId: 'alice' } });
  });

  it("refuses another side's token and a role it does not serve, each time, remembered or not", async () => {
    const { get } = await app(10);
    const gd = await sign({ side: 'gd', roles: ['coordinator'] });
    expect(await get(gd)).toMatchObject({ status: 403, body: { code: 'GDHK_WRONG_SIDE' } });
    expect(await get(gd)).toMatchObject({ status: 403, body: { code: 'GDHK_WRONG_SIDE' } });
    const staff = await sign({ roles: ['staff'] });
    expect(await get(staff)).toMatchObject({ status: 403, body: { code: 'GDHK_ROLE_FORBIDDEN' } });
    expect(await get(staff)).toMatchObject({ status: 403, body: { code: 'GDHK_ROLE_FORBIDDEN' } });
  });

  it('keeps working past its bound, and with no memory at all', async () => {
    for (const size of [2, 0]) {
      const { get } = await app(size);
      const tokens = await Promise.all(['a', 'b', 'c', 'd'].map((sub) => sign({ sub })));
      for (const round of [1, 2]) {
        for (const [index, token] of tokens.entries()) expect(await get(token), `round ${round}`).toEqual({ status: 200, body: { userId: 'abcd'[index] } });
      }
    }
  });

  it('reads each Authorization header for itself, whatever the previous request sent', async () => {
    const { server } = await app(10);
    const token = await sign();
    const status = async (authorization: string) => (await server.inject({ method: 'GET', url: '/who', headers: { authorization } })).statusCode;
    const answers = [];
    for (const authorization of [`Basic ${token}`, `Bearer ${token}`, `Bearer ${token}`, `bearer   ${token}`, `Bearer ${token} x`, `Bearer ${token}`, 'Bearer', `Bearer ${token}x`]) answers.push(await status(authorization));
    expect(answers).toEqual([401, 200, 200, 200, 401, 200, 401, 401]);
  });
});
