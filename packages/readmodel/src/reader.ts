import { z } from 'zod';
import { Buffer } from 'node:buffer';
import { Redis as IORedis, type ChainableCommander, type Redis, type Result } from 'ioredis';
import { parseIndexEntry, parseItemView, type ItemIndexEntry, type ItemView } from './document.ts';
import { readModelKeys, type GenerationKeys, type ReadModelKeys } from './keys.ts';
import { ViewMirror, type MirrorLogger, type MirrorSnapshot } from './mirror.ts';
import { proofReadScript, storedProofOf, type StoredProof } from './proof.ts';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    gdhkProofBuffer(proofEvents: string, proofSeals: string, feed: string, eventId: string): Result<(Buffer | null)[], Context>;
  }
}

/** The generation a read came from: its name and build, which feed cursors carry. */
export interface Served {
  readonly generation: string;
  readonly buildId: string;
}

export interface FeedRow {
  readonly id: string;
  readonly source: string;
  readonly event: string;
}

/** What a feed cursor is checked against: the served build's partitions, how far each was applied and trimmed, the feed's newest id. */
export interface FeedBounds {
  readonly served: Served;
  /** `<side>/<partition>` → the next offset to apply, for every side-topic partition of the build */
  readonly applied: ReadonlyMap<string, bigint>;
  /** `<side>/<partition>` → the offset after the newest entry of that partition the feed's retention trimmed */
  readonly trimmed: ReadonlyMap<string, bigint>;
  /** the newest entry's stream id, '' while the feed is empty */
  readonly lastId: string;
}

/**
 * No live generation to read (a first start, a rebuild) or Redis out of reach: a coded error the
 * HTTP edge answers with 503 and Retry-After (kind `unavailable`), never partial data.
 */
export class ReadModelUnavailable extends Error {
  override readonly name = 'ReadModelUnavailable';
  readonly kind = 'unavailable';
  readonly code: 'GDHK_READ_MODEL_REBUILDING' | 'GDHK_READ_MODEL_UNAVAILABLE';
  constructor(code: ReadModelUnavailable['code'], message: string) {
    super(message);
    this.code = code;
  }
}

const rebuilding = () => new ReadModelUnavailable('GDHK_READ_MODEL_REBUILDING', 'the joint view is being built from the event log; retry shortly');

/**
 * The read side of the read model, joint-api's only source: the live read-model generation in
 * Redis. Every read through Redis checks, in the same MULTI as the data, that the generation is
 * live; while none is (first start, a rebuild after Redis lost its data) every read answers 503
 * rather than partial data. With a `mirror`, the item views and the index are served from memory
 * while the mirror vouches for it (mirror.ts), and from Redis otherwise.
 */
export class JointReadModel {
  readonly keys: ReadModelKeys;
  private current: { name: string | null; at: number } | undefined;
  private readonly redis: Redis;
  /** How long the name of the served generation is cached; a read still checks it is live. */
  private readonly currentCacheMs: number;
  private readonly mirror: ViewMirror | undefined;

  constructor(redis: Redis, prefix: string, options: { currentCacheMs?: number; mirror?: ViewMirror } = {}) {
    this.redis = redis;
    this.currentCacheMs = options.currentCacheMs ?? 200;
    this.keys = readModelKeys(prefix);
    this.mirror = options.mirror;
    this.mirror?.onSwitch(() => this.forgetGeneration());
    redis.defineCommand('gdhkProof', { numberOfKeys: 3, lua: proofReadScript });
  }

  /** Forgets the cached name of the served generation (the mirror learnt that `current` or a build changed). */
  private forgetGeneration(): void {
    this.current = undefined;
  }

  /**
   * The served views and index as memory holds them, when it may be served; undefined means reads
   * go to Redis. It waits one turn of the event loop first, so every socket event that was ready
   * with the request (a change message, Redis's invalidation after a FLUSHALL) is taken in before
   * memory answers: what reached this process before the request is never answered from before it.
   */
  async inMemory(): Promise<MirrorSnapshot | undefined> {
    if (!this.mirror) return undefined;
    await new Promise((resolve) => setImmediate(resolve));
    return this.mirror.snapshot();
  }

