import type { Catalogue } from '@gdhk/catalogue';
import { authPlugin, conditionalGetPlugin, createHttpApp, rateLimitPlugin, type AuthOptions, type HttpApp, type RateLimitOptions } from '@gdhk/http';
import type { Logger } from 'pino';
import { dashboardPlugin, DASHBOARD_PUBLIC_PATHS, DASHBOARD_PUBLIC_PREFIXES } from './dashboard.ts';
import type { JointReadModel } from '@gdhk/readmodel';
import { jointRoutes } from './routes.ts';
import { CursorSeal } from './cursor-seal.ts';
import type { FeedWaiter, StreamOptions } from './stream.ts';
import { StreamSlots } from './stream-slots.ts';
import { readingsOf, systemClock } from './clock.ts';
import type { KeySetSource } from './proof.ts';

/** joint-api's bounds on what one user or request may take (docs/contract.md, HTTP, "Limits"). */
export interface JointLimits {
  readonly rateLimit: RateLimitOptions;
  readonly streamsPerUser: number;
  readonly streamsTotal: number;
  readonly historyScanRows: number;
}

/** The defaults of packages/config's joint-api environment. */
export const DEFAULT_LIMITS: JointLimits = {
  rateLimit: { perSecond: 50, burst: 200, maxUsers: 10_000 },
  streamsPerUser: 8,
  streamsTotal: 1000,
  historyScanRows: 100_000,
};

export interface JointAppDeps {
  readonly logger: Logger;
  readonly readModel: JointReadModel;
  readonly tail: FeedWaiter;
  readonly auth: Pick<AuthOptions, 'publicKey' | 'issuer' | 'audience'>;
  readonly stream?: Partial<StreamOptions>;
  /** Secrets the cursors are signed with: the first signs, all verify (GDHK_CURSOR_SECRET). */
  readonly cursorSecrets: readonly string[];
  readonly limits?: Partial<JointLimits>;
  readonly now?: () => string;
  readonly catalogue?: Catalogue;
  /** Browser origins allowed to call the API (CORS); none by default. */
  readonly corsOrigins?: readonly string[];
  /** The built dashboard (its index.html and assets), served at `/`. */
  readonly dashboardDir?: string;
  /** The key set whose entries inclusion proofs carry (GDHK_KEYSET_FILE); without it none is listed (the OpenAPI document, tests of other routes). */
  readonly keys?: KeySetSource;
}

export const JOINT_API_TAGS = [
  { name: 'items', description: "The plan's items with both sides' parts, the joint status, the summary and each item's history" },
  { name: 'decisions', description: 'Decisions taken across the two sides' },
  { name: 'exports', description: 'Items and decisions as CSV (UTF-8 with BOM) or XLSX, in the chosen language' },
  { name: 'feed', description: 'The combined feed of verified events, paged or as Server-Sent Events' },
  { name: 'verification', description: 'The digest of the joint view that an audit replay reproduces, and the inclusion proofs of sealed events' },
];

export async function buildJointApp(deps: JointAppDeps): Promise<HttpApp> {
  const app = await createHttpApp({
    service: 'joint-api',
    title: 'GD–HK Coordination Ledger — joint API',
    description: 'The joint secretariat reads the combined progress view and consumes the combined feed. Secretariat and auditor tokens only.',
    logger: deps.logger,
    tags: JOINT_API_TAGS,
    ...(deps.corsOrigins ? { corsOrigins: deps.corsOrigins } : {}),
  });
  // Readers poll: a token verified once is remembered until it expires (Ed25519 per request would dominate a read).
  await app.register(authPlugin, {
    ...deps.auth,
    side: 'joint',
    verifiedTokenCache: 10_000,
    publicPaths: ['/health/live', '/health/ready', '/metrics', '/docs', ...DASHBOARD_PUBLIC_PATHS],
    publicPrefixes: DASHBOARD_PUBLIC_PREFIXES,
  });
  const limits = { ...DEFAULT_LIMITS, ...deps.limits };
  await app.register(rateLimitPlugin, limits.rateLimit);
  await app.register(conditionalGetPlugin);
  await app.register(dashboardPlugin, { dir: deps.dashboardDir });
  jointRoutes(app, {
    readModel: deps.readModel,
    tail: deps.tail,
    stream: { keepAliveMs: 15_000, drainTimeoutMs: 30_000, pageSize: 200, scanRows: 5000, ...deps.stream },
    streams: new StreamSlots({ perUser: limits.streamsPerUser, total: limits.streamsTotal }),
    seal: new CursorSeal(deps.cursorSecrets),
    historyScanRows: limits.historyScanRows,
    clock: deps.now ? readingsOf(deps.now) : systemClock(),
    ...(deps.catalogue ? { catalogue: deps.catalogue } : {}),
    keys: deps.keys ?? { entry: () => undefined },
  });
  return app;
}
