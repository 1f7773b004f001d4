import type { Catalogue } from '@gdhk/catalogue';
import { authPlugin, createHttpApp, type AuthOptions, type HttpApp } from '@gdhk/http';
import type { Logger } from 'pino';
import type { JointReadModel } from './read-model.ts';
import { jointRoutes } from './routes.ts';

export interface JointAppDeps {
  readonly logger: Logger;
  readonly readModel: JointReadModel;
  readonly auth: Pick<AuthOptions, 'publicKey' | 'issuer' | 'audience'>;
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
  await app.register(authPlugin, { ...deps.auth, side: 'joint' });
  jointRoutes(app, { readModel: deps.readModel, now: deps.now ?? (() => new Date().toISOString()), ...(deps.catalogue ? { catalogue: deps.catalogue } : {}) });
  return app;
}
