import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';

export type ReadinessCheck = () => Promise<true | string> | true | string;

declare module 'fastify' {
  interface FastifyInstance {
    readiness: { add(name: string, check: ReadinessCheck): void };
  }
}

const healthSchema = z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });

/** `/health/live`: the process answers. `/health/ready`: every dependency check passes now. */
export const healthPlugin = fp(
  async (app: FastifyInstance) => {
    const checks = new Map<string, ReadinessCheck>();
    app.decorate('readiness', { add: (name: string, check: ReadinessCheck) => void checks.set(name, check) });
    app.get('/health/live', { schema: { hide: true, response: { 200: healthSchema } } }, async () => ({ status: 'ok' as const }));
    app.get('/health/ready', { schema: { hide: true, response: { 200: healthSchema, 503: healthSchema } } }, async (_request, reply) => {
      const results: Record<string, string> = {};
      let ready = true;
      await Promise.all(
        [...checks].map(async ([name, check]) => {
          try {
            const result = await check();
            results[name] = result === true ? 'ok' : result;
            if (result !== true) ready = false;
          } catch (error) {
            results[name] = error instanceof Error ? error.message : String(error);
            ready = false;
          }
        }),
      );
      return reply.code(ready ? 200 : 503).send({ status: ready ? 'ok' : 'unavailable', checks: results });
    });
  },
  { name: 'gdhk-health' },
);
