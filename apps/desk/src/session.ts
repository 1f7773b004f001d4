// The bearer token: read once from the link's fragment (`/#token=…`), kept in session storage
// (gone with the tab), removed from the address bar, and only ever sent in the Authorization header.
const STORAGE_KEY = 'gdhk.desk.token';

export type TokenProblem = 'missing' | 'expired' | 'invalid' | 'wrongRole';

export interface Session {
  readonly token: string;
  readonly userId: string;
  readonly roles: readonly string[];
  readonly expiresAt: number;
}

/** Moves a token from the fragment into session storage and clears it from the address bar. */
export function takeTokenFromFragment(): void {
  const match = /(?:^#|&)token=([^&]+)/.exec(location.hash);
  if (!match?.[1]) return;
  sessionStorage.setItem(STORAGE_KEY, decodeURIComponent(match[1]));
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
}

export function storeToken(token: string): void {
  sessionStorage.setItem(STORAGE_KEY, token.trim());
}

export function signOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

interface Claims {
  sub?: unknown;
  side?: unknown;
  roles?: unknown;
  exp?: unknown;
}

function claimsOf(token: string): Claims | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    const parsed: unknown = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (char) => char.charCodeAt(0))));
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The stored session, or why there is none. The claims are read only to explain a refusal
 * early; joint-api verifies the signature of every request.
 */
export function currentSession(now = Date.now()): Session | TokenProblem {
  const token = sessionStorage.getItem(STORAGE_KEY);
  if (!token) return 'missing';
  const claims = claimsOf(token);
  if (!claims || typeof claims.sub !== 'string' || typeof claims.exp !== 'number' || !Array.isArray(claims.roles)) return 'invalid';
  if (claims.exp * 1000 <= now) return 'expired';
  const roles = claims.roles.filter((role): role is string => typeof role === 'string');
  if (claims.side !== 'joint' || !roles.some((role) => role === 'secretariat' || role === 'auditor')) return 'wrongRole';
  return { token, userId: claims.sub, roles, expiresAt: claims.exp * 1000 };
}
