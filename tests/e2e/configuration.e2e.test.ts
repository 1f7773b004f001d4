import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const entries = {
  'side-service': 'services/side-service/src/server.ts',
  projection: 'services/projection/src/server.ts',
  'joint-api': 'services/joint-api/src/server.ts',
} as const;

/** Starts a process as `npm start` does and waits (up to a deadline) for it to stop on its own. */
async function startWith(entry: keyof typeof entries, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(root, entries[entry])], {
    cwd: root,
    // Nothing reachable: a process that got past its configuration would hang on Kafka or Redis, not exit.
    env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1', REDIS_URL: 'redis://127.0.0.1:1', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

/** Runs a root npm script (through the bootstrap, as a user does) and waits for it to stop on its own. */
async function runScript(script: string, args: readonly string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const child = spawn('npm', ['run', '-s', script, '--', ...args], {
    cwd: root,
    env: { ...process.env, KAFKA_BROKERS: '127.0.0.1:1', REDIS_URL: 'redis://127.0.0.1:1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (exitCode) => resolve(exitCode)));
  clearTimeout(timer);
  return { code, output };
}

// README: "Every process and CLI reads its environment once at start-up, through one zod schema
// per process; a wrong value stops it, before it connects to anything, with a message naming the
// variable, the problem and the value."
describe('a wrong configuration stops the process with a message naming the variable', () => {
  const cases: { entry: keyof typeof entries; env: Record<string, string>; variable: string; value: string }[] = [
    { entry: 'side-service', env: { SIDE: 'macau' }, variable: 'SIDE', value: 'macau' },
    { entry: 'side-service', env: { SIDE: 'gd', KAFKA_BROKERS: 'kafka-without-port' }, variable: 'KAFKA_BROKERS', value: 'kafka-without-port' },
    { entry: 'side-service', env: { SIDE: 'hk', PORT: '70000' }, variable: 'PORT', value: '70000' },
    { entry: 'side-service', env: { SIDE: 'gd', WRITE_BATCH_MAX: '0' }, variable: 'WRITE_BATCH_MAX', value: '0' },
    { entry: 'projection', env: { REDIS_URL: 'http://127.0.0.1:6379' }, variable: 'REDIS_URL', value: 'http://127.0.0.1:6379' },
    { entry: 'projection', env: { GDHK_READ_MODEL_GENERATION: 'Green_1' }, variable: 'GDHK_READ_MODEL_GENERATION', value: 'Green_1' },
    { entry: 'joint-api', env: { GDHK_TOPIC_PREFIX: 'has space' }, variable: 'GDHK_TOPIC_PREFIX', value: 'has space' },
    { entry: 'joint-api', env: { GDHK_SSE_KEEPALIVE_MS: '10' }, variable: 'GDHK_SSE_KEEPALIVE_MS', value: '10' },
  ];

  it.each(cases)('$entry with $variable=$value', async ({ entry, env, variable, value }) => {
    const { code, output } = await startWith(entry, env);
    expect(code, output).not.toBe(0);
    expect(code, 'killed at the deadline instead of stopping on its own').not.toBeNull();
    expect(output).toContain(`${variable}: `);
    expect(output).toContain(JSON.stringify(value).slice(1, -1));
    // One message about the configuration, not a later symptom such as a refused connection.
    expect(output).not.toMatch(/ECONNREFUSED|127\.0\.0\.1:1\b/);
  });

  // Regression: `npm start` and `npm run infra` read GDHK_PARTITIONS with Number(): "abc" became NaN partitions.
  const scripts: { script: string; args: string[]; env: Record<string, string>; variable: string; value: string; problem: string }[] = [
    { script: 'infra', args: ['topics'], env: { GDHK_PARTITIONS: 'abc' }, variable: 'GDHK_PARTITIONS', value: 'abc', problem: 'expected a whole number ≥ 1' },
    { script: 'infra', args: ['topics'], env: { KAFKA_BROKERS: 'kafka-without-port' }, variable: 'KAFKA_BROKERS', value: 'kafka-without-port', problem: 'expected host:port' },
    { script: 'start', args: [], env: { GDHK_PARTITIONS: '0' }, variable: 'GDHK_PARTITIONS', value: '0', problem: 'expected a whole number ≥ 1' },
    { script: 'start', args: [], env: { REDIS_URL: 'localhost:6379' }, variable: 'REDIS_URL', value: 'localhost:6379', problem: '' },
    { script: 'token', args: ['--side', 'gd', '--role', 'coordinator'], env: { JWT_AUDIENCE: '' }, variable: 'JWT_AUDIENCE', value: '', problem: '' },
    { script: 'audit', args: ['replay'], env: { GDHK_TOPIC_PREFIX: 'has space' }, variable: 'GDHK_TOPIC_PREFIX', value: 'has space', problem: 'letters, digits' },
    // The bootstrap runs before zod is installed and parses its one variable by hand, in the same words.
    { script: 'token', args: ['--side', 'gd', '--role', 'coordinator'], env: { GDHK_NODE_LINE: 'abc' }, variable: 'GDHK_NODE_LINE', value: 'abc', problem: 'expected a supported Node line' },
  ];

  it.each(scripts)('npm run $script with $variable=$value', { timeout: 90_000 }, async ({ script, args, env, variable, value, problem }) => {
    const { code, output } = await runScript(script, args, env);
    expect(code, output).not.toBe(0);
    expect(code, 'killed at the deadline instead of stopping on its own').not.toBeNull();
    // One line: the variable, the problem and the value it got.
    const line = output.split('\n').find((text) => text.includes(`${variable}: ${problem}`));
    expect(line, output).toContain(`(got ${JSON.stringify(value)})`);
    // Stopped at its configuration: nothing started, nothing reached for.
    expect(output).not.toMatch(/ECONNREFUSED|127\.0\.0\.1:1\b|\[start\] (building|starting)/);
  });

  it('a side service without SIDE names SIDE', async () => {
    const { code, output } = await startWith('side-service', {});
    expect(code).toBe(1);
    expect(output).toMatch(/SIDE: .*\(got nothing\)/);
  });
});
