import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { topicNames } from '@gdhk/config';
import { freePort, waitFor } from '@gdhk/infra';
import { GENESIS_HASH, readSigningKeyFile, sealEvent } from '@gdhk/integrity';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import type { TestInfra } from './index.ts';
import type { RunningProcess, TestSystem } from './system.ts';

// Helpers for the projection and joint-api suites: extra process instances with their own
// settings, signed events written straight to the side topics, and the read model in Redis.

const root = join(import.meta.dirname, '..', '..');
const entries = { projection: 'services/projection/src/server.ts', 'joint-api': 'services/joint-api/src/server.ts' } as const;

/** Another projection or joint-api process beside `system`'s (same keys), with extra environment. */
export async function spawnInstance(
  infra: Pick<TestInfra, 'brokers' | 'redisUrl' | 'prefix'>,
  system: Pick<TestSystem, 'keysDir'>,
  name: keyof typeof entries,
  env: Record<string, string> = {},
): Promise<RunningProcess & { pid: number }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(root, entries[name])], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      KAFKA_BROKERS: infra.brokers.join(','),
      REDIS_URL: infra.redisUrl,
      GDHK_TOPIC_PREFIX: infra.prefix,
      GDHK_KEYS_DIR: system.keysDir,
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      // As in system.ts: the suites poll as one user; the limit is tested on its own.
      ...(name === 'joint-api' ? { GDHK_RATE_LIMIT_PER_SECOND: '0' } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${name} to be ready`, async () => {
      if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
      return (await fetch(`${url}/health/ready`)).ok;
    }, 60_000, 100);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${(error as Error).message}\n--- ${name} output ---\n${output}`);
  }
  return {
    name,
    url,
    child,
    pid: child.pid ?? 0,
    output: () => output,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

export interface UnsealedEvent {
  readonly itemId: string;
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly occurredAt?: string;
}

/**
 * Writes events straight to a side topic, sealed with the side's development key, continuing
 * each stream from `positions` (which it updates). For traffic the side services did not make:
 * forgeries, crossings, and volume.
 */
export class SideWriter {
  private readonly kafka: Kafka;
  private readonly producer;
  readonly positions = new Map<string, { version: number; hash: string }>();
  private readonly infra: Pick<TestInfra, 'brokers' | 'prefix'>;
  private readonly keysDir: string;

  constructor(infra: Pick<TestInfra, 'brokers' | 'prefix'>, keysDir: string) {
    this.infra = infra;
    this.keysDir = keysDir;
    this.kafka = new Kafka({ clientId: 'test-side-writer', brokers: infra.brokers, logLevel: logLevel.NOTHING });
    this.producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  }

  async connect(): Promise<void> {
    await this.producer.connect();
  }

  seal(side: 'gd' | 'hk', event: UnsealedEvent): Record<string, unknown> & { hash: string; streamVersion: number } {
    const key = readSigningKeyFile(join(this.keysDir, `signing-${side}.json`), side);
    const stream = `${side}/${event.itemId}`;
    const position = this.positions.get(stream) ?? { version: 0, hash: GENESIS_HASH };
    const sealed = sealEvent(
      {
        eventId: uuidV7(),
        type: event.type,
        schemaVersion: 1,
        side,
        itemId: event.itemId,
        streamVersion: position.version + 1,
        occurredAt: event.occurredAt ?? new Date().toISOString(),
        actor: { userId: `${side}-coordinator`, department: 'Test Department', role: 'coordinator' },
        commandId: randomUUID(),
        correlationId: randomUUID(),
        causationId: randomUUID(),
        data: event.data,
      },
      position.hash,
      key,
    );
    this.positions.set(stream, { version: sealed.streamVersion, hash: sealed.hash });
    return sealed;
  }

  /** Seals and writes events in order; returns what was written. */
  async write(side: 'gd' | 'hk', events: readonly UnsealedEvent[]): Promise<Record<string, unknown>[]> {
    const sealed = events.map((event) => this.seal(side, event));
    await this.writeRaw(side, sealed.map((value) => ({ key: String(value.itemId), value: JSON.stringify(value) })));
    return sealed;
  }

  /** Writes records as they are (forged, altered, misplaced…). */
  async writeRaw(side: 'gd' | 'hk', records: readonly { key: string; value: string; partition?: number }[]): Promise<void> {
    const topic = topicNames(this.infra.prefix).side[side];
    for (let index = 0; index < records.length; index += 5000) {
      await this.producer.send({ topic, acks: -1, messages: records.slice(index, index + 5000).map((record) => ({ ...record })) });
    }
  }

  async disconnect(): Promise<void> {
    await this.producer.disconnect();
  }
}

/** A UUID v7 from the clock, as the side services mint them. */
export function uuidV7(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  let ms = BigInt(Date.now());
  for (let index = 5; index >= 0; index--) {
    bytes[index] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** One generation of the read model as stored: what two projections must agree on. */
export interface StoredReadModel {
  readonly state: string | null;
  readonly offsets: Record<string, string>;
  /** per side-topic partition, the next offset the projection read (past records it holds for a seal) */
  readonly reached: Record<string, string>;
  readonly items: Record<string, unknown>;
  readonly views: Record<string, unknown>;
  /** feed entries as `source` → event JSON (the order may differ between builds; the set may not) */
  readonly feed: Map<string, string>;
  /** per source topic-partition, the offsets in feed order */
  readonly feedOrder: Map<string, bigint[]>;
}

export async function readStoredModel(redisUrl: string, prefix: string, generation: string): Promise<StoredReadModel> {
  const redis = new Redis(redisUrl);
  try {
    const base = `${prefix}:rm:${generation}`;
    const parse = (hash: Record<string, string>) => Object.fromEntries(Object.entries(hash).map(([key, json]) => [key, JSON.parse(json) as unknown]));
    const feed = new Map<string, string>();
    const feedOrder = new Map<string, bigint[]>();
    for (const [, fields] of await redis.xrange(`${base}:feed`, '-', '+')) {
      const source = fields[1] ?? '';
      feed.set(source, fields[3] ?? '');
      const [tp, offset] = source.split('@');
      feedOrder.set(tp ?? '', [...(feedOrder.get(tp ?? '') ?? []), BigInt(offset ?? '0')]);
    }
    return {
      state: await redis.hget(`${base}:meta`, 'state'),
      offsets: await redis.hgetall(`${base}:offsets`),
      reached: await redis.hgetall(`${base}:reached`),
      items: parse(await redis.hgetall(`${base}:items`)),
      views: parse(await redis.hgetall(`${base}:views`)),
      feed,
      feedOrder,
    };
  } finally {
    redis.disconnect();
  }
}

/** Side-topic high watermarks: where a caught-up projection's offsets stand. */
export async function sideHighWatermarks(infra: Pick<TestInfra, 'brokers' | 'prefix'>): Promise<Record<string, string>> {
  const admin = new Kafka({ clientId: 'test-watermarks', brokers: infra.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    const marks: Record<string, string> = {};
    const topics = topicNames(infra.prefix).side;
    for (const topic of [topics.gd, topics.hk]) for (const { partition, high } of await admin.fetchTopicOffsets(topic)) marks[`${topic}/${partition}`] = high;
    return marks;
  } finally {
    await admin.disconnect();
  }
}

/** Waits until the generation is live and its offsets reached the side topics' high watermarks. */
export async function waitForCaughtUp(infra: Pick<TestInfra, 'brokers' | 'prefix' | 'redisUrl'>, generation: string, timeoutMs = 60_000): Promise<void> {
  const marks = await sideHighWatermarks(infra);
  await waitFor(`read model ${generation} to catch up`, async () => {
    const stored = await readStoredModel(infra.redisUrl, infra.prefix, generation);
    // Read to the end: records held for a seal that never comes are read, not applied.
    const read = (tp: string) => [stored.offsets[tp], stored.reached[tp]].reduce((max, offset) => (BigInt(offset ?? '0') > max ? BigInt(offset ?? '0') : max), 0n);
    return stored.state === 'live' && Object.entries(marks).every(([tp, high]) => read(tp) >= BigInt(high));
  }, timeoutMs, 100);
}

/** Reads a topic from the start up to its current end. */
export async function readWholeTopic(infra: Pick<TestInfra, 'brokers'>, topic: string): Promise<{ key: string | null; value: string | null; partition: number; offset: string; timestamp: string }[]> {
  const kafka = new Kafka({ clientId: 'test-topic-reader', brokers: infra.brokers, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const ends = new Map((await admin.fetchTopicOffsets(topic)).map(({ partition, high }) => [partition, BigInt(high)]));
  await admin.disconnect();
  const records: { key: string | null; value: string | null; partition: number; offset: string; timestamp: string }[] = [];
  if ([...ends.values()].every((end) => end === 0n)) return records;
  const consumer = kafka.consumer({ groupId: `test-reader-${randomUUID()}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const positions = new Map<number, bigint>();
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`reading ${topic} timed out`)), 30_000);
    const check = () => {
      if ([...ends].every(([partition, end]) => (positions.get(partition) ?? 0n) >= end)) {
        clearTimeout(timer);
        resolve();
      }
    };
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      positions.set(payload.partition, BigInt(payload.lastOffset) + 1n);
      check();
    });
    // A consumer that fails to start fails the read at once, not after the timeout.
    consumer.run({
      eachMessage: async ({ partition, message }) => {
        records.push({ key: message.key?.toString() ?? null, value: message.value?.toString() ?? null, partition, offset: message.offset, timestamp: message.timestamp });
      },
    }).catch(reject);
  });
  await consumer.disconnect();
  return records;
}
