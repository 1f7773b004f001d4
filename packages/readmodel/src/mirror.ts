import { Redis as IORedis, type Redis } from 'ioredis';
import { parseChangeMessage, type ChangeMessage } from './change.ts';
import { parseIndexEntry, parseItemView, type ItemIndexEntry, type ItemView } from './document.ts';
import type { ReadModelKeys } from './keys.ts';
import type { Served } from './reader.ts';

/** The served generation as memory holds it: exactly Redis's views and index at `version`. */
export interface MirrorSnapshot {
  readonly served: Served;
  readonly version: number;
  /** Names the views and index: equal tags, equal content (generation, build and the version that last changed them). */
  readonly tag: string;
  readonly views: ReadonlyMap<string, ItemView>;
  readonly index: ReadonlyMap<string, ItemIndexEntry>;
}

export interface MirrorLogger {
  warn(details: object, message: string): void;
  info(details: object, message: string): void;
}

export interface ViewMirrorOptions {
  /**
   * How often the mirror checks itself against Redis (ms): the version, `current` and the served
   * build, after which a PING on the subscriber proves every message up to that version arrived.
   * A check unanswered for this long counts as a lost connection.
   */
  readonly checkMs: number;
  readonly logger: MirrorLogger;
}

type Loaded = { version: number; snapshot: MirrorSnapshot | undefined };

/** A connection of the mirror's: no reconnects of its own (a new session starts instead), no queue while down. */
function connection(url: string, name: string): Redis {
  const client = new IORedis(url, { lazyConnect: true, connectionName: name, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, commandTimeout: 10_000 });
  // Failures surface as rejected commands and the 'close' that ends the session.
  client.on('error', () => {});
  return client;
}

interface Session {
  readonly subscriber: Redis;
  readonly tracker: Redis;
  /** the subscriber's client id, where the tracker's invalidations are redirected */
  readonly id: number;
  /** the prefixes the tracker has invalidations for; undefined before tracking is on */
  tracked: string | undefined;
}

/**
 * joint-api's in-process copy of the served generation's item views and index, kept current by the
 * store's change messages (change.ts) and trusted only while nothing can have been missed:
 *
 * - messages are applied in version order; a skipped version, a message that is not the next
 *   one, a build or a promotion reloads from Redis (one MULTI, with `current` re-read in it);
 * - a session is two connections: a subscriber (the change channel and Redis's own invalidation
 *   channel) and a tracker with `CLIENT TRACKING … BCAST` on `current` and the served build's
 *   meta, so a FLUSHALL, a DEL of the meta or a `current` set by hand reaches the mirror as a
 *   message on the same connection even though no script of the store ran;
 * - a connection that closes ends the session: memory is distrusted at once and a new session
 *   reloads before serving again;
 * - every `checkMs` the version, `current` and the meta are read and then the subscriber is
 *   PINGed: messages and the PONG share a connection, so when the PONG arrives every message up to
 *   the version read has been handled, and memory behind it means one was lost (reload);
 * - `observe` takes the version every read through Redis saw: memory behind a version a reply of
 *   this process already showed is not served until it caught up.
 *
 * While it is not trusted, `snapshot()` answers undefined and the reader reads Redis as before.
 */
export class ViewMirror {
  private readonly url: string;
  private readonly keys: ReadModelKeys;
  private readonly options: ViewMirrorOptions;
  private session: Session | undefined;
  private opening = false;
  /** The version memory reflects (undefined until a load), and the served generation's state at it (undefined when none is live). */
  private version: number | undefined;
  private state: MirrorSnapshot | undefined;
  /** The newest version a read through Redis reported. */
  private observed = 0;
  /** Messages that arrived while a load was under way: handled after it, in order. */
  private pending: ChangeMessage[] | undefined;
  private reloadAgain = false;
  private checkTimer: NodeJS.Timeout | undefined;
  private checkStartedAt = 0;
  private running = true;
  private restartDelayMs = 100;
  private switchListeners: (() => void)[] = [];
  /** Loads from Redis so far, by reason (tests and metrics read it). */
  readonly reloads = new Map<string, number>();

  constructor(url: string, keys: ReadModelKeys, options: ViewMirrorOptions) {
    this.url = url;
    this.keys = keys;
    this.options = options;
  }

  start(): void {
    void this.open();
    this.checkTimer = setInterval(() => void this.check(), this.options.checkMs);
    this.checkTimer.unref();
  }

