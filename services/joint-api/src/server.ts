// The joint-api process: reads the joint view from Redis for the joint secretariat and auditors.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogger, devCursorSecret, serve } from '@gdhk/http';
import { importSPKI } from 'jose';
import { buildJointApp } from './app.ts';
import { loadConfig } from './config.ts';
import { KeySetFile } from './proof.ts';
import { connectJointReadModel, FeedTail } from '@gdhk/readmodel';

const config = loadConfig();
const logger = createLogger('joint-api', config.LOG_LEVEL);

try {
  const connection = await connectJointReadModel(config.REDIS_URL, config.GDHK_TOPIC_PREFIX, config.GDHK_VIEW_CHECK_MS > 0 ? { memory: { checkMs: config.GDHK_VIEW_CHECK_MS, logger } } : {});
  const { readModel } = connection;
  const publicKey = await importSPKI(readFileSync(join(config.GDHK_KEYS_DIR, 'jwt-issuer.public.pem'), 'utf8'), 'EdDSA');
  const tail = new FeedTail(connection.blocking, readModel, logger);
  const app = await buildJointApp({
    logger,
    readModel,
    tail,
    auth: { publicKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE },
    stream: { keepAliveMs: config.GDHK_SSE_KEEPALIVE_MS, drainTimeoutMs: config.GDHK_SSE_DRAIN_TIMEOUT_MS, scanRows: config.GDHK_FEED_SCAN_ROWS },
    cursorSecrets: config.GDHK_CURSOR_SECRET ?? [devCursorSecret(config.GDHK_KEYS_DIR)],
    limits: {
      rateLimit: { perSecond: config.GDHK_RATE_LIMIT_PER_SECOND, burst: config.GDHK_RATE_LIMIT_BURST, maxUsers: config.GDHK_RATE_LIMIT_USERS },
      streamsPerUser: config.GDHK_SSE_MAX_PER_USER,
      streamsTotal: config.GDHK_SSE_MAX_TOTAL,
      historyScanRows: config.GDHK_HISTORY_SCAN_ROWS,
    },
    corsOrigins: config.GDHK_CORS_ORIGINS,
    dashboardDir: config.GDHK_DASHBOARD_DIR,
    keys: new KeySetFile(config.GDHK_KEYSET_FILE ?? join(config.GDHK_KEYS_DIR, 'keyset.json')),
  });
  app.readiness.add('redis', connection.ping);
  app.addHook('onClose', async () => {
    await tail.close();
    connection.close();
  });
  process.exit(await serve(app, config.HOST, config.PORT, logger));
} catch (error) {
  logger.fatal({ err: error }, 'joint-api failed to start');
  process.exit(1);
}
