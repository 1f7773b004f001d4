import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OpenAPIV3_1 } from 'openapi-types';
import { pino, type Logger } from 'pino';
import { healthPlugin } from './health.ts';
import { metricsPlugin } from './metrics.ts';
import { applyDocumentConventions } from './openapi.ts';
import { installProblemHandler } from './problem.ts';
import { validatorCompiler } from './validation.ts';
import { requestLoggers } from './request-logger.ts';

export type HttpApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export interface HttpAppOptions {
  readonly service: string;
  readonly title: string;
  readonly description: string;
  readonly logger: Logger;
  readonly bodyLimit?: number;
  /** The document's tags, in the order the reference shows them. */
  readonly tags?: readonly { name: string; description: string }[];
  /** Origins allowed to call from a browser (CORS); none, the default, turns CORS off. */
  readonly corsOrigins?: readonly string[];
}

/** Request headers a browser may send cross-origin, and response headers it may read. */
const CORS_REQUEST_HEADERS = ['Authorization', 'Content-Type', 'Accept-Language', 'If-None-Match', 'If-Match', 'Idempotency-Key', 'Last-Event-ID', 'X-Correlation-Id'];
const CORS_EXPOSED_HEADERS = ['ETag', 'Content-Language', 'Retry-After', 'Idempotent-Replayed', 'X-Correlation-Id', 'Content-Disposition', 'RateLimit', 'RateLimit-Policy'];


export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * A fastify instance with the platform every process shares: zod validation and serialisation,
 * problem+json errors, health, metrics and `/docs` (OpenAPI from the same zod schemas).
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const base = Fastify({
    // request.log makes its pino child only when the request logs (request-logger.ts).
    loggerInstance: requestLoggers(options.logger) as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // The correlation id travels in X-Correlation-Id; each request gets one when the caller sent none.
    requestIdHeader: 'x-correlation-id',
    genReqId: () => crypto.randomUUID(),
    // One line per request, written by the onResponse hook below, instead of fastify's two.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'correlationId' }),
  });
  installProblemHandler(base);
  const app = base.withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  if (options.corsOrigins && options.corsOrigins.length > 0) {
    const allowed = new Set(options.corsOrigins);
    await app.register(cors, {
      origin: (origin, callback) => callback(null, origin !== undefined && allowed.has(origin)),
      methods: ['GET', 'HEAD', 'POST', 'DELETE'],
      allowedHeaders: CORS_REQUEST_HEADERS,
      exposedHeaders: CORS_EXPOSED_HEADERS,
      maxAge: 600,
      strictPreflight: true,
    });
  }
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: options.title, description: options.description, version: '1.0.0', license: { name: 'Proprietary — Governments of Guangdong and the Hong Kong SAR', identifier: 'LicenseRef-GDHK' } },
      servers: [{ url: '/', description: 'this server' }],
      tags: [...(options.tags ?? [])],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: (document) => applyDocumentConventions(jsonSchemaTransformObject(document) as OpenAPIV3_1.Document),
  });
  await app.register(healthPlugin);
  await app.register(metricsPlugin, { service: options.service });
  // The JSON at /docs (what scripts and generators fetch) and /docs/json; browsers asking for
  // HTML get the Swagger UI reference at /docs/ui/.
  app.get('/docs', { schema: { hide: true } }, async (request, reply) => {
    if (/\btext\/html\b/.test(request.headers.accept ?? '')) return reply.redirect('/docs/ui/');
    return app.swagger();
  });
  app.get('/docs/json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(swaggerUi, { routePrefix: '/docs/ui', uiConfig: { deepLinking: true }, staticCSP: true });
  // Callback hooks, not async ones: every request runs them, and an async hook costs a promise.
  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-correlation-id', request.id);
    done(null, payload);
  });
  app.addHook('onResponse', (request, reply, done) => {
    const routine = request.url.startsWith('/health/') || request.url === '/metrics';
    request.log[routine ? 'debug' : 'info']({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    done();
  });
  return app;
}

/**
 * For server.ts: listen, then close gracefully (in-flight requests finish, onClose hooks release
 * Kafka and Redis) on SIGTERM/SIGINT. Resolves with the exit code once the app has closed;
 * exiting is the caller's business.
 */
export async function serve(app: FastifyInstance, host: string, port: number, logger: Logger, graceMs = 15_000): Promise<number> {
  const closed = new Promise<number>((resolve) => {
    let closing = false;
    const shutdown = (signal: string) => {
      if (closing) return;
      closing = true;
      logger.info({ signal }, 'shutting down');
      const timer = setTimeout(() => {
        logger.error({ graceMs }, 'graceful shutdown timed out');
        resolve(1);
      }, graceMs);
      timer.unref();
      app.close().then(
        () => resolve(0),
        (error: unknown) => {
          logger.error({ err: error }, 'error during shutdown');
          resolve(1);
        },
      );
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
  });
  await app.listen({ host, port });
  return closed;
}
