import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { jwtVerify, errors as joseErrors, type CryptoKey, type KeyObject } from 'jose';
import { Role, SIDES } from '@gdhk/domain';
import { z } from 'zod';
import { HttpProblem } from './problem.ts';
import { VerifiedTokens } from './verified-tokens.ts';

export type { Role };

/** Whose tokens a process takes: a side's (its staff and coordinators), or `joint` (secretariat, auditors). */
export const tokenSideSchema = z.enum([...SIDES, 'joint']);
export type TokenSide = z.infer<typeof tokenSideSchema>;

const claimsSchema = z.object({
  sub: z.string().min(1),
  side: tokenSideSchema,
  department: z.string().min(1).optional(),
  roles: z.array(Role).min(1),
});

export interface Principal {
  readonly userId: string;
  readonly side: TokenSide;
  readonly department: string;
  readonly roles: readonly Role[];
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
  }
}

export const JWT_ALGORITHM = 'EdDSA';

export interface AuthOptions {
  readonly publicKey: CryptoKey | KeyObject;
  readonly issuer: string;
  readonly audience: string;
  /** The side whose tokens this process accepts ('joint' for joint-api). */
  readonly side: TokenSide;
  /** Paths that need no token (health, metrics, docs). */
  readonly publicPaths?: readonly string[];
  /** Path prefixes that need no token (the API reference's assets, a web page's assets). */
  readonly publicPrefixes?: readonly string[];
  /**
   * How many verified tokens to remember (0, the default: none). A remembered token skips the
   * signature check until its `exp`; it is keyed by the whole token, so nothing else can match it.
   */
  readonly verifiedTokenCache?: number;
}

const unauthorized = (detail: string) => new HttpProblem(401, 'GDHK_UNAUTHORIZED', 'Unauthorized', detail, undefined, { 'www-authenticate': 'Bearer' });

/**
 * Verifies `Authorization: Bearer <JWT>` with pinned algorithm, issuer, audience and expiry,
 * and rejects other sides' tokens (403). Role checks are per route (`requireRole`).
 */
export const authPlugin = fp(
  async (app: FastifyInstance, options: AuthOptions) => {
    const publicPaths = new Set(options.publicPaths ?? ['/health/live', '/health/ready', '/metrics', '/docs']);
    const publicPrefixes = ['/docs/', ...(options.publicPrefixes ?? [])];
    app.decorateRequest('principal', undefined);
    // Principals by token, for tokens verified before and not yet expired (verified-tokens.ts).
    const verified = new VerifiedTokens<Principal>(options.verifiedTokenCache ?? 0);
    /** The token's principal once its signature, issuer, audience, expiry and claims passed. */
    const verify = async (token: string): Promise<Principal> => {
      let payload: { exp?: number };
      try {
        ({ payload } = await jwtVerify(token, options.publicKey, {
          algorithms: [JWT_ALGORITHM],
          issuer: options.issuer,
          audience: options.audience,
          requiredClaims: ['exp', 'sub'],
        }));
      } catch (error) {
        const reason = error instanceof joseErrors.JWTExpired ? 'token expired' : error instanceof joseErrors.JOSEError ? `invalid token (${error.code})` : 'invalid token';
        throw unauthorized(reason);
      }
      const parsed = claimsSchema.safeParse(payload);
      if (!parsed.success) throw unauthorized(`invalid token claims: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
      const claims = parsed.data;
      const principal: Principal = Object.freeze({ userId: claims.sub, side: claims.side, department: claims.department ?? '', roles: Object.freeze([...claims.roles]) });
      if (typeof payload.exp === 'number') verified.remember(token, principal, payload.exp * 1000);
      return principal;
    };
    const admit = (request: FastifyRequest, principal: Principal) => {
      if (principal.side !== options.side) {
        throw new HttpProblem(403, 'GDHK_WRONG_SIDE', 'Forbidden', `this service accepts ${options.side} tokens, not ${principal.side}`);
      }
      request.principal = principal;
    };
    let last: { header: string | undefined; token: string | undefined } = { header: undefined, token: undefined };
    // A callback hook, not an async one: a token verified before costs no promise.
    app.addHook('onRequest', (request, _reply, done) => {
      const query = request.url.indexOf('?');
      const path = query < 0 ? request.url : request.url.slice(0, query);
      // A CORS preflight carries no credentials (Fetch standard); the CORS plugin answers it.
      if (request.method === 'OPTIONS' || publicPaths.has(path) || publicPrefixes.some((prefix) => path.startsWith(prefix))) return done();
      const header = request.headers.authorization;
      if (!header) return done(unauthorized('missing Authorization header'));
      // A client sends the same header request after request: it is parsed again only when it differs.
      if (header !== last.header) last = { header, token: /^Bearer\s+(\S+)$/i.exec(header)?.[1] };
      const { token } = last;
      if (!token) return done(unauthorized('Authorization must be "Bearer <token>"'));
      const known = verified.get(token);
      if (known) {
        admit(request, known);
        return done();
      }
      verify(token).then((principal) => {
        try {
          admit(request, principal);
        } catch (error) {
          return done(error as Error);
        }
        done();
      }, done);
    });
  },
  { name: 'gdhk-auth' },
);

/** The request's principal, which must hold one of `roles` (403 otherwise). */
export function requireRole(request: FastifyRequest, roles: readonly Role[]): Principal {
  const principal = request.principal;
  if (!principal) throw unauthorized('missing token');
  if (!principal.roles.some((role) => roles.includes(role))) {
    throw new HttpProblem(403, 'GDHK_ROLE_FORBIDDEN', 'Forbidden', `requires role ${roles.join(' or ')}`);
  }
  return principal;
}