  /** The generation `current` names, read at most every `currentCacheMs`. */
  async generation(): Promise<GenerationKeys | undefined> {
    const now = Date.now();
    if (!this.current || now - this.current.at > this.currentCacheMs) {
      this.current = { name: await this.guard(() => this.redis.get(this.keys.current)), at: now };
    }
    return this.current.name ? this.keys.generation(this.current.name) : undefined;
  }

  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ReadModelUnavailable) throw error;
      throw new ReadModelUnavailable('GDHK_READ_MODEL_UNAVAILABLE', 'the read model cannot be reached right now');
    }
  }

  /** Runs `commands` in one MULTI with the generation's state; answers 503 unless it is live. */
  private async live(commands: (tx: ChainableCommander, keys: GenerationKeys) => void): Promise<{ served: Served; keys: GenerationKeys; results: unknown[] }> {
    const keys = await this.generation();
    if (!keys) throw rebuilding();
    const replies = await this.guard(async () => {
      const tx = this.redis.multi().hget(keys.meta, 'state').hget(keys.meta, 'buildId').get(keys.version);
      commands(tx, keys);
      return (await tx.exec()) ?? [];
    });
    const values = replies.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    const [state, buildId, version, ...results] = values;
    // What this reply shows, memory must not show older afterwards (the feed, say, ahead of an item).
    this.mirror?.observe(Number(version ?? 0));
    if (state !== 'live' || typeof buildId !== 'string') {
      this.current = undefined;
      throw rebuilding();
    }
    return { served: { generation: keys.name, buildId }, keys, results };
  }

  async view(itemId: string): Promise<ItemView | undefined> {
    const memory = await this.inMemory();
    if (memory) return memory.views.get(itemId);
    const { results } = await this.live((tx, keys) => tx.hget(keys.views, itemId));
    return typeof results[0] === 'string' ? parseItemView(results[0], itemId) : undefined;
  }

  async views(itemIds?: readonly string[]): Promise<Map<string, ItemView>> {
    const memory = await this.inMemory();
    if (memory) {
      if (!itemIds) return new Map(memory.views);
      const found = new Map<string, ItemView>();
      for (const id of itemIds) {
        const view = memory.views.get(id);
        if (view) found.set(id, view);
      }
      return found;
    }
    if (itemIds && itemIds.length === 0) {
      await this.live(() => {});
      return new Map();
    }
    const { results } = await this.live((tx, keys) => (itemIds ? tx.hmget(keys.views, ...itemIds) : tx.hgetall(keys.views)));
    const found = new Map<string, ItemView>();
    if (itemIds) {
      const values = (results[0] ?? []) as (string | null)[];
      itemIds.forEach((id, index) => {
        const json = values[index];
        if (json) found.set(id, parseItemView(json, id));
      });
    } else {
      for (const [id, json] of Object.entries((results[0] ?? {}) as Record<string, string>)) found.set(id, parseItemView(json, id));
    }
    return found;
  }

  async index(): Promise<ReadonlyMap<string, ItemIndexEntry>> {
    const memory = await this.inMemory();
    if (memory) return memory.index;
    const { results } = await this.live((tx, keys) => tx.hgetall(keys.index));
    return new Map(Object.entries((results[0] ?? {}) as Record<string, string>).map(([id, line]) => [id, parseIndexEntry(line)]));
  }

  /**
   * Every view, the side-topic offsets they reflect and the log they were read from (side topic
   * → Kafka topic id; null for a build from before it was kept), read atomically.
   */
  async snapshot(): Promise<{ views: Map<string, ItemView>; offsets: Record<string, string>; log: Record<string, string> | null }> {
    const { results } = await this.live((tx, keys) => tx.hgetall(keys.views).hgetall(keys.offsets).hget(keys.meta, 'targets').hget(keys.meta, 'log'));
    const [views, offsets, targets, log] = results as [Record<string, string>, Record<string, string>, string | null, string | null];
    // Partitions not applied yet are at 0: the targets name every side-topic partition of the build.
    const all: Record<string, string> = {};
    for (const topicPartition of Object.keys(targets ? (JSON.parse(targets) as Record<string, string>) : {})) all[topicPartition] = '0';
    Object.assign(all, offsets);
    return { views: new Map(Object.entries(views).map(([id, json]) => [id, parseItemView(json, id)])), offsets: all, log: logIdsOf(log) };
  }

  /** Feed rows after stream id `after` ('' for the start), at most `count`. */
  async feed(after: string, count: number): Promise<{ served: Served; rows: FeedRow[] }> {
    const { served, results } = await this.live((tx, keys) => tx.xrange(keys.feed, after === '' ? '-' : `(${after}`, '+', 'COUNT', count));
    return { served, rows: ((results[0] ?? []) as [string, string[]][]).map(feedRow) };
  }

  /**
   * Up to `count` feed rows before stream id `before` ('' for the newest), newest first; `older`
   * says whether the feed holds rows before them, `trimmed` whether its retention dropped some.
   */
  async feedBefore(before: string, count: number): Promise<{ served: Served; rows: FeedRow[]; older: boolean; trimmed: boolean }> {
    const { served, results } = await this.live((tx, keys) => tx.xrevrange(keys.feed, before === '' ? '+' : `(${before}`, '-', 'COUNT', count + 1).exists(keys.feedTrimmed));
    const [newestFirst, trimmed] = results as [[string, string[]][], number];
    return { served, rows: newestFirst.slice(0, count).map(feedRow), older: newestFirst.length > count, trimmed: trimmed === 1 };
  }

  /** The live build's partitions, applied and trimmed offsets and the feed's newest id, read atomically. */
  async feedBounds(): Promise<FeedBounds> {
    const { served, results } = await this.live((tx, keys) => tx.hgetall(keys.offsets).hget(keys.meta, 'targets').hgetall(keys.feedTrimmed).xrevrange(keys.feed, '+', '-', 'COUNT', 1));
    const [offsets, targets, trimmed, newest] = results as [Record<string, string>, string | null, Record<string, string>, [string, string[]][]];
    // Side-topic partitions are keyed `<prefix>.<side>.events/<n>` in the build; the feed names them `<side>/<n>`.
    const sidePartition = (topicPartition: string) => {
      for (const side of ['gd', 'hk']) {
        const partition = topicPartition.startsWith(`${this.keys.prefix}.${side}.events/`) ? topicPartition.slice(this.keys.prefix.length + side.length + 9) : '';
        if (/^\d+$/.test(partition)) return `${side}/${partition}`;
      }
      return undefined;
    };
    const applied = new Map<string, bigint>();
    for (const topicPartition of [...namesIn(targets), ...Object.keys(offsets)]) {
      const partition = sidePartition(topicPartition);
      if (partition) applied.set(partition, BigInt(offsets[topicPartition] ?? '0'));
    }
    return { served, applied, trimmed: new Map(Object.entries(trimmed).map(([partition, offset]) => [partition, BigInt(offset)])), lastId: newest[0]?.[0] ?? '' };
  }

  /**
   * What the live generation holds for an inclusion proof of the event: its seal, the sealed
   * hashes, its leaf and its JSON, read in the MULTI that checks the generation (never mixed
   * across a rebuild or a switch).
   */
  async proof(eventId: string): Promise<{ served: Served; stored: StoredProof }> {
    const { served, results } = await this.live((tx, keys) => tx.gdhkProofBuffer(keys.proofEvents, keys.proofSeals, keys.feed, eventId));
    const reply = results[0];
    if (!Array.isArray(reply) || !reply.every((part) => part === null || Buffer.isBuffer(part))) throw new Error(`the read model's proof read of ${eventId} answered ${typeof reply}`);
    return { served, stored: storedProofOf(reply, eventId) };
  }

  /** Throws the 503 every read gives while no generation is live. */
  async assertLive(): Promise<Served> {
    return (await this.live(() => {})).served;
  }

  /** The live generation's build, or undefined while none is live. */
  async served(): Promise<Served | undefined> {
    try {
      return (await this.live(() => {})).served;
    } catch (error) {
      if (error instanceof ReadModelUnavailable) return undefined;
      throw error;
    }
  }
}

