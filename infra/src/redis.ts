import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { freePort, portIsFree, requireCommand, waitFor } from './process.ts';

export interface RedisServer {
  readonly url: string;
  readonly process: ChildProcess | undefined;
  stop(): Promise<void>;
}

/** True when something at host:port answers PING with PONG. */
export async function redisAnswers(host: string, port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (chunk: Buffer) => done(chunk.toString().startsWith('+PONG')));
  });
}

/**
 * Starts a private redis-server from PATH. It keeps nothing on disk: Redis is only a cache of
 * the joint view, which the projection rebuilds from Kafka.
 */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  requireCommand('redis-server', 'to run Redis (install it, or set REDIS_URL to a running one)');
  const chosen = port ?? (await freePort());
  const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(chosen), '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await waitFor(`redis-server on port ${chosen}`, async () => {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    return redisAnswers('127.0.0.1', chosen);
  }, 10_000, 100);
  return {
    url: `redis://127.0.0.1:${chosen}`,
    process: child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * For `npm start`: REDIS_URL when set; else the Redis answering on 127.0.0.1:6379; else a
 * redis-server of our own (on 6379 when free, otherwise on a free port).
 */
export async function ensureRedis(configuredUrl: string | undefined): Promise<RedisServer> {
  if (configuredUrl) return { url: configuredUrl, process: undefined, stop: async () => {} };
  if (await redisAnswers('127.0.0.1', 6379)) return { url: 'redis://127.0.0.1:6379', process: undefined, stop: async () => {} };
  return startRedisServer(await portIsFree(6379) ? 6379 : undefined);
}
