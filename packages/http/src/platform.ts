import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import swagger from '@fastify/swagger';
import Fastify, { LogController, type FastifyInstance, type FastifyBaseLogger } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { pino, type Logger } from 'pino';
import { healthPlugin } from './health.ts';
import { metricsPlugin } from './metrics.ts';
import { installProblemHandler } from './problem.ts';

export type HttpApp = FastifyInstance<Server, IncomingMessage, ServerResponse, FastifyBaseLogger, ZodTypeProvider>;

export interface HttpAppOptions {
  readonly service: string;
  readonly title: string;
  readonly description: string;
  readonly logger: Logger;
  readonly bodyLimit?: number;
}

export function createLogger(service: string, level: string): Logger {
  return pino({ name: service, level, base: { service }, timestamp: pino.stdTimeFunctions.isoTime });
}

/**
 * A fastify instance with the platform every process shares: zod validation and serialisation,
 * problem+json errors, health, metrics and `/docs` (OpenAPI from the same zod schemas).
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const base = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
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
  await app.register(swagger, {
    openapi: {
      info: { title: options.title, description: options.description, version: '1.0.0' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(healthPlugin);
  await app.register(metricsPlugin, { service: options.service });
  app.get('/docs', { schema: { hide: true } }, async () => app.swagger());
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-correlation-id', request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    const routine = request.url.startsWith('/health/') || request.url === '/metrics';
    request.log[routine ? 'debug' : 'info']({ method: request.method, url: request.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
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
