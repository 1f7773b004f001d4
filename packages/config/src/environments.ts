import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { portNumber, unsetWhenEmpty, wholeNumber } from './parse.ts';
import { brokerList, httpSettings, jwtSettings, kafkaSettings, keysSettings, logLevel, logSettings, redisSettings, redisUrl } from './settings.ts';
import { sideSchema } from './topics.ts';

// The environment of every process and CLI, in one place: each reads its variables through one of
// these schemas with parseConfig, and the README's configuration table is checked against them
// (tests/config/readme-table.unit.test.ts). A process-specific derived value (a file inside
// GDHK_KEYS_DIR, the side's default port) is computed by the process from the parsed values.

const repositoryRoot = join(import.meta.dirname, '..', '..', '..');

/** GDHK_PARTITIONS: partitions of each topic that `npm start` and `npm run infra -- topics` create. */
const partitions = { GDHK_PARTITIONS: wholeNumber(1).default(6) };

/**
 * How far a record's occurredAt may lie from its broker timestamp (ms) before it is quarantined
 * as clock_skew (docs/contract.md, "Hostile records"): every reader of the side topics uses it.
 */
const clockSkew = { GDHK_MAX_CLOCK_SKEW_MS: wholeNumber(1000).default(5 * 60_000) };

/** gd-service and hk-service (services/side-service). */
export const sideServiceEnvironment = z.object({
  SIDE: sideSchema,
  ...kafkaSettings,
  ...logSettings,
  HOST: httpSettings(0).HOST,
  // Without PORT the side picks its default port (gd 4101, hk 4102).
  PORT: portNumber.optional(),
  ...keysSettings,
  ...jwtSettings,
  BODY_LIMIT_BYTES: wholeNumber(1024).default(64 * 1024),
  RATE_LIMIT_PER_MINUTE: wholeNumber(1).default(6000),
  /** Recent commands whose whole response a retried Idempotency-Key gets without reading the log. */
  IDEMPOTENCY_RECENT_RESPONSES: wholeNumber(0).default(10_000),
  /** How long (hours after its event's occurredAt) an Idempotency-Key replays its first response; after it, the key is a new request. */
  GDHK_IDEMPOTENCY_WINDOW_HOURS: wholeNumber(1).default(7 * 24),
  /** Records per transaction of the group commit. */
  WRITE_BATCH_MAX: wholeNumber(1, 10_000).default(1000),
  /** How often (ms) the side cosigns the other side's latest seals, when they changed (a cosigned checkpoint); 0: never. */
  GDHK_CHECKPOINT_MS: wholeNumber(0).default(10_000),
  ...clockSkew,
});

export const projectionEnvironment = z.object({
  ...kafkaSettings,
  ...clockSkew,
  ...redisSettings,
  ...logSettings,
  ...httpSettings(4103),
  ...keysSettings,
  /** Without it: `$GDHK_KEYS_DIR/keyset.json`. */
  GDHK_KEYSET_FILE: z.string().min(1).optional(),
  /** The read-model generation this projection fills; a new projection version gets a new one. */
  GDHK_READ_MODEL_GENERATION: z.string().regex(/^[a-z0-9-]+$/, 'lowercase letters, digits and "-"').default('v1'),
  /** `claim`: serve this generation when no live one is served; `takeover`: switch to it as soon as its build is live. */
  GDHK_READ_MODEL_SWITCH: z.enum(['claim', 'takeover']).default('claim'),
  /** Worker threads for signature and schema checks; 0 checks on the main thread. */
  GDHK_PROJECTION_VERIFY_WORKERS: wholeNumber(0).default(Math.max(1, availableParallelism())),
  /** How often the projection checks that Redis still holds its build (ms). */
  GDHK_PROJECTION_WATCH_MS: wholeNumber(50).default(500),
  /** Partitions whose batches are processed at the same time. */
  GDHK_PROJECTION_CONCURRENCY: wholeNumber(1).default(4),
  /**
   * Most bytes one fetch returns per partition: a rebuild's batches are this large, and each batch
   * rewrites its items' whole documents (4 MiB halved the CPU per event of a 1M-event rebuild).
   */
  GDHK_PROJECTION_FETCH_BYTES: wholeNumber(64 * 1024).default(4 * 1024 * 1024),
  /** How long the group waits for a silent member (one killed -9) before its partitions move (ms). */
  GDHK_PROJECTION_SESSION_TIMEOUT_MS: wholeNumber(6000).default(10_000),
  /** Newest entries the combined feed keeps in Redis (older ones are trimmed; the log keeps them); 0 keeps every entry. */
  GDHK_FEED_MAX_ENTRIES: wholeNumber(0).default(0),
});

