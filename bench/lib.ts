// What the benchmarks share: real Kafka (KAFKA_BROKERS, or a private broker), development keys,
// and the real side-service process, started as `npm start` starts it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { devAuthKeys, issueToken, type Role } from '@gdhk/http';
import { createContractTopics, deleteTopicsWithPrefix, freePort, startKafkaCluster, waitFor } from '@gdhk/infra';
import { ensureDevKeySet, GENESIS_HASH, readSigningKeyFile, sealEvent, type SealedEvent } from '@gdhk/integrity';
import { benchEnv } from './env.ts';

export const root = join(import.meta.dirname, '..');

export interface BenchKafka {
  readonly brokers: string[];
  readonly source: string;
  readonly replicationFactor: number;
  stop(): Promise<void>;
}

/**
 * KAFKA_BROKERS when set (and `nodes` is not asked for), else a private KRaft cluster of `nodes`
 * brokers from infra/ (three: replication factor 3, min.insync.replicas 2, as users run it).
 */
export async function benchKafka(nodes?: number): Promise<BenchKafka> {
  if (benchEnv.KAFKA_BROKERS && nodes === undefined) {
    return { brokers: benchEnv.KAFKA_BROKERS, source: 'KAFKA_BROKERS', replicationFactor: 1, stop: async () => {} };
  }
  const count = nodes ?? 1;
  const dataDir = mkdtempSync(join(tmpdir(), 'gdhk-bench-kafka-'));
  const ports = [];
  for (let i = 0; i < count; i++) ports.push({ client: await freePort(), controller: await freePort() });
  const cluster = await startKafkaCluster({ dataDir, nodes: ports, heapMb: count > 1 ? 512 : 1024, readyTimeoutMs: 120_000, log: (line) => console.error(`[kafka] ${line}`) });
  return {
    brokers: cluster.brokers,
    source: count > 1 ? `private ${count}-node KRaft cluster (infra/), replication factor ${cluster.replicationFactor}` : 'private single-node KRaft broker (infra/)',
    replicationFactor: cluster.replicationFactor,
    stop: async () => {
      await cluster.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function benchTopics(brokers: string[], label: string, partitions = 6, replicationFactor = 1): Promise<{ prefix: string; cleanup(): Promise<void> }> {
  const prefix = `bench-${label}-${Date.now().toString(36)}`;
  await createContractTopics(brokers, { prefix, partitions, replicationFactor });
  return { prefix, cleanup: () => deleteTopicsWithPrefix(brokers, prefix) };
}

export interface BenchKeys {
  readonly dir: string;
  token(side: 'gd' | 'hk', role: Role, sub: string, department?: string): Promise<string>;
  remove(): void;
}

export async function benchKeys(): Promise<BenchKeys> {
  const dir = mkdtempSync(join(tmpdir(), 'gdhk-bench-keys-'));
  await ensureDevKeySet(dir);
  const { privateKey } = await devAuthKeys(dir);
  return {
    dir,
    token: (side, role, sub, department) => issueToken(privateKey, { sub, side, roles: [role], ...(department ? { department } : {}), issuer: benchEnv.JWT_ISSUER, audience: benchEnv.JWT_AUDIENCE, expiresIn: '2h' }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** ms from spawn until /health/ready answered 200 */
  readonly readyMs: number;
  /** the process's peak resident set (VmHWM), in MiB */
  peakRssMiB(): number;
  /** CPU time (user + system) the process has used so far, in ms */
  cpuMs(): number;
  output(): string;
  stop(): Promise<void>;
}

export async function startSideService(options: { side: 'gd' | 'hk'; brokers: string[]; prefix: string; keysDir: string; env?: Record<string, string>; readyTimeoutMs?: number }): Promise<ServiceProcess> {
  const port = await freePort();
  const started = performance.now();
  // BENCH_SERVICE_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to look inside a run.
  const nodeArgs = benchEnv.BENCH_SERVICE_NODE_ARGS;
  const child = spawn(process.execPath, [...nodeArgs, join(root, 'services/side-service/src/server.ts')], {
    cwd: root,
    env: {
      ...process.env,
      SIDE: options.side,
      HOST: '127.0.0.1',
      PORT: String(port),
      KAFKA_BROKERS: options.brokers.join(','),
      GDHK_TOPIC_PREFIX: options.prefix,
      GDHK_KEYS_DIR: options.keysDir,
      LOG_LEVEL: benchEnv.BENCH_LOG_LEVEL,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    'the side service to be ready',
    async () => {
      if (child.exitCode !== null) throw new Error(`the side service exited with ${child.exitCode}:\n${output}`);
      return (await fetch(`${url}/health/ready`).catch(() => undefined))?.ok === true;
    },
    options.readyTimeoutMs ?? 120_000,
    25,
  );
  const readyMs = performance.now() - started;
  return {
    url,
    child,
    readyMs,
    peakRssMiB: () => {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status);
      return match?.[1] ? Number(match[1]) / 1024 : Number.NaN;
    },
    cpuMs: () => processCpuMs(child.pid ?? 0),
    output: () => output,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** CPU time (user + system) a process has used so far, in ms (10 ms steps). */
export function processCpuMs(pid: number): number {
  // Fields 14 and 15 of /proc/<pid>/stat, after the parenthesised command name, in clock ticks (100 Hz).
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The machine a figure was measured on, for the closing JSON line of every bench. */
export function machineInfo(): { cpu: string; cores: number; memoryGiB: number; node: string; loadAverage1m: number; loadAverage5m: number } {
  const [one, five] = loadavg();
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown';
  return { cpu, cores: navigatorCores(), memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, loadAverage1m: Number(one?.toFixed(2)), loadAverage5m: Number(five?.toFixed(2)) };
}

/** A line saying how busy the machine was, for the README: other work skews every number here. */
export function machineNote(): string {
  const [one, five] = loadavg();
  return `load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min) on ${navigatorCores()} cores`;
}

function navigatorCores(): number {
  return Number(readFileSync('/proc/cpuinfo', 'utf8').match(/^processor\s*:/gm)?.length ?? 0);
}

/** The nearest-rank percentile of ascending values (NaN for none). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

/** UUID v7 (time-ordered), as the services mint event ids. */
export function uuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Sealed `item.status-reported` events of one side, hash-chained per item exactly as the side
 * service writes them (same envelope, same sizes), for loading a log or a raw producer.
 */
export function statusReportFactory(side: 'gd' | 'hk', keysDir: string, itemIds: readonly string[]) {
  const key = readSigningKeyFile(join(keysDir, `signing-${side}.json`), side);
  const streams = new Map<string, { version: number; hash: string }>();
  let n = 0;
  return (itemId: string = itemIds[n % itemIds.length] ?? '2019-01'): SealedEvent<Record<string, unknown>> => {
    n += 1;
    const stream = streams.get(itemId) ?? { version: 0, hash: GENESIS_HASH };
    const commandId = randomUUID();
    const sealed = sealEvent<Record<string, unknown>>(
      {
        eventId: uuidV7(),
        type: 'item.status-reported',
        schemaVersion: 1,
        side,
        itemId,
        streamVersion: stream.version + 1,
        occurredAt: new Date().toISOString(),
        actor: { userId: `bench-user-${n % 64}`, department: 'Bench Department', role: 'coordinator' },
        commandId,
        correlationId: randomUUID(),
        causationId: commandId,
        data: { status: 'in_progress', progress: n % 100, summary: `Benchmark report ${n}: works are progressing as planned`, nextSteps: 'Continue' },
      },
      stream.hash,
      key,
    );
    streams.set(itemId, { version: stream.version + 1, hash: sealed.hash });
    return sealed;
  };
}
