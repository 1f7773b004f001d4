import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, exportPKCS8, exportSPKI, generateKeyPair, importPKCS8, importSPKI, type CryptoKey } from 'jose';
import { JWT_ALGORITHM, type Role, type TokenSide } from './auth.ts';

export interface DevAuthKeys {
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
}

/**
 * The development token issuer's key pair, generated on first use into a git-ignored folder
 * (never a shared secret in the repository). Production deployments give the services the
 * identity provider's public key instead.
 */
export async function devAuthKeys(keysDir: string): Promise<DevAuthKeys> {
  const privateFile = join(keysDir, 'jwt-issuer.private.pem');
  const publicFile = join(keysDir, 'jwt-issuer.public.pem');
  if (!existsSync(privateFile) || !existsSync(publicFile)) {
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    const pair = await generateKeyPair(JWT_ALGORITHM, { crv: 'Ed25519', extractable: true });
    // Written only if absent, so two processes starting together keep one key pair.
    try {
      writeFileSync(privateFile, await exportPKCS8(pair.privateKey), { mode: 0o600, flag: 'wx' });
      writeFileSync(publicFile, await exportSPKI(pair.publicKey), { flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return {
    privateKey: await importPKCS8(readFileSync(privateFile, 'utf8'), JWT_ALGORITHM),
    publicKey: await importSPKI(readFileSync(publicFile, 'utf8'), JWT_ALGORITHM),
  };
}

/**
 * The development secret joint-api signs its cursors with when GDHK_CURSOR_SECRET is unset:
 * 256 random bits generated on first use into `<keysDir>/cursor-secret`, so instances sharing the
 * folder (and a restarted instance) accept each other's cursors. Deployments set the variable.
 */
export function devCursorSecret(keysDir: string): string {
  const file = join(keysDir, 'cursor-secret');
  if (!existsSync(file)) {
    mkdirSync(keysDir, { recursive: true, mode: 0o700 });
    try {
      writeFileSync(file, `${randomBytes(32).toString('base64url')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return readFileSync(file, 'utf8').trim();
}

export interface TokenRequest {
  readonly sub: string;
  readonly side: TokenSide;
  readonly roles: readonly Role[];
  readonly department?: string;
  readonly issuer: string;
  readonly audience: string;
  readonly expiresIn?: string;
}

export async function issueToken(privateKey: CryptoKey, request: TokenRequest): Promise<string> {
  const claims: Record<string, unknown> = { side: request.side, roles: request.roles };
  if (request.department) claims.department = request.department;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: JWT_ALGORITHM })
    .setSubject(request.sub)
    .setIssuer(request.issuer)
    .setAudience(request.audience)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '8h')
    .sign(privateKey);
}
