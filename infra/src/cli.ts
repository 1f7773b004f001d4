// `npm run infra -- <command>`: run the project's own Kafka (and Redis) by hand.
//   kafka [--nodes 1|3] [--port 9092]   start a KRaft cluster in the foreground (Ctrl-C stops it)
//   topics [--partitions 6]             create the contract's topics on KAFKA_BROKERS (default GDHK_PARTITIONS, else 6)
//   redis [--port 6379]                 start a private redis-server in the foreground
//   keys                                create development signing and token keys in GDHK_KEYS_DIR
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, infraEnvironment, parseConfig } from '@gdhk/config';
import { devAuthKeys } from '@gdhk/http';
import { ensureDevKeySet } from '@gdhk/integrity';
import { createContractTopics, startKafkaCluster, startRedisServer } from './index.ts';

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    nodes: { type: 'string', default: '1' },
    port: { type: 'string' },
    partitions: { type: 'string' },
    prefix: { type: 'string' },
  },
});
const root = join(import.meta.dirname, '..', '..');

async function untilSignal(): Promise<void> {
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new Error(`--${name} must be a positive whole number, got '${value}'`);
  return parsed;
}

try {
  const env = parseConfig(infraEnvironment, process.env);
  switch (positionals[0]) {
    case 'kafka': {
      const count = positiveInt('nodes', values.nodes, 1);
      const base = positiveInt('port', values.port, 9092);
      const nodes = Array.from({ length: count }, (_, i) => ({ client: base + i, controller: base + 100 + i }));
      const cluster = await startKafkaCluster({ dataDir: join(root, '.data', count === 1 ? 'kafka' : `kafka-${count}`), nodes, log: console.error });
      console.log(`kafka ready: KAFKA_BROKERS=${cluster.brokers.join(',')} (Ctrl-C stops it)`);
      await untilSignal();
      await cluster.stop();
      break;
    }
    case 'topics': {
      const brokers = env.KAFKA_BROKERS;
      const partitions = positiveInt('partitions', values.partitions, env.GDHK_PARTITIONS);
      const created = await createContractTopics(brokers, { prefix: values.prefix ?? env.GDHK_TOPIC_PREFIX, partitions, replicationFactor: Math.min(3, brokers.length) });
      console.log(created.length > 0 ? `created ${created.join(', ')}` : 'all topics exist');
      break;
    }
    case 'redis': {
      const server = await startRedisServer(positiveInt('port', values.port, 6379));
      console.log(`redis ready: REDIS_URL=${server.url} (Ctrl-C stops it)`);
      await untilSignal();
      await server.stop();
      break;
    }
    case 'keys': {
      const keysDir = resolve(root, env.GDHK_KEYS_DIR);
      const { keySetFile } = await ensureDevKeySet(keysDir);
      await devAuthKeys(keysDir);
      console.log(`development keys in ${keysDir}; public key set for verifiers: ${keySetFile}`);
      break;
    }
    default:
      console.error('usage: npm run infra -- kafka [--nodes 1|3] [--port 9092] | topics [--partitions 6] [--prefix gdhk] | redis [--port 6379] | keys');
      process.exit(2);
  }
} catch (error) {
  console.error(`infra: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(error instanceof ConfigError ? 2 : 1);
}
