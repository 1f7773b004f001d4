import type { Side } from '@gdhk/domain';
import { parseInstant } from '@gdhk/integrity';
import { parseItemDocument, type ItemDocument, type ReadModelStore } from '@gdhk/readmodel';
import { LogReader, StreamLedger, type LogShape } from '@gdhk/verified-log';
import type { Logger } from 'pino';

export const SIDES: readonly Side[] = ['gd', 'hk'];

/** What the projection holds for one partition number: both side topics' partition of that number. */
export interface PartitionGroup {
  readonly partition: number;
  /**
   * per side: the offset Redis holds — the first record still held for its seal, or the next to
   * read when none is — where a restart reads again, so nothing held is lost
   */
  offsets: Record<Side, string>;
  /** per side: the next offset this member reads (past the records it holds for their seals) */
  next: Record<Side, string>;
  /** the documents of the items whose streams live on this partition number */
  documents: Map<string, ItemDocument>;
  /** the heads of those streams, seeded from the documents, and the records held for their seals */
  reader: LogReader;
  /** the partition's work, one job after another */
  queue: Promise<unknown>;
  loaded: boolean;
}

export interface PartitionDeps {
  /** the partition's offsets and item documents, as Redis holds them */
  readonly store: Pick<ReadModelStore, 'partitionState'>;
  readonly shape: LogShape;
  readonly logger: Logger;
  /** Ask the consumer to fetch a partition from this offset next. */
  readonly seek: (topic: string, partition: number, offset: string) => void;
}

/**
 * The partition numbers this member owns (both side topics' partition p together, see the
 * co-partition assigner): the consumer group's assignment, each group's state loaded from Redis,
 * and the seeks that make the consumer fetch from where Redis says. Work on one partition runs in
 * order through its queue.
 */
export class PartitionGroups {
  readonly #groups = new Map<number, PartitionGroup>();
  readonly #deps: PartitionDeps;

  constructor(deps: PartitionDeps) {
    this.#deps = deps;
  }

  /** The group of a partition number, while this member owns it. */
  get(partition: number): PartitionGroup | undefined {
    return this.#groups.get(partition);
  }

  /** Still this member's group of its partition number (not dropped, not replaced by a reassignment). */
  owns(group: PartitionGroup): boolean {
    return this.#groups.get(group.partition) === group;
  }

  /**
   * The partition numbers the consumer group gave this member; earlier ones are dropped. Each is
   * reloaded from Redis, then `onLoaded` gets its documents.
   */
  assign(partitions: readonly number[], onLoaded: (documents: ItemDocument[]) => void): void {
    const wanted = new Set(partitions);
    for (const partition of this.#groups.keys()) if (!wanted.has(partition)) this.#groups.delete(partition);
    for (const partition of wanted) {
      const group = this.#groups.get(partition) ?? newGroup(partition, this.#deps.shape);
      this.#groups.set(partition, group);
      // Seek at once to what we knew, then reload: the partition may have moved on under another owner.
      if (group.loaded) this.#seekBoth(group);
      void this.enqueue(group, async () => {
        await this.load(group);
        onLoaded([...group.documents.values()]);
      }).catch((error: unknown) => this.#deps.logger.error({ err: error, partition }, 'loading a partition of the read model failed'));
    }
  }

  /** Reloads every owned partition from Redis (after a new build began); not awaited, since a batch may call it from inside its queue. */
  reloadAll(): void {
    for (const group of this.#groups.values()) {
      void this.enqueue(group, () => this.load(group)).catch((error: unknown) => this.#deps.logger.error({ err: error, partition: group.partition }, 'reloading a partition failed'));
    }
  }

  /** Whether any owned partition has applied records since it was loaded. */
  anyApplied(): boolean {
    return [...this.#groups.values()].some((group) => group.offsets.gd !== '0' || group.offsets.hk !== '0');
  }

  owned(): number[] {
    return [...this.#groups.keys()].sort((a, b) => a - b);
  }

  /** Streams of the owned partitions that stopped verifying, counted by reason. */
  haltedStreams(): Map<string, number> {
    const halted = new Map<string, number>();
    for (const group of this.#groups.values()) {
      for (const document of group.documents.values()) {
        for (const halt of [document.halted.gd, document.halted.hk]) if (halt) halted.set(halt.reason, (halted.get(halt.reason) ?? 0) + 1);
      }
    }
    return halted;
  }

  enqueue<T>(group: PartitionGroup, work: () => Promise<T>): Promise<T> {
    const next = group.queue.then(work, work);
    group.queue = next.catch(() => undefined);
    return next;
  }

  /** Reloads one partition number from Redis and seeks both its topic partitions there. */
  async load(group: PartitionGroup): Promise<void> {
    const { offsets, items } = await this.#deps.store.partitionState();
    const documents = new Map<string, ItemDocument>();
    const ledger = new StreamLedger();
    for (const json of items.values()) {
      let document: ItemDocument;
      try {
        document = parseItemDocument(json);
      } catch (error) {
        // A value no projection wrote: the item starts over empty rather than stop the partition.
        this.#deps.logger.error({ err: error, partition: group.partition }, 'an item document in Redis does not read back; ignoring it');
        continue;
      }
      if (document.partition !== group.partition) continue;
      documents.set(document.itemId, document);
      seedStreams(ledger, document);
    }
    group.documents = documents;
    group.reader = new LogReader(this.#deps.shape, { ledger });
    for (const side of SIDES) {
      group.offsets[side] = offsets.get(`${this.#deps.shape.topics[side]}/${group.partition}`) ?? '0';
      group.next[side] = group.offsets[side];
    }
    group.loaded = true;
    if (this.owns(group)) this.#seekBoth(group);
  }

  #seekBoth(group: PartitionGroup): void {
    for (const side of SIDES) this.#deps.seek(this.#deps.shape.topics[side], group.partition, group.offsets[side]);
  }
}

function newGroup(partition: number, shape: LogShape): PartitionGroup {
  return { partition, offsets: { gd: '0', hk: '0' }, next: { gd: '0', hk: '0' }, documents: new Map(), reader: new LogReader(shape), queue: Promise.resolve(), loaded: false };
}

/** The stream heads a stored document records (halts included, so they survive restarts). */
function seedStreams(ledger: StreamLedger, document: ItemDocument): void {
  for (const side of SIDES) {
    const state = document.sides[side];
    const halt = document.halted[side];
    if (state.streamVersion === 0 && !halt) continue;
    ledger.seed(`${side}/${document.itemId}`, {
      version: state.streamVersion,
      hash: document.lastHash[side],
      occurredAtMs: state.lastOccurredAt === null ? Number.NEGATIVE_INFINITY : (parseInstant(state.lastOccurredAt) ?? Number.NEGATIVE_INFINITY),
      halted: halt ? { reason: 'fork', detail: halt.detail, where: { topic: halt.topic, partition: halt.partition, offset: halt.offset }, hash: halt.hash } : undefined,
    });
  }
}
