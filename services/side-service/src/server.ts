// The side-service process (gd-service or hk-service, by SIDE): fences older writers of its side,
// folds both side topics, then serves writes to its own side's topic through one fenced writer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { otherSide, type Side } from '@gdhk/domain';
import { catalogue2019 } from '@gdhk/catalogue';
import { createKafka, itemPartitioner, LogFollower, LogIdentity, readRecordAt, topicPartitionCount } from '@gdhk/eventlog';
import { createLogger, haltedStreamsCheck, serve } from '@gdhk/http';
import { readKeyRingFile, readKeySetFile, readSigningKeyFile } from '@gdhk/integrity';
import { topicNames } from '@gdhk/config';
import { importSPKI } from 'jose';
import { buildSideApp } from './app.ts';
import { CommandHandler } from './command-handler.ts';
import { loadConfig } from './config.ts';
import { uuidV7Source } from './ids.ts';
import { LogFold } from './log-fold.ts';
import { LogGuard } from './log-guard.ts';
import { SideLogWriter, WriterUnavailable } from './log-writer.ts';
import { sideMetrics } from './metrics.ts';
import { WorkerSealer } from './signer.ts';
import { Witness } from './witness.ts';
import { WriteModel } from './write-model.ts';

const config = loadConfig();
/** Kafka aborts a transaction open longer than this (transaction.max.timeout.ms allows up to 15 min). */
const TRANSACTION_TIMEOUT_MS = 30_000;
const side: Side = config.SIDE;
const logger = createLogger(`${side}-service`, config.LOG_LEVEL);

