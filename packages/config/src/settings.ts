import { z } from 'zod';
import { portNumber } from './parse.ts';

// Fragments of the environment schema shared by the processes; each process extends them.

const brokerList = z
  .string()
  .min(1)
  .transform((value) => value.split(',').map((broker) => broker.trim()).filter(Boolean))
  .pipe(z.array(z.string().regex(/^[^:\s]+:\d+$/, 'expected host:port')).min(1));

export const kafkaSettings = {
  KAFKA_BROKERS: brokerList.default(['127.0.0.1:9092']),
  GDHK_TOPIC_PREFIX: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" and "-" only').default('gdhk'),
};

export const redisSettings = {
  REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
};

export const httpSettings = (defaultPort: number) => ({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: portNumber.default(defaultPort),
});

export const logSettings = {
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};
