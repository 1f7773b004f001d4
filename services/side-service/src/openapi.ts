import type { Side } from '@gdhk/domain';
import { generateSigningKey, publicKeyEntry } from '@gdhk/integrity';
import { generateKeyPair } from 'jose';
import type { OpenAPIV3_1 } from 'openapi-types';
import { pino } from 'pino';
import { buildSideApp } from './app.ts';
import { WriteModel } from './write-model.ts';

/**
 * A side service's OpenAPI document without Kafka: the app over an empty write model and a
 * handler that is never called (no route runs), exactly what `/docs` serves.
 */
export async function sideOpenApiDocument(side: Side = 'gd'): Promise<OpenAPIV3_1.Document> {
  const { publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const app = await buildSideApp({
    side,
    logger: pino({ level: 'silent' }),
    handler: { execute: () => Promise.reject(new Error('the documentation app writes nothing')) },
    model: new WriteModel({ side }),
    auth: { publicKey, issuer: 'openapi', audience: 'openapi' },
    bodyLimit: 64 * 1024,
    rateLimitPerMinute: 60,
    publicKeys: [publicKeyEntry(generateSigningKey(`${side}-openapi`, side))],
  });
  try {
    await app.ready();
    return app.swagger() as OpenAPIV3_1.Document;
  } finally {
    await app.close();
  }
}
