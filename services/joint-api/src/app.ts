import type { Catalogue } from '@gdhk/catalogue';
import { authPlugin, createHttpApp, type AuthOptions, type HttpApp } from '@gdhk/http';
import type { Logger } from 'pino';
import type { JointReadModel } from './read-model.ts';
import { jointRoutes } from './routes.ts';
import type { FeedTail, StreamOptions } from './stream.ts';

export interface JointAppDeps {
  readonly logger: Logger;
  readonly readModel: JointReadModel;
  readonly tail: FeedTail;
  readonly auth: Pick<AuthOptions, 'publicKey' | 'issuer' | 'audience'>;
  readonly stream?: Partial<StreamOptions>;
  readonly now?: () => string;
  readonly catalogue?: Catalogue;
}

export async function buildJointApp(deps: JointAppDeps): Promise<HttpApp> {
  const app = await createHttpApp({
    service: 'joint-api',
    title: 'GD–HK Coordination Ledger — joint API',
    description: 'The joint secretariat reads the combined progress view and consumes the combined feed. Secretariat and auditor tokens only.',
    logger: deps.logger,
  });
  // Readers poll: a token verified once is remembered until it expires (Ed25519 per request would dominate a read).
  await app.register(authPlugin, { ...deps.auth, side: 'joint', verifiedTokenCache: 10_000 });
  jointRoutes(app, {
    readModel: deps.readModel,
    tail: deps.tail,
    stream: { keepAliveMs: 15_000, drainTimeoutMs: 30_000, pageSize: 200, ...deps.stream },
    now: deps.now ?? (() => new Date().toISOString()),
    ...(deps.catalogue ? { catalogue: deps.catalogue } : {}),
  });
  return app;
}
