import { join } from 'node:path';
import { httpSettings, kafkaSettings, logSettings, parseConfig, redisSettings } from '@gdhk/config';
import { z } from 'zod';

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
  })
  .transform((env) => ({ ...env, keySetFile: env.GDHK_KEYSET_FILE ?? join(env.GDHK_KEYS_DIR, 'keyset.json') }));

export type ProjectionConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): ProjectionConfig {
  return parseConfig(schema, env);
}