try {
  const signingKey = readSigningKeyFile(config.signingKeyFile, side);
  const keySetFile = join(config.keysDir, 'keyset.json');
  const ring = readKeyRingFile(keySetFile);
  const publicKeys = readKeySetFile(keySetFile).keys.filter((entry) => entry.side === side);
  // Without its own key in the set, every event this side wrote would fail verification here.
  const ownKey = ring.lookup(signingKey.keyId, { side, occurredAt: new Date().toISOString() });
  if (!ownKey.ok) throw new Error(`the signing key ${signingKey.keyId} cannot sign ${side} events now according to ${keySetFile}: ${ownKey.detail}`);
  const jwtPublicKey = await importSPKI(readFileSync(join(config.keysDir, 'jwt-issuer.public.pem'), 'utf8'), 'EdDSA');
  const topics = topicNames(config.GDHK_TOPIC_PREFIX);
  const ownTopic = topics.side[side];
  const groupPrefix = `${config.GDHK_TOPIC_PREFIX}.${side}-service`;
  // Ten seconds without an answer means a broker is gone or hung: learn it sooner than kafkajs' 30 s.
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `${side}-service`, logger, requestTimeoutMs: 10_000 });

  const model = new WriteModel({ side, recentResponses: config.IDEMPOTENCY_RECENT_RESPONSES, idempotencyWindowMs: config.GDHK_IDEMPOTENCY_WINDOW_HOURS * 3_600_000 });
  const partitionCount = await topicPartitionCount(kafka, topics.side.gd);
  const shape = { topics: topics.side, ring, isItem: (itemId: string) => catalogue2019.has(itemId), partitionOf: itemPartitioner(partitionCount), maxSkewMs: config.GDHK_MAX_CLOCK_SKEW_MS };
  const metrics = sideMetrics({ model });
  const rejected = new Map<string, number>();
  const fold = new LogFold({
    side,
    shape,
    model,
    logger,
    onRejected: (reason) => {
      rejected.set(reason, (rejected.get(reason) ?? 0) + 1);
      metrics.observeRejected(reason);
    },
  });
  const identity = new LogIdentity(config.KAFKA_BROKERS, [topics.side.gd, topics.side.hk]);
  const guard: LogGuard = new LogGuard({
    read: () => identity.read(),
    logger,
    onReplaced: () => {
      metrics.observeLogReset();
      void follower.stop();
    },
  });
  // Nothing of another log is folded on top of this one: once the topics are replaced, records are dropped.
  const follower = new LogFollower({ kafka, topics: [topics.side.gd, topics.side.hk], logger, groupPrefix, onRecords: (records) => (guard.replaced === undefined ? fold.onRecords(records) : undefined) });
  metrics.watchFollower(follower);
  let foreignAtAcquisition = 0;
  const sealer = new WorkerSealer(signingKey);
  const writer = new SideLogWriter({
    // One transactional id per side and topic prefix: every instance of this side shares it, so
    // each new session's epoch fences all the others.
    newProducer: () =>
      kafka.producer({
        transactionalId: `${config.GDHK_TOPIC_PREFIX}.${side}.writer`,
        idempotent: true,
        // KIP-98: one request in flight per partition keeps a stream's order through retries.
        maxInFlightRequests: 1,
        transactionTimeout: TRANSACTION_TIMEOUT_MS,
        // Retries within a transaction are safe with the patched client (docs/decisions.md): a
        // retry re-sends only unacknowledged partitions under their own sequence numbers. The
        // first retries are quick, from 1 ms (CONCURRENT_TRANSACTIONS clears within milliseconds once the
        // previous commit's markers are written); later ones wait up to 1 s, about 7 s in all,
        // so a write fails within 10 s when Kafka is gone. A batch that exhausts them during a
        // leader failover (~10 s) was never committed: its commands are decided again in a new session.
        retry: { initialRetryTime: 1, factor: 0.2, multiplier: 1.5, maxRetryTime: 1000, retries: 22 },
      }),
    transactionTimeoutMs: TRANSACTION_TIMEOUT_MS,
    resync: () => follower.catchUpNow(10_000, [ownTopic]),
    // Each transaction ends with one seal per partition it wrote, signed on the worker thread; a
    // session chains on from the seals the fold verified (read after its resync, so after every
    // older epoch's commits).
    sealing: {
      side,
      partitionOf: shape.partitionOf,
      sealHead: (topic, partition) => {
        if (topic !== ownTopic) throw new Error(`this writer seals only ${ownTopic}, not ${topic}`);
        return fold.sealHead(partition);
      },
      sealCommit: async (input) => {
        const seal = await sealer.sealCommit(input);
        fold.expectSeal(seal);
        return seal;
      },
      now: () => new Date().toISOString(),
    },
    onAcquired: () => {
      foreignAtAcquisition = fold.foreignWrites();
    },
    takenOver: async () => {
      await follower.catchUpNow(5000, [ownTopic]);
      return fold.foreignWrites() > foreignAtAcquisition;
    },
    logger,
    maxBatchRecords: config.WRITE_BATCH_MAX,
    onBatch: metrics.observeBatch,
  });
  metrics.watchWriter(writer);

  const handler = new CommandHandler({
    side,
    model,
    // No write from a model of a log that no longer exists.
    writer: {
      session: () => (guard.replaced === undefined ? writer.session() : Promise.reject(new WriterUnavailable(`${guard.replaced}: this process takes no writes until it is restarted`, false))),
      settle: (deadline) => writer.settle(deadline),
    },
    topic: ownTopic,
    newId: uuidV7Source(),
    now: () => new Date().toISOString(),
    readEvent: async (recorded) => {
      if (!recorded.position) throw new Error('the event has not been read back from the log yet');
      return (await readRecordAt(kafka, groupPrefix, ownTopic, recorded.position)).toString();
    },
    onReplay: metrics.observeReplay,
    onSettled: metrics.observeSettled,
    onSending: (event, json) => fold.expect(event, json),
    onSendFailed: (json) => fold.forget(json),
  });

  const started = Date.now();
  // Fence first, then read: the start-up catch-up is this first session's resync.
  // The log's identity before the fold reads it: a replacement during the catch-up is seen too.
  await guard.start();
  await writer.start(async () => {
    await follower.start();
    await follower.caughtUp;
  });
  const heads = fold.finishCatchUp();
  // Cosigns the other side's latest seals while they change (docs/contract.md, "Checkpoint").
  const witness = new Witness({
    side,
    topic: ownTopic,
    partitions: partitionCount,
    intervalMs: config.GDHK_CHECKPOINT_MS,
    otherSealHead: (partition) => fold.otherSealHead(partition),
    checkpointHead: () => fold.checkpointHead(),
    session: () => (guard.replaced === undefined ? writer.session() : Promise.reject(new WriterUnavailable(`${guard.replaced}: no checkpoint of a log that no longer exists`, false))),
    sign: (input) => sealer.signCheckpoint(input),
    now: () => new Date().toISOString(),
    onWritten: metrics.observeCheckpoint,
    logger,
  });
  witness.start();
  logger.info({ events: model.eventCount, commands: model.commandCount, ms: Date.now() - started, streams: heads.streams, rejected: Object.fromEntries(rejected) }, 'write model caught up; writer session acquired');

  const app = await buildSideApp({
    side,
    logger,
    handler,
    model,
    auth: { publicKey: jwtPublicKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    bodyLimit: config.BODY_LIMIT_BYTES,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    publicKeys,
    syncOtherSide: (options) => follower.catchUpNow(5000, [topics.side[otherSide(side)]], options),
  });
  metrics.register(app.metrics);
  app.readiness.add('event-log', () => (follower.failure ? `log follower failed: ${follower.failure.message}` : follower.ready || 'catching up'));
  app.readiness.add('writer', () => writer.health());
  app.readiness.add('log', () => (guard.replaced === undefined ? true : `${guard.replaced}: this process folded the old log and takes no writes; restart it to fold the new one`));
  app.readiness.add('streams', ...haltedStreamsCheck(() => model.haltedStreams()));
  app.addHook('onClose', async () => {
    guard.stop();
    await witness.stop();
    await writer.close();
    await follower.stop();
    await identity.close();
    await sealer.close();
  });
  process.exit(await serve(app, config.HOST, config.PORT, logger));
} catch (error) {
  logger.fatal({ err: error }, 'side service failed to start');
  process.exit(1);
}
