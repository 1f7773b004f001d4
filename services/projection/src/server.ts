// The projection process: verifies both side topics and maintains the joint view in Redis.
// HTTP only for health and metrics (default 127.0.0.1:4103).
import { topicNames } from '@gdhk/config';
import type { Side } from '@gdhk/domain';
import { createKafka, kafkaProbe, type LogRecord } from '@gdhk/eventlog';
import { createHttpApp, createLogger, serve } from '@gdhk/http';
import { readKeyRingFile } from '@gdhk/integrity';
import { ReadModelStore, readModelKeys } from '@gdhk/readmodel';
import { Redis } from 'ioredis';
import { Counter } from 'prom-client';
import { loadConfig } from './config.ts';
import { Projector } from './projector.ts';

const config = loadConfig();
const logger = createLogger('projection', config.LOG_LEVEL);

try {
  const topics = topicNames(config.GDHK_TOPIC_PREFIX);
  const sides: Record<string, Side> = { [topics.side.gd]: 'gd', [topics.side.hk]: 'hk' };
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 3, lazyConnect: true });
  await redis.connect();
  const keys = readModelKeys(config.GDHK_TOPIC_PREFIX);
  const generation = keys.generation(config.GDHK_READ_MODEL_GENERATION);
  const store = new ReadModelStore(redis, generation);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: 'projection', logger });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();

  const app = await createHttpApp({ service: 'projection', title: 'GD–HK Coordination Ledger — projection', description: 'Health and metrics of the projection', logger });
  const applied = new Counter({ name: 'gdhk_projection_events_applied_total', help: 'Verified events applied to the read model', registers: [app.metrics] });
  const rejected = new Counter({ name: 'gdhk_projection_events_rejected_total', help: 'Events that failed verification and went to the DLQ', labelNames: ['reason'] as const, registers: [app.metrics] });

  const projector = new Projector({
    store,
    ring: readKeyRingFile(config.keySetFile),
    sideOfTopic: (topic) => sides[topic],
    logger,
    afterApply: async ({ items, failures }) => {
      const messages = [];
      if (items.length > 0) {
        messages.push({ topic: topics.jointChanges, messages: items.map((item) => ({ key: item.itemId, value: JSON.stringify({ ...item.joint, integrity: item.integrity }) })) });
      }
      if (failures.length > 0) {
        messages.push({
          topic: topics.dlq,
          messages: failures.map(({ failure, record }) => ({
            key: record.key,
            value: JSON.stringify({ reason: failure.reason, detail: failure.detail, stream: failure.stream, topic: failure.topic, partition: failure.partition, offset: failure.offset, value: record.value?.toString() ?? null }),
          })),
        });
        for (const { failure } of failures) rejected.inc({ reason: failure.reason });
      }
      if (messages.length > 0) await producer.sendBatch({ topicMessages: messages, acks: -1 });
    },
  });
  await projector.load();
  await redis.hset(generation.meta, 'state', 'live');
  await redis.set(keys.current, generation.name);

  const consumer = kafka.consumer({ groupId: `${config.GDHK_TOPIC_PREFIX}.projection`, maxWaitTimeInMs: 50, maxBytesPerPartition: 4 * 1024 * 1024 });
  let crashed: Error | undefined;
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (payload.restart) return void logger.warn({ err: payload.error }, 'projection consumer restarting after an error');
    crashed = payload.error;
    logger.error({ err: payload.error }, 'projection consumer stopped');
  });
  // Redis holds the applied offsets; Kafka's committed offsets are never used to resume.
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
      for (const partition of partitions) consumer.seek({ topic, partition, offset: projector.offsetOf(topic, partition) });
    }
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.side.gd, topics.side.hk], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, heartbeat }) => {
      const records: LogRecord[] = batch.messages.map((message) => ({
        topic: batch.topic,
        partition: batch.partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        value: message.value,
        timestamp: message.timestamp,
      }));
      const before = projector.applied;
      await projector.applyBatch(batch.topic, batch.partition, records);
      applied.inc(projector.applied - before);
      await heartbeat();
    },
  });

  const probe = kafkaProbe(kafka);
  app.readiness.add('kafka', probe.check);
  app.readiness.add('redis', async () => ((await redis.ping()) === 'PONG' ? true : 'redis did not answer PONG'));
  app.readiness.add('consumer', () => (crashed ? `consumer crashed: ${crashed.message}` : true));
  app.addHook('onClose', async () => {
    await consumer.disconnect();
    await producer.disconnect();
    await probe.close();
    redis.disconnect();
  });
  process.exit(await serve(app, config.HOST, config.PORT, logger));
} catch (error) {
  logger.fatal({ err: error }, 'projection failed to start');
  process.exit(1);
}
