import { pino } from 'pino';
import { Redis } from 'ioredis';
import type { OpenAPIV3_1 } from 'openapi-types';
import { generateKeyPair } from 'jose';
import { buildJointApp } from './app.ts';
import { JointReadModel } from '@gdhk/readmodel';

/**
 * joint-api's OpenAPI document without Redis or a port: the app built over a client that never
 * connects (no route runs), exactly the document `/docs` serves. The typed client is generated from it.
 */
export async function jointOpenApiDocument(): Promise<OpenAPIV3_1.Document> {
  const redis = new Redis({ lazyConnect: true });
  const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const app = await buildJointApp({
    logger: pino({ level: 'silent' }),
    readModel: new JointReadModel(redis, 'openapi'),
    tail: { version: 0, wait: async () => {} },
    auth: { publicKey, issuer: 'openapi', audience: 'openapi' },
  });
  try {
    await app.ready();
    return app.swagger() as OpenAPIV3_1.Document;
  } finally {
    await app.close();
    redis.disconnect();
  }
}
