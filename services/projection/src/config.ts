import { join } from 'node:path';
import { parseConfig, projectionEnvironment } from '@gdhk/config';
import type { z } from 'zod';

const schema = projectionEnvironment.transform((env) => ({ ...env, keySetFile: env.GDHK_KEYSET_FILE ?? join(env.GDHK_KEYS_DIR, 'keyset.json') }));

export type ProjectionConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): ProjectionConfig {
  return parseConfig(schema, env);
}
