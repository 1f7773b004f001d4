import { join } from 'node:path';
import { parseConfig, sideServiceEnvironment } from '@gdhk/config';
import type { Side } from '@gdhk/domain';
import type { z } from 'zod';

// One side-service package, two configurations: the side picks its default port.
const DEFAULT_PORTS: Readonly<Record<Side, number>> = { gd: 4101, hk: 4102 };

const schema = sideServiceEnvironment.transform((env) => ({
  ...env,
  PORT: env.PORT ?? DEFAULT_PORTS[env.SIDE],
  keysDir: env.GDHK_KEYS_DIR,
  signingKeyFile: join(env.GDHK_KEYS_DIR, `signing-${env.SIDE}.json`),
}));

export type SideServiceConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): SideServiceConfig {
  return parseConfig(schema, env);
}
