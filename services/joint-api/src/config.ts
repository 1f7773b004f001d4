import { jointApiEnvironment, parseConfig } from '@gdhk/config';
import type { z } from 'zod';

export type JointApiConfig = z.infer<typeof jointApiEnvironment>;

export function loadConfig(env: Record<string, string | undefined> = process.env): JointApiConfig {
  return parseConfig(jointApiEnvironment, env);
}
