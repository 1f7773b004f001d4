import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';

export type ReadinessCheck = () => Promise<true | string> | true | string;

export interface ReadinessOptions {
  /**
   * false for a problem the process must report but that does not stop it serving (a halted
   * stream: every other item still works): the answer stays 200 with status "degraded".
   */
  readonly failsReadiness?: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    readiness: { add(name: string, check: ReadinessCheck, options?: ReadinessOptions): void };
  }
}

/**
 * The readiness check of a consumer's halted streams (counts by reason): reported, but it
 * leaves the process serving, since every other stream still works.
 */
export function haltedStreamsCheck(halted: () => ReadonlyMap<string, number>): [ReadinessCheck, ReadinessOptions] {
  const check: ReadinessCheck = () => {
    const counts = halted();
    if (counts.size === 0) return true;
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    return `${total} streams halted (${[...counts].map(([reason, count]) => `${reason}: ${count}`).join(', ')})`;
  };
  return [check, { failsReadiness: false }];
}

const healthSchema = z.object({ status: z.enum(['ok', 'degraded', 'unavailable']), checks: z.record(z.string(), z.string()).optional() });

/** `/health/live`: the process answers. `/health/ready`: every dependency check passes now. */
export const healthPlugin = fp(
  async (app: FastifyInstance) => {
    const checks = new Map<string, { check: ReadinessCheck; fails: boolean }>();
    app.decorate('readiness', { add: (name: string, check: ReadinessCheck, options?: ReadinessOptions) => void checks.set(name, { check, fails: options?.failsReadiness ?? true }) });
    app.get('/health/live', { schema: { hide: true, response: { 200: healthSchema } } }, async () => ({ status: 'ok' as const }));
    app.get('/health/ready', { schema: { hide: true, response: { 200: healthSchema, 503: healthSchema } } }, async (_request, reply) => {
      const results: Record<string, string> = {};
      let ready = true;
      let degraded = false;
      await Promise.all(
        [...checks].map(async ([name, { check, fails }]) => {
          let result: true | string;
          try {
            result = await check();
          } catch (error) {
            result = error instanceof Error ? error.message : String(error);
          }
          results[name] = result === true ? 'ok' : result;
          if (result !== true && fails) ready = false;
          if (result !== true && !fails) degraded = true;
        }),
      );
      return reply.code(ready ? 200 : 503).send({ status: ready ? (degraded ? 'degraded' : 'ok') : 'unavailable', checks: results });
    });
  },
  { name: 'gdhk-health' },
);
