// The side-service process (gd-service or hk-service, by SIDE): folds both side topics, then
// serves writes to its own side's topic through one fenced transactional producer.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEvent, type Side } from '@gdhk/domain';
import { createKafka, GroupCommitProducer, LogFollower } from '@gdhk/eventlog';
import { createLogger, serve } from '@gdhk/http';
import { readKeyRingFile, readSigningKeyFile, StreamVerifier } from '@gdhk/integrity';
import { topicNames } from '@gdhk/config';
import { importSPKI } from 'jose';
import { v7 as uuidv7 } from 'uuid';
import { buildSideApp } from './app.ts';
import { CommandHandler, fingerprintOf } from './command-handler.ts';
import { loadConfig } from './config.ts';
import { sideMetrics } from './metrics.ts';
import { WriteModel } from './write-model.ts';

const config = loadConfig();
const side: Side = config.SIDE;
const logger = createLogger(`${side}-service`, config.LOG_LEVEL);

try {
  const signingKey = readSigningKeyFile(config.signingKeyFile, side);
  const ring = readKeyRingFile(join(config.keysDir, 'keyset.json'));
  const jwtPublicKey = await importSPKI(readFileSync(join(config.keysDir, 'jwt-issuer.public.pem'), 'utf8'), 'EdDSA');
  const topics = topicNames(config.GDHK_TOPIC_PREFIX);
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: `${side}-service`, logger });

  // Connecting the transactional producer bumps its epoch: any older writer of this side is
  // fenced off before this one reads the log, so the two can never fork a stream.
  const kafkaProducer = kafka.producer({
    transactionalId: `${config.GDHK_TOPIC_PREFIX}.${side}.writer`,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 30_000,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  await kafkaProducer.connect();

  const model = new WriteModel(side, fingerprintOf);
  const verifier = new StreamVerifier(ring);
  const follower = new LogFollower({
    kafka,
    topics: [topics.side.gd, topics.side.hk],
    logger,
    groupPrefix: `${config.GDHK_TOPIC_PREFIX}.${side}-service`,
    onRecords: (records) => {
      for (const record of records) {
        const expectedSide: Side = record.topic === topics.side.gd ? 'gd' : 'hk';
        let value: unknown;
        try {
          value = JSON.parse(record.value?.toString() ?? 'null');
        } catch {
          value = record.value?.toString();
        }
        const verdict = verifier.verify({ topic: record.topic, partition: record.partition, offset: record.offset, expectedSide, value });
        if (!verdict.ok) {
          const { failure } = verdict;
          if (typeof record.key === 'string') model.halt(record.key, `${failure.reason}: ${failure.detail}`);
          logger.error({ failure }, 'event failed verification; its stream is halted');
          continue;
        }
        model.apply(parseEvent(value));
      }
    },
  });
  const metrics = sideMetrics({ model, follower });
  const producer = new GroupCommitProducer(kafkaProducer, { transactional: true, onBatch: metrics.observeBatch });
  const handler = new CommandHandler({
    side,
    model,
    producer,
    topic: topics.side[side],
    signingKey,
    newId: () => uuidv7(),
    now: () => new Date().toISOString(),
    resync: () => follower.catchUpNow(),
  });

  const started = Date.now();
  await follower.start();
  await follower.caughtUp;
  logger.info({ events: model.eventCount, ms: Date.now() - started }, 'write model caught up');

  const app = await buildSideApp({
    side,
    logger,
    handler,
    model,
    auth: { publicKey: jwtPublicKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    bodyLimit: config.BODY_LIMIT_BYTES,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
  });
  metrics.register(app.metrics);
  app.readiness.add('event-log', () => (follower.failure ? `log follower failed: ${follower.failure.message}` : follower.ready || 'catching up'));
  app.addHook('onClose', async () => {
    await follower.stop();
    await kafkaProducer.disconnect();
  });
  process.exit(await serve(app, config.HOST, config.PORT, logger));
} catch (error) {
  logger.fatal({ err: error }, 'side service failed to start');
  process.exit(1);
}
