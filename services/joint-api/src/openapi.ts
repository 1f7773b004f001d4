import { pino } from 'pino';
import type { OpenAPIV3_1 } from 'openapi-types';
import { generateKeyPair } from 'jose';
import { buildJointApp } from './app.ts';
import { unconnectedJointReadModel } from '@gdhk/readmodel';

/**
 * joint-api's OpenAPI document without Redis or a port: the app built over a client that never
 * connects (no route runs), exactly the document `/docs` serves. The typed client is generated from it.
 */
export async function jointOpenApiDocument(): Promise<OpenAPIV3_1.Document> {
  const offline = unconnectedJointReadModel('openapi');
  const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const app = await buildJointApp({
    logger: pino({ level: 'silent' }),
    readModel: offline.readModel,
    tail: { version: 0, wait: async () => {} },
    auth: { publicKey, issuer: 'openapi', audience: 'openapi' },
    cursorSecrets: ['openapi document: no cursor is ever issued with this'],
  });
  try {
    await app.ready();
    return app.swagger() as OpenAPIV3_1.Document;
  } finally {
    await app.close();
    offline.close();
  }
}
