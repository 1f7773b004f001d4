import type { BuildInfo, ItemDocument } from '@gdhk/readmodel';
import { applyBatch, type ApplyDeps, type IncomingBatch } from './apply.ts';
import { BuildLifecycle, type BuildDeps } from './build.ts';
import { PartitionGroups, type PartitionDeps, type PartitionGroup } from './partitions.ts';

export type ProjectorDeps = BuildDeps &
  PartitionDeps &
  ApplyDeps & {
    /** After the Redis write: the items' new joint views (`gdhk.joint.changes`). */
    readonly publishChanges?: (documents: readonly ItemDocument[]) => Promise<void>;
  };

/**
 * Verifies and applies batches of side-topic records to the Redis read model. It owns partition
 * NUMBERS (both side topics' partition p together, see the co-partition assigner): the documents
 * of the items on p depend on both, so every write compare-and-sets both offsets of p and the
 * build id, and a writer whose view is stale (lost partitions, missed rebuild) changes nothing.
 *
 * Three jobs, one module each: the build's lifecycle (`build.ts`), the partitions this member
 * owns and their state in Redis (`partitions.ts`), and applying one batch (`apply.ts`). This
 * class orders them and publishes the joint changes.
 */
export class Projector {
  readonly #builds: BuildLifecycle;
  readonly #partitions: PartitionGroups;
  readonly #deps: ProjectorDeps;
  #checking: Promise<void> | undefined;
  /** Joint changes leave in order, one send after another, without holding up the next batch. */
  #publishing: Promise<void> = Promise.resolve();

  constructor(deps: ProjectorDeps) {
    this.#deps = deps;
    this.#builds = new BuildLifecycle(deps);
    this.#partitions = new PartitionGroups(deps);
  }

  get buildState(): BuildInfo | undefined {
    return this.#builds.current;
  }

  /** Joins the generation's build (starting one if Redis has none) and points `current` as configured. */
  start(): Promise<void> {
    return this.#builds.join();
  }

  /** The partition numbers the consumer group gave this member; earlier ones are dropped. */
  assign(partitions: readonly number[]): void {
    this.#partitions.assign(partitions, (documents) => this.#publish(documents));
  }

  /** Resolves once every joint change published so far has been acknowledged (or failed). */
  flushed(): Promise<void> {
    return this.#publishing;
  }

  /** Streams of the owned partitions that stopped verifying, counted by reason. */
  haltedStreams(): Map<string, number> {
    return this.#partitions.haltedStreams();
  }

  ownedPartitions(): number[] {
    return this.#partitions.owned();
  }

  applyBatch(batch: IncomingBatch): Promise<void> {
    const group = this.#partitions.get(batch.partition);
    if (!group) return Promise.resolve();
    return this.#partitions.enqueue(group, () => this.#applyNow(group, batch));
  }

  /** A fetch that held only control records (transaction markers) still moves the offset on. */
  advancePastControlRecords(topic: string, partition: number, firstOffset: string, lastOffset: string): void {
    const group = this.#partitions.get(partition);
    if (!group) return;
    void this.#partitions.enqueue(group, () => this.#applyNow(group, { topic, partition, fetchedOffset: firstOffset, lastOffset, records: [] })).catch((error: unknown) =>
      this.#deps.logger.warn({ err: error, topic, partition }, 'could not record offsets past control records; the next batch will'),
    );
  }

  /**
   * Notices Redis losing its data (the build id or the offsets vanished) or the side topics being
   * another log, and starts over from offset 0 of every owned partition; also promotes a finished
   * build. The server calls it on a timer.
   */
  checkBuild(): Promise<void> {
    this.#checking ??= this.#checkBuildNow().finally(() => (this.#checking = undefined));
    return this.#checking;
  }

  async #checkBuildNow(): Promise<void> {
    if (await this.#builds.check(() => this.#partitions.anyApplied())) this.#partitions.reloadAll();
  }

  async #applyNow(group: PartitionGroup, batch: IncomingBatch): Promise<void> {
    const build = this.#builds.current;
    // A group dropped (or replaced by a later assignment) while this waited in its queue writes nothing.
    if (!this.#partitions.owns(group) || !build) return;
    const outcome = await applyBatch(this.#deps, build.buildId, group, batch);
    switch (outcome.kind) {
      case 'nothing':
        return;
      case 'conflict':
        await this.checkBuild();
        await this.#partitions.load(group);
        return;
      case 'written':
        if (outcome.touched.length > 0) this.#publish([...outcome.touched]);
        if (this.#builds.current?.state === 'building') await this.#builds.promote();
        return;
      default: {
        const _exhaustive: never = outcome;
        return _exhaustive;
      }
    }
  }

  #publish(documents: ItemDocument[]): void {
    const { publishChanges, logger } = this.#deps;
    if (!publishChanges || documents.length === 0) return;
    this.#publishing = this.#publishing
      .then(() => publishChanges(documents))
      .catch((error: unknown) => logger.warn({ err: error, items: documents.length }, 'joint changes not published; they go out again when the partition is next assigned'));
  }
}