  /** The served state when memory may be served; undefined while it might be behind Redis. */
  snapshot(): MirrorSnapshot | undefined {
    const { state } = this;
    if (!state || !this.session || this.pending || this.observed > state.version) return undefined;
    // A check that has not come back within its interval: the subscriber may be gone silently.
    if (this.checkStartedAt !== 0 && Date.now() - this.checkStartedAt > this.options.checkMs) return undefined;
    return state;
  }

  /** Calls `listener` when `current` or a build changed, so a cached generation name is dropped at once. */
  onSwitch(listener: () => void): void {
    this.switchListeners.push(listener);
  }

  private switched(): void {
    for (const listener of this.switchListeners) listener();
  }

  /** A read through Redis saw `version`: memory older than it is not served until it caught up. */
  observe(version: number): void {
    if (version > this.observed) this.observed = version;
  }

  async close(): Promise<void> {
    this.running = false;
    clearInterval(this.checkTimer);
    this.endSession();
  }

  private count(reason: string): void {
    this.reloads.set(reason, (this.reloads.get(reason) ?? 0) + 1);
  }

  private async open(): Promise<void> {
    if (!this.running || this.session || this.opening) return;
    this.opening = true;
    // Named after the prefix, so CLIENT LIST tells whose they are.
    const subscriber = connection(this.url, `joint-api-views:${this.keys.prefix}`);
    const tracker = connection(this.url, `joint-api-tracker:${this.keys.prefix}`);
    let session: Session | undefined;
    try {
      await Promise.all([subscriber.connect(), tracker.connect()]);
      const id = Number(await subscriber.client('ID'));
      subscriber.on('messageBuffer', (channel: Buffer, message: unknown) => this.onMessage(channel.toString(), message));
      await subscriber.subscribe(this.keys.changes, '__redis__:invalidate');
      session = { subscriber, tracker, id, tracked: undefined };
      await this.track(session, '');
      const opened = session;
      for (const client of [subscriber, tracker]) client.once('close', () => this.lost(opened));
      this.session = session;
      this.restartDelayMs = 100;
    } catch (error) {
      subscriber.disconnect();
      tracker.disconnect();
      this.retry(error);
      return;
    } finally {
      this.opening = false;
    }
    await this.reload('session');
  }

