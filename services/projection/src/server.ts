// The projection process: verifies both side topics and maintains the joint view in Redis.
// HTTP only for health and metrics (default 127.0.0.1:4103).
import { randomUUID } from 'node:crypto';
import { topicNames } from '@gdhk/config';
import { catalogue2019 } from '@gdhk/catalogue';
import { createKafka, itemPartitioner, kafkaProbe, LogIdentity, PartitionedReader, TopicEnds, TopicPublisher } from '@gdhk/eventlog';
import { createHttpApp, createLogger, haltedStreamsCheck, serve } from '@gdhk/http';
import { readKeyRingFile } from '@gdhk/integrity';
import { connectReadModelStore, readModelKeys } from '@gdhk/readmodel';
import { Counter, Gauge, Histogram } from 'prom-client';
import { loadConfig } from './config.ts';
import { deadLetterRecord } from './dead-letter.ts';
import { Projector } from './projector.ts';
import { VerifyPool } from './verify-pool.ts';

const config = loadConfig();
const logger = createLogger('projection', config.LOG_LEVEL);

try {
  const topics = topicNames(config.GDHK_TOPIC_PREFIX);
  const sideTopics = [topics.side.gd, topics.side.hk];
  const keys = readModelKeys(config.GDHK_TOPIC_PREFIX);
  const redis = await connectReadModelStore(config.REDIS_URL, keys.generation(config.GDHK_READ_MODEL_GENERATION), { feedMaxEntries: config.GDHK_FEED_MAX_ENTRIES });
  const { store } = redis;
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `projection-${config.GDHK_READ_MODEL_GENERATION}`, logger });
  const publisher = new TopicPublisher(kafka);
  await publisher.connect();
  const ends = new TopicEnds(kafka);
  await ends.connect();
  // One client for the process's life: the build checks the side topics' ids every few seconds.
  const identity = new LogIdentity(config.KAFKA_BROKERS, sideTopics);

  const partitionCount = await ends.partitionCount(topics.side.gd);
  // The producers' partitioner: where an item's streams live.
  const partitionOf = itemPartitioner(partitionCount);

  const app = await createHttpApp({ service: 'projection', title: 'GD–HK Coordination Ledger — projection', description: 'Health and metrics of the projection', logger });
  const applied = new Counter({ name: 'gdhk_projection_events_applied_total', help: 'Verified events applied to the read model', registers: [app.metrics] });
  const quarantined = new Counter({ name: 'gdhk_records_quarantined_total', help: 'Side-topic records that did not verify (sent to the DLQ), by reason; reason "fork" halted its stream', labelNames: ['reason'] as const, registers: [app.metrics] });
  const logResets = new Counter({ name: 'gdhk_read_model_log_resets_total', help: 'Fresh builds started because the read model reflected another log than the side topics hold (topics re-created, or truncated)', registers: [app.metrics] });
  const logTruncations = new Counter({ name: 'gdhk_read_model_log_truncations_total', help: 'Times records not yet applied had been deleted from the front of a side-topic partition; the projection went on from the log\'s start', registers: [app.metrics] });
  const duplicates = new Counter({ name: 'gdhk_records_duplicate_total', help: 'Exact copies of a stream head: counted, not applied', registers: [app.metrics] });
  const batchSeconds = new Histogram({ name: 'gdhk_projection_batch_seconds', help: 'Time to verify and apply one batch', buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5], registers: [app.metrics] });

  const ring = readKeyRingFile(config.keySetFile);
  const shape = { topics: topics.side, ring, isItem: (itemId: string) => catalogue2019.has(itemId), partitionOf, maxSkewMs: config.GDHK_MAX_CLOCK_SKEW_MS };
  const pool = new VerifyPool(shape, { keySetFile: config.keySetFile, topics: topics.side, partitionCount, maxSkewMs: config.GDHK_MAX_CLOCK_SKEW_MS }, config.GDHK_PROJECTION_VERIFY_WORKERS);
  const reader: PartitionedReader = new PartitionedReader({
    kafka,
    groupId: `${config.GDHK_TOPIC_PREFIX}.projection.${config.GDHK_READ_MODEL_GENERATION}`,
    topics: sideTopics,
    logger,
    maxBytesPerPartition: config.GDHK_PROJECTION_FETCH_BYTES,
    sessionTimeoutMs: config.GDHK_PROJECTION_SESSION_TIMEOUT_MS,
    concurrency: config.GDHK_PROJECTION_CONCURRENCY,
    onAssigned: (partitions) => {
      projector.assign(partitions);
      logger.info({ partitions: projector.ownedPartitions() }, 'partitions assigned');
    },
    onBatch: (batch) => projector.applyBatch(batch),
    onControlOnly: (topic, partition, firstOffset, lastOffset) => projector.advancePastControlRecords(topic, partition, firstOffset, lastOffset),
  });

  const projector = new Projector({
    store,
    keys,
    shape,
    pool,
    highWatermarks: () => ends.highWatermarks(sideTopics),
    logIdentity: () => identity.read(),
    onLogReset: () => logResets.inc(),
    switchMode: config.GDHK_READ_MODEL_SWITCH,
    logger,
    now: () => new Date().toISOString(),
    newBuildId: () => randomUUID(),
    seek: (topic, partition, offset) => reader.seek(topic, partition, offset),
    logStart: (topic, partition) => ends.logStart(topic, partition),
    onTruncated: () => logTruncations.inc(),
    publishDeadLetters: (letters) => publisher.publish(topics.dlq, letters.map(deadLetterRecord)),
    publishChanges: (documents) => publisher.publish(topics.jointChanges, documents.map((document) => ({ key: document.itemId, value: JSON.stringify({ ...document.joint, integrity: document.integrity }) }))),
    observe: (batch) => {
      applied.inc(batch.applied);
      duplicates.inc(batch.duplicates);
      for (const failure of batch.failures) quarantined.inc({ reason: failure.reason });
      batchSeconds.observe(batch.seconds);
    },
  });
  new Gauge({
    name: 'gdhk_projection_live',
    help: '1 when the generation this projection fills is live, 0 while it is being built',
    registers: [app.metrics],
    collect() {
      this.set(projector.buildState?.state === 'live' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'gdhk_streams_halted',
    help: 'Streams of the partitions this projection owns that stopped verifying, by reason',
    labelNames: ['reason'] as const,
    registers: [app.metrics],
    collect() {
      this.reset();
      for (const [reason, count] of projector.haltedStreams()) this.set({ reason }, count);
    },
  });
  await projector.start();

  await reader.start();

  const watch = setInterval(() => {
    projector.checkBuild().catch((error: unknown) => logger.warn({ err: error }, 'could not check the read-model build'));
  }, config.GDHK_PROJECTION_WATCH_MS);
  const probe = kafkaProbe(kafka);
  app.readiness.add('kafka', probe.check);
  app.readiness.add('redis', redis.ping);
  app.readiness.add('consumer', () => (reader.crashed ? `consumer crashed: ${reader.crashed.message}` : true));
  app.readiness.add('streams', ...haltedStreamsCheck(() => projector.haltedStreams()));
  app.addHook('onClose', async () => {
    clearInterval(watch);
    await reader.stop();
    await publisher.close();
    await ends.close();
    await identity.close();
    await probe.close();
    await pool.close();
    redis.close();
  });
  process.exit(await serve(app, config.HOST, config.PORT, logger));
} catch (error) {
  logger.fatal({ err: error }, 'projection failed to start');
  process.exit(1);
}
