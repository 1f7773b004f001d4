import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { devAuthKeys, issueToken, type Role } from '@gdhk/http';
import { ensureDevKeySet } from '@gdhk/integrity';
import { freePort, waitFor } from '@gdhk/infra';
import type { TestInfra } from './index.ts';

const root = join(import.meta.dirname, '..', '..');

export type ProcessName = 'gd-service' | 'hk-service' | 'projection' | 'joint-api';

// Cosigned checkpoints are off unless a suite asks for them (`env`): a record on a timer would
// make every suite that counts the records of a log depend on how long it ran.
const entries: Record<ProcessName, { entry: string; env: Record<string, string> }> = {
  'gd-service': { entry: 'services/side-service/src/server.ts', env: { SIDE: 'gd', GDHK_CHECKPOINT_MS: '0' } },
  'hk-service': { entry: 'services/side-service/src/server.ts', env: { SIDE: 'hk', GDHK_CHECKPOINT_MS: '0' } },
  projection: { entry: 'services/projection/src/server.ts', env: {} },
  // The suites poll joint-api as one user as fast as it answers; its per-user limit has a test of its own (services/joint-api/test/bounds.int.test.ts).
  'joint-api': { entry: 'services/joint-api/src/server.ts', env: { GDHK_RATE_LIMIT_PER_SECOND: '0' } },
};

export interface RunningProcess {
  readonly name: ProcessName;
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export interface TestSystem {
  readonly keysDir: string;
  readonly processes: Map<ProcessName, RunningProcess>;
  url(name: ProcessName): string;
  start(name: ProcessName): Promise<RunningProcess>;
  token(side: 'gd' | 'hk' | 'joint', role: Role, department?: string, sub?: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * The real processes, as `npm start` runs them, on free ports, against the run's Kafka and
 * Redis under the test's own topic and key prefix; `extraEnv` is given to every process started.
 */
export async function startSystem(infra: TestInfra, names: readonly ProcessName[], extraEnv: Readonly<Record<string, string>> = {}): Promise<TestSystem> {
  const keysDir = mkdtempSync(join(tmpdir(), 'gdhk-test-keys-'));
  await ensureDevKeySet(keysDir);
  const { privateKey } = await devAuthKeys(keysDir);
  const processes = new Map<ProcessName, RunningProcess>();

  const start = async (name: ProcessName): Promise<RunningProcess> => {
    const port = await freePort();
    const { entry, env } = entries[name];
    const child = spawn(process.execPath, [join(root, entry)], {
      cwd: root,
      env: {
        ...process.env,
        ...env,
        PORT: String(port),
        HOST: '127.0.0.1',
        KAFKA_BROKERS: infra.brokers.join(','),
        REDIS_URL: infra.redisUrl,
        GDHK_TOPIC_PREFIX: infra.prefix,
        GDHK_KEYS_DIR: keysDir,
        LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-400_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = `http://127.0.0.1:${port}`;
    const running: RunningProcess = {
      name,
      url,
      child,
      output: () => output,
      stop: async (signal = 'SIGTERM') => {
        if (child.exitCode === null && child.signalCode === null) child.kill(signal);
        return exited;
      },
    };
    processes.set(name, running);
    try {
      await waitFor(`${name} to be ready`, async () => {
        if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
        return (await fetch(`${url}/health/ready`)).ok;
      }, 60_000, 100);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- ${name} output ---\n${output}`);
    }
    return running;
  };

  const stop = async () => {
    await Promise.all([...processes.values()].map((running) => running.stop()));
    rmSync(keysDir, { recursive: true, force: true });
  };

  try {
    for (const name of names) await start(name);
  } catch (error) {
    // Nobody else can stop what started: the caller gets no TestSystem when this throws (in a
    // beforeAll, its `system` is still undefined, so its afterAll stops nothing). Every spawned
    // process is in `processes` before its readiness wait, the one that failed too: stop them all.
    await stop();
    throw error;
  }
  return {
    keysDir,
    processes,
    url: (name) => {
      const running = processes.get(name);
      if (!running) throw new Error(`${name} is not running`);
      return running.url;
    },
    start,
    token: (side, role, department, sub) =>
      issueToken(privateKey, {
        sub: sub ?? `${side}-${role}-${department ?? 'none'}`,
        side,
        roles: [role],
        ...(department ? { department } : {}),
        issuer: 'gdhk-dev',
        audience: 'gdhk',
      }),
    stop,
  };
}

/** JSON over HTTP with a bearer token; returns status, headers and parsed body. */
export async function call(
  url: string,
  options: { method?: string; token?: string; body?: unknown; headers?: Record<string, string> } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- test bodies are checked by the assertions that read them
): Promise<{ status: number; headers: Headers; body: any }> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, { method: options.method ?? (options.body === undefined ? 'GET' : 'POST'), headers, body: options.body === undefined ? null : JSON.stringify(options.body) });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, headers: response.headers, body };
}