  private retry(error: unknown): void {
    if (!this.running) return;
    this.options.logger.warn({ err: error, retryInMs: this.restartDelayMs }, 'joint view memory lost Redis; reading from Redis until it is back');
    setTimeout(() => void this.open(), this.restartDelayMs).unref();
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, 2000);
  }

  private lost(session: Session): void {
    if (this.session !== session) return;
    this.endSession();
    this.retry(new Error('a connection of the view memory closed'));
  }

  private endSession(): void {
    const { session } = this;
    this.session = undefined;
    this.state = undefined;
    this.version = undefined;
    this.pending = undefined;
    this.checkStartedAt = 0;
    session?.subscriber.disconnect();
    session?.tracker.disconnect();
  }

  /** Points the tracker's invalidations at `current` and the meta of the generation about to be served. */
  private async track(session: Session, meta: string): Promise<void> {
    const prefixes = meta === '' ? [this.keys.current] : [this.keys.current, meta];
    if (session.tracked === prefixes.join(' ')) return;
    if (session.tracked !== undefined) await session.tracker.client('TRACKING', 'OFF');
    await session.tracker.client('TRACKING', 'ON', 'REDIRECT', String(session.id), 'BCAST', ...prefixes.flatMap((prefix) => ['PREFIX', prefix]));
    session.tracked = prefixes.join(' ');
  }

  private onMessage(channel: string, message: unknown): void {
    if (channel === this.keys.changes) {
      const change = Buffer.isBuffer(message) ? parseChangeMessage(message.toString()) : undefined;
      if (!change) return void this.reload('unreadable message');
      if (this.pending) this.pending.push(change);
      else this.apply(change);
      return;
    }
    // Redis's invalidation: null after a FLUSHALL, else the changed keys (current, the served meta).
    // The store's own scripts also publish a change for these; a reload covers both.
    this.switched();
    void this.reload(message === null ? 'flush' : 'invalidation');
  }

  /** One change in version order, or a reload when it is not the next one or not a batch of items. */
  private apply(change: ChangeMessage): void {
    if (this.version === undefined) return void this.reload('no state');
    if (change.version <= this.version && this.pending === undefined) {
      // Older than memory: the counter started again (Redis lost its data).
      return void this.reload('version went back');
    }
    if (change.version !== this.version + 1) return void this.reload('missed version');
    if (change.kind === 'build' || change.kind === 'promoted') {
      this.switched();
      return void this.reload(change.kind);
    }
    const state = this.state;
    if (!state || change.generation !== state.served.generation) {
      this.version = change.version;
      // The served views did not change: the tag stays, so bodies kept for it stay valid.
      if (state) this.state = { ...state, version: change.version };
      return;
    }
    if (change.kind !== 'applied' || change.buildId !== state.served.buildId) return void this.reload('unexpected batch');
    // Copy on write: a snapshot handed to a request never changes under it.
    const views = new Map(state.views);
    const index = new Map(state.index);
    for (const item of change.items) {
      views.set(item.itemId, parseItemView(item.view, item.itemId));
      index.set(item.itemId, parseIndexEntry(item.index));
    }
    this.version = change.version;
    this.state = { served: state.served, version: change.version, tag: tagOf(state.served, change.version), views, index };
  }

  /** Reads the served generation whole (one MULTI), then handles the messages that came meanwhile. */
  private async reload(reason: string): Promise<void> {
    const session = this.session;
    if (!session) return;
    if (this.pending) {
      this.reloadAgain = true;
      return;
    }
    this.count(reason);
    this.pending = [];
    try {
      let loaded: Loaded | undefined;
      do {
        this.reloadAgain = false;
        loaded = await this.load(session);
      } while (this.reloadAgain && this.session === session);
      if (this.session !== session || !loaded) return;
      const before = this.version;
      this.version = loaded.version;
      this.state = loaded.snapshot;
      // After a reset of the counter, versions seen before mean nothing.
      if (before === undefined || loaded.version < before) this.observed = Math.min(this.observed, loaded.version);
      const pending = this.pending ?? [];
      this.pending = undefined;
      for (const change of pending) {
        if (this.pending || this.session !== session) break;
        if (change.version > (this.version ?? 0)) this.apply(change);
      }
    } catch (error) {
      if (this.session === session) {
        this.options.logger.warn({ err: error }, 'joint view memory could not load from Redis');
        this.lost(session);
      }
    }
  }

  private async load(session: Session): Promise<Loaded | undefined> {
    const { tracker } = session;
    for (;;) {
      const name = await tracker.get(this.keys.current);
      const generation = name ? this.keys.generation(name) : undefined;
      await this.track(session, generation?.meta ?? '');
      const tx = tracker.multi().get(this.keys.version).get(this.keys.current);
      if (generation) tx.hget(generation.meta, 'state').hget(generation.meta, 'buildId').hgetall(generation.views).hgetall(generation.index);
      const replies = (await tx.exec()) ?? [];
      const [version, named, state, buildId, views, index] = replies.map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      if (this.session !== session) return undefined;
      if (named !== name) continue;
      const at = Number(version ?? 0);
      if (!generation || state !== 'live' || typeof buildId !== 'string') return { version: at, snapshot: undefined };
      const served = { generation: generation.name, buildId };
      return {
        version: at,
        snapshot: {
          served,
          version: at,
          tag: tagOf(served, at),
          views: new Map(Object.entries((views ?? {}) as Record<string, string>).map(([id, json]) => [id, parseItemView(json, id)])),
          index: new Map(Object.entries((index ?? {}) as Record<string, string>).map(([id, line]) => [id, parseIndexEntry(line)])),
        },
      };
    }
  }

  /** The periodic check: Redis's version, `current` and the served meta, then a PING through the subscriber. */
  private async check(): Promise<void> {
    const session = this.session;
    if (!session || this.pending || this.checkStartedAt !== 0) return;
    this.checkStartedAt = Date.now();
    try {
      const before = this.version ?? 0;
      const generation = this.state?.served.generation;
      const tx = session.tracker.multi().get(this.keys.version).get(this.keys.current);
      if (generation) tx.hmget(this.keys.generation(generation).meta, 'state', 'buildId');
      const replies = ((await tx.exec()) ?? []).map(([error, value]) => {
        if (error) throw error;
        return value;
      });
      await session.subscriber.ping();
      if (this.session !== session) return;
      const [version, current, meta] = replies as [string | null, string | null, (string | null)[] | undefined];
      const at = Number(version ?? 0);
      if (this.pending) return;
      const served = this.state?.served;
      if (at < before) void this.reload('version went back');
      else if ((this.version ?? 0) < at) void this.reload('missed version');
      else if ((this.version ?? 0) === at && (current !== (served?.generation ?? current) || (served && (meta?.[0] !== 'live' || meta[1] !== served.buildId)))) void this.reload('check');
    } catch (error) {
      if (this.session === session) {
        this.options.logger.warn({ err: error }, 'joint view memory check failed');
        this.lost(session);
      }
    } finally {
      this.checkStartedAt = 0;
    }
  }
}

function tagOf(served: Served, version: number): string {
  return `${served.generation}/${served.buildId}/${version}`;
}
