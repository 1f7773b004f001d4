import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { httpSettings, kafkaSettings, logSettings, parseConfig, redisSettings } from '@gdhk/config';
import { z } from 'zod';

const count = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

const schema = z
  .object({
    ...kafkaSettings,
    ...redisSettings,
    ...logSettings,
    ...httpSettings(4103),
    GDHK_KEYS_DIR: z.string().min(1).default('.keys'),
    GDHK_KEYSET_FILE: z.string().min(1).optional(),
    /** The read-model generation this projection fills; a new projection version gets a new one. */
    GDHK_READ_MODEL_GENERATION: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and "-"').default('v1'),
    /** `claim`: serve this generation when no live one is served; `takeover`: switch to it as soon as its build is live. */
    GDHK_READ_MODEL_SWITCH: z.enum(['claim', 'takeover']).default('claim'),
    /** Worker threads for signature and schema checks; 0 checks on the main thread. */
    GDHK_PROJECTION_VERIFY_WORKERS: count(0, Math.max(1, availableParallelism())),
    /** How often the projection checks that Redis still holds its build (ms). */
    GDHK_PROJECTION_WATCH_MS: count(50, 500),
    /** Partitions whose batches are processed at the same time. */
    GDHK_PROJECTION_CONCURRENCY: count(1, 4),
    GDHK_PROJECTION_FETCH_BYTES: count(64 * 1024, 1024 * 1024),
    /** How long the group waits for a silent member (one killed -9) before its partitions move (ms). */
    GDHK_PROJECTION_SESSION_TIMEOUT_MS: count(6000, 10_000),
  })
  .transform((env) => ({ ...env, keySetFile: env.GDHK_KEYSET_FILE ?? join(env.GDHK_KEYS_DIR, 'keyset.json') }));

export type ProjectionConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): ProjectionConfig {
  return parseConfig(schema, env);
}
