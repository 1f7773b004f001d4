import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
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

export { startSystem, call, type TestSystem, type RunningProcess, type ProcessName } from './system.ts';
export { runAudit, readTopic, writeTopic, consumerGroups, topicList, type AuditRun, type TopicRecord } from './audit.ts';
export { spawnInstance, SideWriter, uuidV7, readStoredModel, sideHighWatermarks, waitForCaughtUp, readWholeTopic, type StoredReadModel, type UnsealedEvent } from './joint.ts';
export { logPositions, logSettled, readCommitted, recordsSince, type LogPositions, type LoggedRecord } from './log.ts';
export { openFeedStream, type FeedStream, type FeedStreamEntry, type FeedStreamOptions } from './sse.ts';
export { countWrites, everyProcessReady, startCountedLoad } from './counted.ts';
