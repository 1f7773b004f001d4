import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launcherEnvironment, parseConfig } from '@gdhk/config';
import { devAuthKeys } from '@gdhk/http';
import { afterAll, describe, expect, it } from 'vitest';
import { launcherTokens } from '../src/dev-tokens.ts';

const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;

// Regression: `npm start` printed tokens for issuer gdhk-dev and audience gdhk whatever
// JWT_ISSUER / JWT_AUDIENCE said, so the services it started refused them.
describe('the tokens `npm start` prints', () => {
  const keysDir = mkdtempSync(join(tmpdir(), 'gdhk-launcher-keys-'));
  afterAll(() => rmSync(keysDir, { recursive: true, force: true }));

  it('carry JWT_ISSUER and JWT_AUDIENCE of its environment, which the services it starts inherit', async () => {
    const { privateKey } = await devAuthKeys(keysDir);
    const config = parseConfig(launcherEnvironment, { JWT_ISSUER: 'https://idp.example.gov', JWT_AUDIENCE: 'gdhk-staging' });
    const { coordinator, desk } = await launcherTokens(privateKey, config);
    expect(claimsOf(coordinator)).toMatchObject({ iss: 'https://idp.example.gov', aud: 'gdhk-staging', side: 'gd', roles: ['coordinator'] });
    expect(claimsOf(desk)).toMatchObject({ iss: 'https://idp.example.gov', aud: 'gdhk-staging', side: 'joint', roles: ['secretariat'] });
  });

  it('carry the services\' defaults when neither is set', async () => {
    const { privateKey } = await devAuthKeys(keysDir);
    const { desk } = await launcherTokens(privateKey, parseConfig(launcherEnvironment, {}));
    expect(claimsOf(desk)).toMatchObject({ iss: 'gdhk-dev', aud: 'gdhk' });
  });
});
