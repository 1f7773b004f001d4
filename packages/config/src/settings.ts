import { z } from 'zod';
import { portNumber } from './parse.ts';

// Fragments of the environment schemas shared by the processes (environments.ts); each process
// takes the ones it reads, so one variable means the same thing and has one default everywhere.

export const brokerList = z
  .string()
  .min(1)
  .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1));

export const redisUrl = z.url({ protocol: /^rediss?$/ });

export const kafkaSettings = {
  KAFKA_BROKERS: brokerList.default(['127.0.0.1:9092']),
  GDHK_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only').default('gdhk'),
};

export const redisSettings = {
  REDIS_URL: redisUrl.default('redis://127.0.0.1:6379'),
};

export const httpSettings = (defaultPort: number) => ({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: portNumber.default(defaultPort),
});

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

export const logSettings = {
  LOG_LEVEL: logLevel.default('info'),
};

/** Relative to the working directory; the root npm scripts run in the repository's root. */
export const keysSettings = {
  GDHK_KEYS_DIR: z.string().min(1).default('.keys'),
};

/** The development token issuer's claims: the services check them, the token minters set them. */
export const jwtSettings = {
  JWT_ISSUER: z.string().min(1).default('gdhk-dev'),
  JWT_AUDIENCE: z.string().min(1).default('gdhk'),
};
