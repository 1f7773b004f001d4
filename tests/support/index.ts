import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { Kafka, logLevel } from 'kafkajs';
import { topicNames } from '@gdhk/config';
import { createContractTopics, deleteTopicsWithPrefix } from '@gdhk/infra';

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
export { logPositions, logSettled, readCommitted, recordsSince, type LogPositions, type LoggedRecord } from './log.ts';
export { openFeedStream, type FeedStream, type FeedStreamEntry, type FeedStreamOptions } from './sse.ts';
export { countWrites, everyProcessReady, startCountedLoad } from './counted.ts';