export const jointApiEnvironment = z.object({
  ...redisSettings,
  ...logSettings,
  ...httpSettings(4100),
  GDHK_TOPIC_PREFIX: kafkaSettings.GDHK_TOPIC_PREFIX,
  ...keysSettings,
  /** The key set whose entries inclusion proofs carry. Without it: `$GDHK_KEYS_DIR/keyset.json`. */
  GDHK_KEYSET_FILE: z.string().min(1).optional(),
  ...jwtSettings,
  /** Idle time after which an event stream sends a `: keep-alive` comment (ms). */
  GDHK_SSE_KEEPALIVE_MS: wholeNumber(100).default(15_000),
  /** A stream client that takes nothing for this long is disconnected; it resumes with Last-Event-ID (ms). */
  GDHK_SSE_DRAIN_TIMEOUT_MS: wholeNumber(100).default(30_000),
  /** Browser origins allowed to call the API, comma-separated (`https://desk.example.gov`); empty: CORS off. */
  GDHK_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((text) => text.split(',').map((origin) => origin.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'an origin is scheme://host[:port], without a path'))),
  /** The built dashboard served at `/` (apps/desk/dist, which `npm start` builds). */
  GDHK_DASHBOARD_DIR: z.string().min(1).default(join(repositoryRoot, 'apps', 'desk', 'dist')),
  /**
   * Secrets the API's cursors are signed with (HMAC-SHA256), comma-separated: the first signs,
   * every one verifies (rotation). Every instance behind one address needs the same list.
   * Unset: one generated on first use into `$GDHK_KEYS_DIR/cursor-secret` (development).
   */
  GDHK_CURSOR_SECRET: unsetWhenEmpty(
    z
      .string()
      .transform((text) => text.split(',').map((secret) => secret.trim()).filter(Boolean))
      .pipe(z.array(z.string().min(32, 'each secret has at least 32 characters')).min(1, 'expected at least one secret')),
  ),
  /** Requests per second a user's token bucket refills by; 0 turns the per-user rate limit off. */
  GDHK_RATE_LIMIT_PER_SECOND: wholeNumber(0).default(50),
  /** A user's bucket: requests sent at once after being idle. */
  GDHK_RATE_LIMIT_BURST: wholeNumber(1).default(200),
  /** Users whose buckets are held in memory (least recently seen dropped first). */
  GDHK_RATE_LIMIT_USERS: wholeNumber(1).default(10_000),
  /** Event streams (`/v1/feed/stream`) one user may hold open at once. */
  GDHK_SSE_MAX_PER_USER: wholeNumber(1).default(8),
  /** Event streams the process holds open at once, all users together. */
  GDHK_SSE_MAX_TOTAL: wholeNumber(1).default(1000),
  /** Most feed rows one request (a feed page, a stream's page) reads from Redis before answering with what it found. */
  GDHK_FEED_SCAN_ROWS: wholeNumber(100).default(5000),
  /** Most feed rows an item's history reads: the newest ones; an older part is reported as not included. */
  GDHK_HISTORY_SCAN_ROWS: wholeNumber(100).default(100_000),
  /**
   * Items, the summary and decisions are served from an in-process copy kept current by the
   * projection's change messages; this often (ms) the copy is also checked against Redis. 0: every
   * read goes to Redis.
   */
  GDHK_VIEW_CHECK_MS: wholeNumber(0).default(1000),
});

/** `npm run audit -- replay` (--brokers and --prefix take precedence). */
export const auditEnvironment = z.object({
  KAFKA_BROKERS: kafkaSettings.KAFKA_BROKERS,
  GDHK_TOPIC_PREFIX: kafkaSettings.GDHK_TOPIC_PREFIX,
  ...keysSettings,
  ...clockSkew,
});

/** `npm run token`: its tokens carry the issuer and audience the services check. */
export const tokenEnvironment = z.object({
  ...keysSettings,
  ...jwtSettings,
});

/**
 * `npm start` (infra/src/start-all.ts). Without KAFKA_BROKERS / REDIS_URL it starts Kafka and
 * Redis itself; the processes it starts inherit the environment and read their own variables.
 */
export const launcherEnvironment = z.object({
  KAFKA_BROKERS: unsetWhenEmpty(brokerList),
  REDIS_URL: unsetWhenEmpty(redisUrl),
  GDHK_TOPIC_PREFIX: kafkaSettings.GDHK_TOPIC_PREFIX,
  ...keysSettings,
  ...partitions,
  ...jwtSettings,
});

/** `npm run infra -- …` (infra/src/cli.ts); --prefix and --partitions take precedence. */
export const infraEnvironment = z.object({
  ...kafkaSettings,
  ...keysSettings,
  ...partitions,
});

/** The benchmarks (bench/): KAFKA_BROKERS / REDIS_URL when set, else a private broker and server. */
export const benchEnvironment = z.object({
  KAFKA_BROKERS: unsetWhenEmpty(brokerList),
  REDIS_URL: unsetWhenEmpty(redisUrl),
  ...jwtSettings,
  /** Extra node options for the side services a bench starts, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof". */
  BENCH_SERVICE_NODE_ARGS: z
    .string()
    .default('')
    .transform((text) => text.split(' ').filter(Boolean)),
  BENCH_LOG_LEVEL: logLevel.default('warn'),
});

/** bench/read's bare fastify server, the ratio's base; the bench starts it on a free port. */
export const benchServerEnvironment = z.object({
  PORT: portNumber,
});

/**
 * Every schema, by the name the README's configuration table uses in its "read by" column.
 * (scripts/bootstrap.mjs runs before zod is installed: it parses its one variable by hand.)
 */
export const environments = {
  'side-service': [sideServiceEnvironment],
  projection: [projectionEnvironment],
  'joint-api': [jointApiEnvironment],
  audit: [auditEnvironment],
  token: [tokenEnvironment],
  start: [launcherEnvironment],
  infra: [infraEnvironment],
  bench: [benchEnvironment, benchServerEnvironment],
} as const satisfies Record<string, readonly z.ZodObject[]>;
