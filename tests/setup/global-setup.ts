import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, kafkaImage, startKafkaCluster, startRedisServer } from '@gdhk/infra';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string;
    redisUrl: string;
    infraSource: string;
  }
}

type Stop = () => Promise<void>;

/**
 * Real Kafka and Redis, started once per run: KAFKA_BROKERS / REDIS_URL when set; testcontainers
 * when a Docker engine answers; otherwise the project's own infra/ (Kafka from Maven Central,
 * redis-server from PATH). Tests isolate themselves with unique topic prefixes and key prefixes.
 */
export default async function setup(project: TestProject): Promise<Stop> {
  const stops: Stop[] = [];
  const docker = process.env.KAFKA_BROKERS && process.env.REDIS_URL ? false : await dockerAnswers();
  const sources: string[] = [];

  let kafkaBrokers = process.env.KAFKA_BROKERS;
  if (kafkaBrokers) sources.push('kafka: KAFKA_BROKERS');
  else if (docker) {
    const { KafkaContainer } = await import('@testcontainers/kafka');
    const container = await new KafkaContainer(kafkaImage()).withKraft().start();
    kafkaBrokers = `${container.getHost()}:${container.getMappedPort(9093)}`;
    stops.push(async () => void (await container.stop()));
    sources.push('kafka: testcontainers');
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'gdhk-test-kafka-'));
    const cluster = await startKafkaCluster({
      dataDir,
      nodes: [{ client: await freePort(), controller: await freePort() }],
      log: (line) => console.error(`[infra] ${line}`),
    });
    kafkaBrokers = cluster.brokers.join(',');
    stops.push(async () => {
      await cluster.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    sources.push('kafka: infra/ (local KRaft broker)');
  }

  let redisUrl = process.env.REDIS_URL;
  if (redisUrl) sources.push('redis: REDIS_URL');
  else if (docker) {
    const { RedisContainer } = await import('@testcontainers/redis');
    const container = await new RedisContainer('redis:7').start();
    redisUrl = container.getConnectionUrl();
    stops.push(async () => void (await container.stop()));
    sources.push('redis: testcontainers');
  } else {
    // A private server, so tests that flush Redis never touch anyone else's data.
    const server = await startRedisServer();
    redisUrl = server.url;
    stops.push(server.stop);
    sources.push('redis: infra/ (private redis-server)');
  }

  project.provide('kafkaBrokers', kafkaBrokers);
  project.provide('redisUrl', redisUrl);
  project.provide('infraSource', sources.join('; '));
  console.error(`[infra] ${sources.join('; ')} — kafka ${kafkaBrokers}, redis ${redisUrl}`);

  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}

async function dockerAnswers(): Promise<boolean> {
  try {
    const { getContainerRuntimeClient } = await import('testcontainers');
    const client = await Promise.race([
      getContainerRuntimeClient(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 5000)),
    ]);
    return Boolean(client);
  } catch {
    return false;
  }
}
