import { issueToken, type DevAuthKeys } from '@gdhk/http';

export interface TokenClaims {
  readonly JWT_ISSUER: string;
  readonly JWT_AUDIENCE: string;
}

/**
 * The two development tokens `npm start` prints: a GD coordinator's for the copy-paste request
 * and the secretariat's for the desk's link. They carry the issuer and audience the services it
 * starts check (JWT_ISSUER, JWT_AUDIENCE, inherited from the same environment).
 */
export async function launcherTokens(privateKey: DevAuthKeys['privateKey'], claims: TokenClaims): Promise<{ coordinator: string; desk: string }> {
  const common = { issuer: claims.JWT_ISSUER, audience: claims.JWT_AUDIENCE };
  return {
    coordinator: await issueToken(privateKey, { sub: 'gd-coordinator-1', side: 'gd', roles: ['coordinator'], department: 'Development and Reform Commission', ...common }),
    desk: await issueToken(privateKey, { sub: 'secretariat-1', side: 'joint', roles: ['secretariat'], ...common }),
  };
}
