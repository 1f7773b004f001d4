import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter } from 'prom-client';
import { HttpProblem } from './problem.ts';

export interface RateLimitOptions {
  /** Requests per second each user's bucket refills by; 0 turns the limit off. */
  readonly perSecond: number;
  /** The bucket's size: how many requests a user may send at once after being idle. */
  readonly burst: number;
  /** Most users whose buckets are held; beyond it the least recently seen user's bucket is dropped. */
  readonly maxUsers: number;
  /** Milliseconds since some epoch; tests pass their own clock. */
  readonly now?: () => number;
}

/** A request's verdict: taken (and how many are left) or refused (and when the next one is). */
export type Take = { readonly allowed: true; readonly remaining: number } | { readonly allowed: false; readonly retryAfterSeconds: number };

/**
 * One token bucket per key. An idle bucket refills to `burst` and is then the same as no bucket,
 * so buckets full again are dropped as they are met, and the map never holds more than `maxUsers`
 * (least recently seen first out: a dropped user starts again with a full bucket, the price of a
 * bounded memory).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly options: Required<RateLimitOptions>;

  constructor(options: RateLimitOptions) {
    this.options = { now: () => performance.now(), ...options };
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string): Take {
    const { perSecond, burst, now } = this.options;
    const at = now();
    const held = this.buckets.get(key);
    const tokens = held ? Math.min(burst, held.tokens + ((at - held.at) / 1000) * perSecond) : burst;
    this.buckets.delete(key);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perSecond)) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at });
    this.evict(at);
    return { allowed: true, remaining: Math.floor(tokens - 1) };
  }

  /** Drops the oldest buckets while over the cap or already full again (they are in last-seen order). */
  private evict(at: number): void {
    const { perSecond, burst, maxUsers } = this.options;
    for (const [key, bucket] of this.buckets) {
      const full = bucket.tokens + ((at - bucket.at) / 1000) * perSecond >= burst;
      if (this.buckets.size <= maxUsers && !full) return;
      this.buckets.delete(key);
    }
  }

  /** Seconds an empty bucket needs to fill up again: the policy's window. */
  get windowSeconds(): number {
    return Math.ceil(this.options.burst / this.options.perSecond);
  }
}

/**
 * A per-user rate limit: a token bucket per authenticated `userId` (register after the auth
 * plugin). Requests without a principal — the public paths: health, metrics, docs, the desk's
 * assets — are not limited. A refusal is 429 `GDHK_RATE_LIMITED` with Retry-After; every limited
 * answer carries the RateLimit and RateLimit-Policy fields (draft-ietf-httpapi-ratelimit-headers).
 */
export const rateLimitPlugin = fp(
  async (app: FastifyInstance, options: RateLimitOptions) => {
    if (options.perSecond <= 0) return;
    const buckets = new TokenBuckets(options);
    const policy = `"per-user";q=${options.burst};w=${buckets.windowSeconds}`;
    const refused = new Counter({
      name: 'gdhk_http_rate_limited_total',
      help: 'Requests refused with 429 by the per-user rate limit, by route',
      labelNames: ['route'] as const,
      registers: [app.metrics],
    });
    // A callback hook, not an async one: every request runs it, and an async hook costs a promise.
    app.addHook('onRequest', (request, reply, done) => {
      const userId = request.principal?.userId;
      if (userId === undefined) return done();
      const verdict = buckets.take(userId);
      reply.header('ratelimit-policy', policy);
      if (verdict.allowed) {
        reply.header('ratelimit', `"per-user";r=${verdict.remaining};t=0`);
        return done();
      }
      refused.inc({ route: request.routeOptions.url ?? 'unmatched' });
      done(new HttpProblem(429, 'GDHK_RATE_LIMITED', 'Too Many Requests', `more than ${options.burst} requests at once or ${options.perSecond} per second on average; retry in ${verdict.retryAfterSeconds} s`, undefined, {
        'retry-after': String(verdict.retryAfterSeconds),
        ratelimit: `"per-user";r=0;t=${verdict.retryAfterSeconds}`,
        'ratelimit-policy': policy,
      }));
    });
  },
  { name: 'gdhk-rate-limit', dependencies: ['gdhk-auth', 'gdhk-metrics'] },
);