/** The member names of a stored JSON object (the build's targets), none when absent or not an object. */
function namesIn(json: string | null): string[] {
  if (!json) return [];
  const value: unknown = JSON.parse(json);
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : [];
}

function feedRow([id, fields]: [string, string[]]): FeedRow {
  const row: Record<string, string> = {};
  for (let index = 0; index + 1 < fields.length; index += 2) row[fields[index] ?? ''] = fields[index + 1] ?? '';
  return { id, source: row.s ?? '', event: row.e ?? 'null' };
}

/** joint-api's connections to the read model: one for reads, one for the feed tail's blocking reads, and the view memory's. */
export interface JointReadModelConnection {
  readonly readModel: JointReadModel;
  readonly blocking: Redis;
  /** The view memory, when on: its loads from Redis by reason. */
  readonly mirror: ViewMirror | undefined;
  ping(): Promise<true | string>;
  close(): void;
}

export interface JointReadModelOptions {
  /** Serve item views and the index from memory, checked against Redis every `checkMs` (mirror.ts); off without it. */
  readonly memory?: { readonly checkMs: number; readonly logger: MirrorLogger };
}

export async function connectJointReadModel(url: string, prefix: string, options: JointReadModelOptions = {}): Promise<JointReadModelConnection> {
  const redis = new IORedis(url, { maxRetriesPerRequest: 2, lazyConnect: true });
  await redis.connect();
  // Blocking reads (the feed tail) get a connection of their own.
  const blocking = new IORedis(url, { maxRetriesPerRequest: null, lazyConnect: true });
  await blocking.connect();
  const mirror = options.memory ? new ViewMirror(url, readModelKeys(prefix), options.memory) : undefined;
  const readModel = new JointReadModel(redis, prefix, mirror ? { mirror } : {});
  mirror?.start();
  return {
    readModel,
    blocking,
    mirror,
    ping: async () => ((await redis.ping()) === 'PONG' ? true : 'redis did not answer PONG'),
    close: () => {
      void mirror?.close();
      redis.disconnect();
      blocking.disconnect();
    },
  };
}

/** A reader over a client that never connects: for building the app without Redis (the OpenAPI document). */
export function unconnectedJointReadModel(prefix: string): { readModel: JointReadModel; close(): void } {
  const redis = new IORedis({ lazyConnect: true });
  return { readModel: new JointReadModel(redis, prefix), close: () => redis.disconnect() };
}

const logIds = z.record(z.string().min(1), z.string().min(1));

/** The build's stored log identity; anything but a topic → id record reads as not kept. */
function logIdsOf(json: string | null): Record<string, string> | null {
  if (json === null) return null;
  try {
    const parsed = logIds.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
