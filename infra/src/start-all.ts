// `npm start`: Kafka and Redis (unless KAFKA_BROKERS / REDIS_URL point elsewhere), the contract's
// topics, development keys, and the four processes. Ctrl-C stops everything this started.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { launcherEnvironment, parseConfig } from '@gdhk/config';
import { devAuthKeys } from '@gdhk/http';
import { ensureDevKeySet } from '@gdhk/integrity';
import { launcherTokens } from './dev-tokens.ts';
import { buildDesk, createContractTopics, ensureRedis, portIsFree, startKafkaCluster, waitFor, type KafkaCluster, type RedisServer } from './index.ts';

const root = join(import.meta.dirname, '..', '..');
const dataDir = join(root, '.data');
const logDir = join(dataDir, 'logs');
let config: ReturnType<typeof launcherEnvironment.parse>;
try {
  config = parseConfig(launcherEnvironment, process.env);
} catch (error) {
  console.error(`[start] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const keysDir = resolve(root, config.GDHK_KEYS_DIR);
const prefix = config.GDHK_TOPIC_PREFIX;
const partitions = config.GDHK_PARTITIONS;
const started = Date.now();
const say = (line: string) => console.log(`[start] ${line}`);

interface Service {
  readonly name: string;
  readonly entry: string;
  readonly env: Record<string, string>;
  readonly readyUrl: string;
}

let kafka: KafkaCluster | undefined;
let redis: RedisServer | undefined;
const children = new Map<string, ChildProcess>();
let stopping = false;

async function stopAll(exitCode: number): Promise<never> {
  if (stopping) return new Promise<never>(() => {});
  stopping = true;
  say('stopping…');
  await Promise.all(
    [...children].map(async ([name, child]) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => {
        say(`${name} did not stop in 15 s; killing it`);
        child.kill('SIGKILL');
      }, 15_000);
      await exited;
      clearTimeout(timer);
    }),
  );
  // Every caller fires this and forgets it (the signal handlers, a child's exit handler, main's
  // catch), so it never rejects: a failure to stop Kafka or Redis is reported, and the exit is 1.
  try {
    await kafka?.stop();
    await redis?.stop();
    say('stopped');
  } catch (error) {
    say(`stopping Kafka or Redis failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  process.exit(exitCode);
}
process.once('SIGINT', () => void stopAll(0));
process.once('SIGTERM', () => void stopAll(0));

function startService(service: Service, shared: Record<string, string>): void {
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, `${service.name}.log`), { flags: 'a' });
  const child = spawn(process.execPath, [join(root, service.entry)], {
    cwd: root,
    env: { ...process.env, ...shared, ...service.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(log);
  child.stderr?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    process.stderr.write(`[${service.name}] ${chunk.toString()}`);
  });
  child.once('exit', (code, signal) => {
    if (stopping) return;
    say(`${service.name} exited unexpectedly (${code ?? signal}); see ${join(logDir, `${service.name}.log`)}`);
    void stopAll(1);
  });
  children.set(service.name, child);
}

async function main(): Promise<void> {
  say('building the joint secretariat desk (apps/desk) …');
  buildDesk();
  let brokers = config.KAFKA_BROKERS?.join(',');
  if (!brokers) {
    if (!(await portIsFree(9092))) {
      throw new Error('port 9092 is taken by another process; stop it, or set KAFKA_BROKERS to use a running Kafka');
    }
    say('starting Kafka (KRaft, one node) on 127.0.0.1:9092 …');
    kafka = await startKafkaCluster({ dataDir: join(dataDir, 'kafka'), nodes: [{ client: 9092, controller: 9093 }], log: say });
    brokers = kafka.brokers.join(',');
  }
  redis = await ensureRedis(config.REDIS_URL);
  say(`Kafka ${brokers}, Redis ${redis.url}${redis.process ? ' (started here)' : ''}`);
  const created = await createContractTopics(brokers.split(','), { prefix, partitions, replicationFactor: Math.min(3, brokers.split(',').length) });
  if (created.length > 0) say(`created topics ${created.join(', ')}`);

  await ensureDevKeySet(keysDir);
  const { privateKey } = await devAuthKeys(keysDir);
  const shared = { KAFKA_BROKERS: brokers, REDIS_URL: redis.url, GDHK_TOPIC_PREFIX: prefix, GDHK_KEYS_DIR: keysDir };
  const services: Service[] = [
    { name: 'gd-service', entry: 'services/side-service/src/server.ts', env: { SIDE: 'gd', PORT: '4101' }, readyUrl: 'http://127.0.0.1:4101/health/ready' },
    { name: 'hk-service', entry: 'services/side-service/src/server.ts', env: { SIDE: 'hk', PORT: '4102' }, readyUrl: 'http://127.0.0.1:4102/health/ready' },
    { name: 'projection', entry: 'services/projection/src/server.ts', env: { PORT: '4103' }, readyUrl: 'http://127.0.0.1:4103/health/ready' },
    { name: 'joint-api', entry: 'services/joint-api/src/server.ts', env: { PORT: '4100' }, readyUrl: 'http://127.0.0.1:4100/health/ready' },
  ];
  for (const service of services) startService(service, shared);
  await Promise.all(
    services.map((service) =>
      waitFor(`${service.name} to be ready (${service.readyUrl})`, async () => (await fetch(service.readyUrl)).ok, 120_000, 250),
    ),
  );

  const { coordinator: token, desk: deskToken } = await launcherTokens(privateKey, config);
  say(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`
  desk        http://127.0.0.1:4100/#token=${deskToken}
              (the joint secretariat's dashboard, signed in with a development secretariat token for 8 h)
  joint-api   http://127.0.0.1:4100   (docs: /docs)
  gd-service  http://127.0.0.1:4101
  hk-service  http://127.0.0.1:4102
  projection  http://127.0.0.1:4103   (health and metrics only)
  logs        ${logDir}

  Try it (a GD coordinator reports on item 2019-01; tokens: npm run token -- --side gd --role coordinator):

  curl -s -X POST http://127.0.0.1:4101/v1/items/2019-01/status \\
    -H "Authorization: Bearer ${token}" \\
    -H 'Content-Type: application/json' -H "Idempotency-Key: $(node -e 'console.log(crypto.randomUUID())')" \\
    -d '{"status":"in_progress","progress":10,"summary":"Operating arrangements under review"}'

  Ctrl-C stops everything.
`);
}

main().catch((error: unknown) => {
  console.error(`[start] failed: ${error instanceof Error ? error.message : String(error)}`);
  void stopAll(1);
});
