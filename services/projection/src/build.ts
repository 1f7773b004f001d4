import type { BuildInfo, ReadModelKeys, ReadModelStore, SwitchMode } from '@gdhk/readmodel';
import type { Logger } from 'pino';

export interface BuildDeps {
  /** what the build's job needs of the store: its meta and offsets, never the documents */
  readonly store: Pick<ReadModelStore, 'keys' | 'beginBuild' | 'buildId' | 'hasOffsets' | 'offsets' | 'promote'>;
  readonly keys: ReadModelKeys;
  readonly switchMode: SwitchMode;
  readonly logger: Logger;
  readonly now: () => string;
  readonly newBuildId: () => string;
  /** Side-topic high watermarks now: the targets of a new build. */
  readonly highWatermarks: () => Promise<Record<string, string>>;
  /** The side topics' identity now (topic → Kafka topic id): a build reflects one log only. */
  readonly logIdentity: () => Promise<Record<string, string>>;
  /** Called when the read model reflected another log than the side topics now hold, and a fresh build starts. */
  readonly onLogReset?: (reason: string) => void;
}

const IDENTITY_CHECK_MS = 5000;

/**
 * The build of the generation this projection fills: joining it (or starting one), noticing that
 * it must start over (Redis lost it, another build took over, the side topics are another log),
 * and promoting it once it reached its targets. It knows nothing of partitions: `check` says when
 * a new build began, and the caller reloads what it holds.
 */
export class BuildLifecycle {
  #build: BuildInfo | undefined;
  #identityCheckedAt = 0;
  readonly #deps: BuildDeps;

  constructor(deps: BuildDeps) {
    this.#deps = deps;
  }

  get current(): BuildInfo | undefined {
    return this.#build;
  }

  /** Joins the generation's build (starting one if Redis has none) and points `current` as configured. */
  async join(): Promise<void> {
    this.#build = await this.#deps.store.beginBuild(await this.#candidate());
    const reset = await this.#otherLog(this.#build);
    if (reset) this.#build = await this.#freshBuild(reset, this.#build.buildId);
    await this.promote();
  }

  /**
   * Whether the build must start over, and if so starts it (and promotes it as configured):
   * true means every partition held must be reloaded from Redis. `applied` says whether this
   * projection applied anything since it (re)loaded its partitions.
   */
  async check(applied: () => boolean): Promise<boolean> {
    const { store, logger } = this.#deps;
    const current = this.#build;
    const stored = await store.buildId();
    if (current && stored === current.buildId) {
      // The log's identity costs a metadata request: looked at every few seconds, not every tick.
      if (Date.now() - this.#identityCheckedAt >= IDENTITY_CHECK_MS) {
        this.#identityCheckedAt = Date.now();
        const reset = await this.#otherLog(current);
        if (reset) {
          this.#build = await this.#freshBuild(reset, current.buildId);
          await this.promote();
          return true;
        }
      }
      if (!applied() || (await store.hasOffsets())) {
        if (current.state === 'building') await this.promote();
        return false;
      }
      logger.warn({ buildId: current.buildId }, 'the read model lost its offsets; rebuilding from the event log');
      this.#build = await store.beginBuild(await this.#candidate(), current.buildId);
    } else {
      logger.warn({ was: current?.buildId, now: stored }, stored ? 'another build of this generation started; following it' : 'the read model is gone from Redis; rebuilding from the event log');
      this.#build = await store.beginBuild(await this.#candidate());
    }
    await this.promote();
    return true;
  }

  /** Marks the build live once it reached its targets (and switches `current` as configured). */
  async promote(): Promise<void> {
    if (!this.#build) return;
    const state = await this.#deps.store.promote(this.#deps.keys, this.#build.buildId, this.#deps.switchMode, this.#deps.now());
    if (state === 'live' && this.#build.state !== 'live') {
      this.#build = { ...this.#build, state: 'live' };
      this.#deps.logger.info({ generation: this.#deps.store.keys.name, buildId: this.#build.buildId }, 'read model is live');
    }
  }

  /**
   * Why the build does not reflect the log the side topics hold now, if it does not: other topic
   * ids (the topics were deleted and created again), or an applied offset past a partition's end.
   */
  async #otherLog(build: BuildInfo): Promise<string | undefined> {
    if (build.log === null) return 'the read model does not say which log it reflects (it predates log identities)';
    const log = await this.#deps.logIdentity();
    for (const [topic, id] of Object.entries(log)) {
      if (build.log[topic] !== id) return `topic ${topic} is another log now (topic id ${id}, the read model reflects ${build.log[topic] ?? 'none'})`;
    }
    // The applied offsets first, the partitions' ends after: under writes both only grow, so an
    // offset past an end read later means the log really is shorter than what was applied.
    const applied = await this.#deps.store.offsets();
    const ends = await this.#deps.highWatermarks();
    for (const [topicPartition, offset] of applied) {
      const end = ends[topicPartition];
      if (end !== undefined && BigInt(offset) > BigInt(end)) return `${topicPartition} ends at ${end}, below the read model's offset ${offset}`;
    }
    return undefined;
  }

  async #freshBuild(reason: string, replacing: string): Promise<BuildInfo> {
    this.#deps.logger.warn({ reason, replacing }, 'the read model reflects another log than the side topics hold: starting a fresh build');
    this.#deps.onLogReset?.(reason);
    return this.#deps.store.beginBuild(await this.#candidate(), replacing);
  }

  async #candidate(): Promise<{ buildId: string; targets: Record<string, string>; now: string; log: Record<string, string> }> {
    return { buildId: this.#deps.newBuildId(), targets: await this.#deps.highWatermarks(), now: this.#deps.now(), log: await this.#deps.logIdentity() };
  }
}
