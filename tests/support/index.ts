import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, inject } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { topicNames } from '@gdhk/config';
import type { Role } from '@gdhk/http';
import { createContractTopics, deleteTopicsWithPrefix } from '@gdhk/infra';
import { SideWriter } from './joint.ts';
import { startSystem, type ProcessName, type TestSystem } from './system.ts';

export interface TestInfra {
  readonly brokers: string[];
  readonly redisUrl: string;
  /** A topic prefix, consumer-group prefix and Redis key prefix no other test uses. */
  readonly prefix: string;
  createTopics(partitions?: number): Promise<void>;
  cleanup(): Promise<void>;
}

/** Per-test isolation on the run's shared Kafka and Redis. */
export function testInfra(label: string): TestInfra {
  const brokers = inject('kafkaBrokers').split(',');
  const redisUrl = inject('redisUrl');
  const prefix = `t-${label}-${randomUUID().slice(0, 8)}`;
  return {
    brokers,
    redisUrl,
    prefix,
    createTopics: async (partitions = 3) => {
      await createContractTopics(brokers, { prefix, partitions, replicationFactor: 1 });
    },
    cleanup: async () => {
      await deleteTopicsWithPrefix(brokers, prefix);
      const redis = new Redis(redisUrl, { lazyConnect: true });
      await redis.connect();
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
    },
  };
}

/** A token `useSystem` issues once the system runs: `system.token(side, role, department)`. */
export type TokenSpec = readonly [side: 'gd' | 'hk' | 'joint', role: Role, department?: string];

export interface UsedSystem<T extends string> {
  readonly infra: TestInfra;
  /** The running system (from the describe's beforeAll on). */
  readonly system: TestSystem;
  /** The tokens asked for, by the names they were asked for under. */
  readonly tokens: Readonly<Record<T, string>>;
  /** A connected `SideWriter` with the system's keys, when asked for with `writer: true`. */
  readonly writer: SideWriter;
}

/**
 * The set-up of a describe that runs the real processes: in its beforeAll, the test's own topics
 * (`partitions` each, default 3), the `processes` (with `env` beside their own), a connected `SideWriter` when asked for, then
 * the tokens; in its afterAll, the writer disconnected, the processes stopped and the topics and
 * keys removed. Call it in the describe's body; read its getters inside hooks and tests.
 */
export function useSystem<T extends string = never>(
  label: string,
  processes: readonly ProcessName[],
  options: { readonly tokens?: Readonly<Record<T, TokenSpec>>; readonly writer?: boolean; readonly partitions?: number; readonly env?: Readonly<Record<string, string>> } = {},
): UsedSystem<T> {
  const infra = testInfra(label);
  let system: TestSystem | undefined;
  let writer: SideWriter | undefined;
  let tokens: Record<T, string> | undefined;

  beforeAll(async () => {
    await infra.createTopics(options.partitions ?? 3);
    system = await startSystem(infra, processes, options.env);
    if (options.writer) {
      writer = new SideWriter(infra, system.keysDir);
      await writer.connect();
    }
    const issued = {} as Record<T, string>;
    for (const [name, [side, role, department]] of Object.entries(options.tokens ?? {}) as [T, TokenSpec][]) issued[name] = await system.token(side, role, department);
    tokens = issued;
  });
  afterAll(async () => {
    await writer?.disconnect();
    await system?.stop();
    await infra.cleanup();
  });

  const started = <V>(value: V | undefined, what: string): V => {
    if (value === undefined) throw new Error(`${label}: ${what} is not there (the describe's beforeAll has not run, or failed)`);
    return value;
  };
  return {
    infra,
    get system() {
      return started(system, 'the system');
    },
    get tokens() {
      return started(tokens, 'the tokens');
    },
    get writer() {
      return started(writer, options.writer ? 'the writer' : 'a writer (ask for one with writer: true)');
    },
  };
}

/** Deletes both side topics and creates them again, empty, under the same names: another log (new topic ids). */
export async function recreateSideTopics(infra: Pick<TestInfra, 'brokers' | 'prefix'>, partitions = 3): Promise<void> {
  const { side } = topicNames(infra.prefix);
  const admin = new Kafka({ clientId: `${infra.prefix}-recreate`, brokers: infra.brokers, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  try {
    await admin.deleteTopics({ topics: [side.gd, side.hk], timeout: 30_000 });
    const deadline = Date.now() + 30_000;
    while ((await admin.listTopics()).some((topic) => topic === side.gd || topic === side.hk)) {
      if (Date.now() > deadline) throw new Error(`${side.gd} and ${side.hk} are still listed 30 s after their deletion`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
  await createContractTopics(infra.brokers, { prefix: infra.prefix, partitions, replicationFactor: 1 });
}

export { startSystem, call, type TestSystem, type RunningProcess, type ProcessName } from './system.ts';
export { runAudit, readTopic, writeTopic, consumerGroups, topicList, type AuditRun, type TopicRecord } from './audit.ts';
export { spawnInstance, SideWriter, uuidV7, readStoredModel, sideHighWatermarks, waitForCaughtUp, readWholeTopic, type StoredReadModel, type UnsealedEvent } from './joint.ts';
export { sealHashes, writeCopy, writtenFor } from './log-copy.ts';
export { logPositions, logSettled, readCommitted, recordsSince, type LogPositions, type LoggedRecord } from './log.ts';
export { openFeedStream, type FeedStream, type FeedStreamEntry, type FeedStreamOptions } from './sse.ts';
export { countWrites, everyProcessReady, startCountedLoad } from './counted.ts';
