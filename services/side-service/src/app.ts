import rateLimit from '@fastify/rate-limit';
import { labelOf, type Catalogue } from '@gdhk/catalogue';
import type { Side } from '@gdhk/domain';
import type { PublicKeyEntry } from '@gdhk/integrity';
import { authPlugin, createHttpApp, type AuthOptions, type HttpApp } from '@gdhk/http';
import type { Logger } from 'pino';
import type { CommandHandler } from './command-handler.ts';
import { PUBLIC_KEYS_PATH, sideRoutes } from './routes.ts';
import type { WriteModel } from './write-model.ts';

export interface SideAppDeps {
  readonly side: Side;
  readonly logger: Logger;
  /** Only `execute` is used: the document can be built without a log behind it. */
  readonly handler: Pick<CommandHandler, 'execute'>;
  readonly model: WriteModel;
  readonly auth: Pick<AuthOptions, 'publicKey' | 'issuer' | 'audience'>;
  readonly bodyLimit: number;
  readonly rateLimitPerMinute: number;
  readonly publicKeys: readonly PublicKeyEntry[];
  readonly catalogue?: Catalogue;
  readonly syncOtherSide?: (options?: { readonly inFlight?: boolean }) => Promise<void>;
}

/** The side service as an application; server.ts wires it to Kafka, tests inject() into it. */
export async function buildSideApp(deps: SideAppDeps): Promise<HttpApp> {
  const app = await createHttpApp({
    service: `${deps.side}-service`,
    title: `GD–HK Coordination Ledger — ${deps.side.toUpperCase()} side service`,
    description: `Department staff and coordinators of the ${labelOf(deps.side, 'en')} side report progress and take decisions. Every write is a hash-chained event on the side's Kafka topic, in a transaction sealed with the side's Ed25519 key, answered only after acks=all.`,
    logger: deps.logger,
    bodyLimit: deps.bodyLimit,
    tags: [
      { name: 'items', description: "The plan's items with this side's state; status reports and department assignments" },
      { name: 'decisions', description: "Proposals and the other side's answers" },
      { name: 'keys', description: "This side's public event-signing keys" },
    ],
  });
  await app.register(authPlugin, {
    ...deps.auth,
    side: deps.side,
    publicPaths: ['/health/live', '/health/ready', '/metrics', '/docs', PUBLIC_KEYS_PATH],
    // Clients reuse a token for hours; checking its signature once spares an Ed25519 verify per request.
    verifiedTokenCache: 10_000,
  });
  // Keyed by the authenticated user, not the address: a department behind one proxy shares an IP.
  await app.register(rateLimit, {
    hook: 'preHandler',
    max: deps.rateLimitPerMinute,
    timeWindow: 60_000,
    keyGenerator: (request) => request.principal?.userId ?? request.ip,
    allowList: (request) => request.url.startsWith('/health/') || request.url === '/metrics',
    errorResponseBuilder: (_request, context) => ({
      statusCode: 429,
      code: 'GDHK_RATE_LIMITED',
      message: `rate limit of ${context.max} requests per minute exceeded; retry in ${context.after}`,
    }),
  });
  sideRoutes(app, { handler: deps.handler, model: deps.model, publicKeys: deps.publicKeys, ...(deps.catalogue ? { catalogue: deps.catalogue } : {}), ...(deps.syncOtherSide ? { syncOtherSide: deps.syncOtherSide } : {}) });
  return app;
}
