import { join } from 'node:path';
import { httpSettings, kafkaSettings, logSettings, parseConfig, redisSettings } from '@gdhk/config';
import { z } from 'zod';

const schema = z.object({
  ...redisSettings,
  ...logSettings,
  ...httpSettings(4100),
  GDHK_TOPIC_PREFIX: kafkaSettings.GDHK_TOPIC_PREFIX,
  GDHK_KEYS_DIR: z.string().min(1).default('.keys'),
  JWT_ISSUER: z.string().min(1).default('gdhk-dev'),
  JWT_AUDIENCE: z.string().min(1).default('gdhk'),
  /** Idle time after which an event stream sends a `: keep-alive` comment (ms). */
  GDHK_SSE_KEEPALIVE_MS: z.coerce.number().int().min(100).default(15_000),
  /** A stream client that takes nothing for this long is disconnected; it resumes with Last-Event-ID (ms). */
  GDHK_SSE_DRAIN_TIMEOUT_MS: z.coerce.number().int().min(100).default(30_000),
  /** Browser origins allowed to call the API, comma-separated (`https://desk.example.gov`); empty: CORS off. */
  GDHK_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin is scheme://host[:port], without a path'))),
  /** The built dashboard served at `/` (apps/desk/dist, which `npm start` builds). */
  GDHK_DASHBOARD_DIR: z.string().min(1).default(join(import.meta.dirname, '..', '..', '..', 'apps', 'desk', 'dist')),
});

export type JointApiConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): JointApiConfig {
  return parseConfig(schema, env);
}
