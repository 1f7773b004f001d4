import { join } from 'node:path';
import { parseConfig, sideServiceEnvironment } from '@gdhk/config';
import type { z } from 'zod';

const schema = sideServiceEnvironment.transform((env) => ({
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
