import { join } from 'node:path';
import { httpSettings, kafkaSettings, logSettings, parseConfig, portNumber, sideSchema } from '@gdhk/config';
import { z } from 'zod';

const schema = z
  .object({
    SIDE: sideSchema,
    ...kafkaSettings,
    ...logSettings,
    HOST: httpSettings(0).HOST,
    PORT: portNumber.optional(),
    GDHK_KEYS_DIR: z.string().min(1).default('.keys'),
    JWT_ISSUER: z.string().min(1).default('gdhk-dev'),
    JWT_AUDIENCE: z.string().min(1).default('gdhk'),
    BODY_LIMIT_BYTES: z.coerce.number().int().min(1024).default(64 * 1024),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(6000),
    /** Recent commands whose whole response a retried Idempotency-Key gets without reading the log. */
    IDEMPOTENCY_RECENT_RESPONSES: z.coerce.number().int().min(0).default(10_000),
    /** Records per transaction of the group commit. */
    WRITE_BATCH_MAX: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .transform((env) => ({
    ...env,
    // One side-service package, two configurations: the side picks its default port.
    PORT: env.PORT ?? (env.SIDE === 'gd' ? 4101 : 4102),
    keysDir: env.GDHK_KEYS_DIR,
    signingKeyFile: join(env.GDHK_KEYS_DIR, `signing-${env.SIDE}.json`),
  }));

export type SideServiceConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): SideServiceConfig {
  return parseConfig(schema, env);
}
