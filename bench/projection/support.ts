// Shared by bench/projection, bench/read and bench/lag. Kafka and Redis for a benchmark: KAFKA_BROKERS / REDIS_URL when set, otherwise a local KRaft
// broker and a private redis-server, started here and stopped at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { freePort, startKafkaCluster, startRedisServer, waitFor } from '@gdhk/infra';
import { benchEnv } from '../env.ts';

export const root = join(import.meta.dirname, '..', '..');

export interface BenchInfra {
  readonly brokers: string[];
  readonly redisUrl: string;
  stop(): Promise<void>;
}

export async function benchInfra(): Promise<BenchInfra> {
  const stops: (() => Promise<void>)[] = [];
  let brokers = benchEnv.KAFKA_BROKERS;
  if (!brokers) {
    const dataDir = mkdtempSync(join(tmpdir(), 'gdhk-bench-kafka-'));
    const cluster = await startKafkaCluster({ dataDir, nodes: [{ client: await freePort(), controller: await freePort() }] });
    brokers = cluster.brokers;
    stops.push(async () => {
      await cluster.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
  }
  let redisUrl = benchEnv.REDIS_URL;
  if (!redisUrl) {
    const server = await startRedisServer();
    redisUrl = server.url;
    stops.push(server.stop);
  }
  return { brokers, redisUrl, stop: async () => void (await Promise.all(stops.reverse().map((stop) => stop()))) };
}

export interface Spawned {
  readonly child: ChildProcess;
  readonly url: string;
  output(): string;
  /** Peak resident set size of the process so far (VmHWM), in bytes. */
  peakRss(): number;
  stop(): Promise<void>;
}

/** A service process as `npm start` runs it, on a free port. */
export async function spawnService(entry: string, env: Record<string, string>): Promise<Spawned> {
  const port = await freePort();
  // BENCH_SERVICE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to look inside a run (bench/profile.ts summarises it).
  const child = spawn(process.execPath, [...benchEnv.BENCH_SERVICE_NODE_ARGS, join(root, entry)], {
    cwd: root,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', KAFKAJS_NO_PARTITIONER_WARNING: '1', GDHK_MAX_CLOCK_SKEW_MS: String(Number.MAX_SAFE_INTEGER), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${entry} to be ready`, async () => {
    if (child.exitCode !== null) throw new Error(`${entry} exited:\n${output}`);
    return (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok ?? false;
  }, 120_000, 100);
  return {
    child,
    url,
    output: () => output,
    peakRss: () => {
      try {
        const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        return Number(match?.[1] ?? 0) * 1024;
      } catch {
        return 0;
      }
    },
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

export function machine(): string {
  const cpu = cpus();
  const [one, five] = loadavg();
  return `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, load average ${one?.toFixed(2)} / ${five?.toFixed(2)} (1 / 5 min) when the report was written`;
}

export function argument(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isFinite(value)) throw new Error(`--${name} must be a number`);
  return value;
}

export function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

