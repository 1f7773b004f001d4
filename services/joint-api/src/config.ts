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
});

export type JointApiConfig = z.infer<typeof schema>;

export function loadConfig(env: Record<string, string | undefined> = process.env): JointApiConfig {
  return parseConfig(schema, env);
}
