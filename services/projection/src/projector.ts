import { evolveSide, joint, type Side } from '@gdhk/domain';
import type { LogRecord } from '@gdhk/eventlog';
import { parseInstant } from '@gdhk/integrity';
import { StreamLedger, verifyRecord, verifySignature, type LogShape, type Reason, type Verdict } from '@gdhk/verified-log';
import {
  emptyItemDocument,
  parseItemDocument,
  quarantineOn,
  haltOn,
  repairOn,
  feedSource,
  indexEntryOf,
  viewOf,
  type BuildInfo,
  type ItemDocument,
  type ReadModelKeys,
  type ReadModelStore,
  type SwitchMode,
} from '@gdhk/readmodel';
import type { Logger } from 'pino';
import type { VerifyPool } from './verify-pool.ts';

/** A record that did not apply, as the DLQ keeps it. */
export interface RecordFailure {
  readonly reason: Reason;
  readonly detail: string;
  /** `gd/2019-03`, or `gd/?` when the record names no stream */
  readonly stream: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

export interface DeadLetter {
  readonly failure: RecordFailure;
  readonly record: LogRecord;
}

export interface ProjectorDeps {
  readonly store: ReadModelStore;
  readonly keys: ReadModelKeys;
  /** the side topics, key ring, plan and partitioner the verified log checks records against */
  readonly shape: LogShape;
  readonly pool: VerifyPool;
  /** Side-topic high watermarks now: the targets of a new build. */
  readonly highWatermarks: () => Promise<Record<string, string>>;
  /** The side topics' identity now (topic → Kafka topic id): a build reflects one log only. */
  readonly logIdentity: () => Promise<Record<string, string>>;
  /** Called when the read model reflected another log than the side topics now hold, and a fresh build starts. */
  readonly onLogReset?: (reason: string) => void;
  readonly switchMode: SwitchMode;
  readonly logger: Logger;
  readonly now: () => string;
  readonly newBuildId: () => string;
  /** Ask the consumer to fetch a partition from this offset next. */
  readonly seek: (topic: string, partition: number, offset: string) => void;
  /** Before the Redis write: dead letters are published at least once. */
  readonly publishDeadLetters?: (letters: readonly DeadLetter[]) => Promise<void>;
  /** After the Redis write: the items' new joint views (`gdhk.joint.changes`). */
  readonly publishChanges?: (documents: readonly ItemDocument[]) => Promise<void>;
  readonly observe?: (batch: { applied: number; duplicates: number; failures: readonly RecordFailure[]; seconds: number }) => void;
}

/** What the projection holds for one partition number: both side topics' partition of that number. */
interface PartitionGroup {
  readonly partition: number;
  offsets: Record<Side, string>;
  documents: Map<string, ItemDocument>;
  ledger: StreamLedger;
  queue: Promise<unknown>;
  loaded: boolean;
}

export interface IncomingBatch {
  readonly topic: string;
  readonly partition: number;
  /** The offset the consumer fetched from; after the last applied record unless a seek or redelivery intervened. */
  readonly fetchedOffset: string;
  /** The batch's last offset, control records included. */
  readonly lastOffset: string;
  readonly records: readonly LogRecord[];
}

const SIDES: readonly Side[] = ['gd', 'hk'];
const IDENTITY_CHECK_MS = 5000;

/**
 * Verifies and applies batches of side-topic records to the Redis read model. It owns partition
 * NUMBERS (both side topics' partition p together, see the co-partition assigner): the documents
 * of the items on p depend on both, so every write compare-and-sets both offsets of p and the
 * build id, and a writer whose view is stale (lost partitions, missed rebuild) changes nothing.
 */
export class Projector {
  private build: BuildInfo | undefined;
  private readonly groups = new Map<number, PartitionGroup>();
  private checking: Promise<void> | undefined;
  private identityCheckedAt = 0;
  /** Joint changes leave in order, one send after another, without holding up the next batch. */
  private publishing: Promise<void> = Promise.resolve();

  private readonly deps: ProjectorDeps;

  constructor(deps: ProjectorDeps) {
    this.deps = deps;
  }

  get buildState(): BuildInfo | undefined {
    return this.build;
  }

  /** Joins the generation's build (starting one if Redis has none) and points `current` as configured. */
  async start(): Promise<void> {
    this.build = await this.deps.store.beginBuild(await this.candidate());
    const reset = await this.otherLog(this.build);
    if (reset) this.build = await this.freshBuild(reset, this.build.buildId);
    await this.promote();
  }

  /**
   * Why the build does not reflect the log the side topics hold now, if it does not: other topic
   * ids (the topics were deleted and created again), or an applied offset past a partition's end.
   */
  private async otherLog(build: BuildInfo): Promise<string | undefined> {
    if (build.log === null) return 'the read model does not say which log it reflects (it predates log identities)';
    const log = await this.deps.logIdentity();
    for (const [topic, id] of Object.entries(log)) {
      if (build.log[topic] !== id) return `topic ${topic} is another log now (topic id ${id}, the read model reflects ${build.log[topic] ?? 'none'})`;
    }
    // The applied offsets first, the partitions' ends after: under writes both only grow, so an
    // offset past an end read later means the log really is shorter than what was applied.
    const applied = await this.deps.store.offsets();
    const ends = await this.deps.highWatermarks();
    for (const [topicPartition, offset] of applied) {
      const end = ends[topicPartition];
      if (end !== undefined && BigInt(offset) > BigInt(end)) return `${topicPartition} ends at ${end}, below the read model's offset ${offset}`;
    }
    return undefined;
  }

  private async freshBuild(reason: string, replacing: string): Promise<BuildInfo> {
    this.deps.logger.warn({ reason, replacing }, 'the read model reflects another log than the side topics hold: starting a fresh build');
    this.deps.onLogReset?.(reason);
    return this.deps.store.beginBuild(await this.candidate(), replacing);
  }

  /** The partition numbers the consumer group gave this member; earlier ones are dropped. */
  assign(partitions: readonly number[]): void {
    const wanted = new Set(partitions);
    for (const partition of this.groups.keys()) if (!wanted.has(partition)) this.groups.delete(partition);
    for (const partition of wanted) {
      const group = this.groups.get(partition) ?? this.newGroup(partition);
      this.groups.set(partition, group);
      // Seek at once to what we knew, then reload: the partition may have moved on under another owner.
      if (group.loaded) for (const side of SIDES) this.deps.seek(this.deps.shape.topics[side], partition, group.offsets[side]);
      void this.enqueue(group, async () => {
        await this.load(group);
        this.publish([...group.documents.values()]);
      }).catch((error: unknown) => this.deps.logger.error({ err: error, partition }, 'loading a partition of the read model failed'));
    }
  }

  private publish(documents: ItemDocument[]): void {
    const { publishChanges, logger } = this.deps;
    if (!publishChanges || documents.length === 0) return;
    this.publishing = this.publishing
      .then(() => publishChanges(documents))
      .catch((error: unknown) => logger.warn({ err: error, items: documents.length }, 'joint changes not published; they go out again when the partition is next assigned'));
  }

  /** Resolves once every joint change published so far has been acknowledged (or failed). */
  flushed(): Promise<void> {
    return this.publishing;
  }

  /** Streams of the owned partitions that stopped verifying, counted by reason. */
  haltedStreams(): Map<string, number> {
    const halted = new Map<string, number>();
    for (const group of this.groups.values()) {
      for (const document of group.documents.values()) {
        for (const halt of [document.halted.gd, document.halted.hk]) if (halt) halted.set(halt.reason, (halted.get(halt.reason) ?? 0) + 1);
      }
    }
    return halted;
  }

  ownedPartitions(): number[] {
    return [...this.groups.keys()].sort((a, b) => a - b);
  }

  applyBatch(batch: IncomingBatch): Promise<void> {
    const group = this.groups.get(batch.partition);
    if (!group) return Promise.resolve();
    return this.enqueue(group, () => this.applyNow(group, batch));
  }

  /** A fetch that held only control records (transaction markers) still moves the offset on. */
  advancePastControlRecords(topic: string, partition: number, firstOffset: string, lastOffset: string): void {
    const group = this.groups.get(partition);
    if (!group) return;
    void this.enqueue(group, () => this.applyNow(group, { topic, partition, fetchedOffset: firstOffset, lastOffset, records: [] })).catch((error: unknown) =>
      this.deps.logger.warn({ err: error, topic, partition }, 'could not record offsets past control records; the next batch will'),
    );
  }

  /**
   * Notices Redis losing its data (the build id or the offsets vanished) and starts over from
   * offset 0 of every owned partition; also promotes a finished build. The server calls it on a timer.
   */
  checkBuild(): Promise<void> {
    this.checking ??= this.checkBuildNow().finally(() => (this.checking = undefined));
    return this.checking;
  }

  private async checkBuildNow(): Promise<void> {
    const { store, logger } = this.deps;
    const current = this.build;
    const stored = await store.buildId();
    if (current && stored === current.buildId) {
      // The log's identity costs a metadata request: looked at every few seconds, not every tick.
      if (Date.now() - this.identityCheckedAt >= IDENTITY_CHECK_MS) {
        this.identityCheckedAt = Date.now();
        const reset = await this.otherLog(current);
        if (reset) {
          this.build = await this.freshBuild(reset, current.buildId);
          await this.reloadAll();
          return;
        }
      }
      const applied = [...this.groups.values()].some((group) => group.offsets.gd !== '0' || group.offsets.hk !== '0');
      if (!applied || (await store.hasOffsets())) {
        if (current.state === 'building') await this.promote();
        return;
      }
      logger.warn({ buildId: current.buildId }, 'the read model lost its offsets; rebuilding from the event log');
      this.build = await store.beginBuild(await this.candidate(), current.buildId);
    } else {
      logger.warn({ was: current?.buildId, now: stored }, stored ? 'another build of this generation started; following it' : 'the read model is gone from Redis; rebuilding from the event log');
      this.build = await store.beginBuild(await this.candidate());
    }
    await this.reloadAll();
  }

  private async reloadAll(): Promise<void> {
    await this.promote();
    // Not awaited: a batch that noticed the change calls this from inside its partition's queue.
    for (const group of this.groups.values()) {
      void this.enqueue(group, () => this.load(group)).catch((error: unknown) => this.deps.logger.error({ err: error, partition: group.partition }, 'reloading a partition failed'));
    }
  }

  private async candidate(): Promise<{ buildId: string; targets: Record<string, string>; now: string; log: Record<string, string> }> {
    return { buildId: this.deps.newBuildId(), targets: await this.deps.highWatermarks(), now: this.deps.now(), log: await this.deps.logIdentity() };
  }

  private async promote(): Promise<void> {
    if (!this.build) return;
    const state = await this.deps.store.promote(this.deps.keys, this.build.buildId, this.deps.switchMode, this.deps.now());
    if (state === 'live' && this.build.state !== 'live') {
      this.build = { ...this.build, state: 'live' };
      this.deps.logger.info({ generation: this.deps.store.keys.name, buildId: this.build.buildId }, 'read model is live');
    }
  }

  private newGroup(partition: number): PartitionGroup {
    return { partition, offsets: { gd: '0', hk: '0' }, documents: new Map(), ledger: new StreamLedger(), queue: Promise.resolve(), loaded: false };
  }

  private enqueue<T>(group: PartitionGroup, work: () => Promise<T>): Promise<T> {
    const next = group.queue.then(work, work);
    group.queue = next.catch(() => undefined);
    return next;
  }

  /** Reloads one partition number from Redis and seeks both its topic partitions there. */
  private async load(group: PartitionGroup): Promise<void> {
    const { offsets, items } = await this.deps.store.partitionState();
    const documents = new Map<string, ItemDocument>();
    const ledger = new StreamLedger();
    for (const json of items.values()) {
      let document: ItemDocument;
      try {
        document = parseItemDocument(json);
      } catch (error) {
        // A value no projection wrote: the item starts over empty rather than stop the partition.
        this.deps.logger.error({ err: error, partition: group.partition }, 'an item document in Redis does not read back; ignoring it');
        continue;
      }
      if (document.partition !== group.partition) continue;
      documents.set(document.itemId, document);
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
    group.documents = documents;
    group.ledger = ledger;
    for (const side of SIDES) group.offsets[side] = offsets.get(`${this.deps.shape.topics[side]}/${group.partition}`) ?? '0';
    group.loaded = true;
    if (this.groups.get(group.partition) === group) {
      for (const side of SIDES) this.deps.seek(this.deps.shape.topics[side], group.partition, group.offsets[side]);
    }
  }

  private async applyNow(group: PartitionGroup, batch: IncomingBatch): Promise<void> {
    if (this.groups.get(group.partition) !== group || !this.build) return;
    const started = performance.now();
    const { topic, partition } = batch;
    const side = SIDES.find((candidate) => this.deps.shape.topics[candidate] === topic);
    if (!side) throw new Error(`not a side topic: ${topic}`);
    const from = group.offsets[side];
    if (BigInt(batch.fetchedOffset) > BigInt(from)) {
      // Records between `from` and the fetch were never applied: fetch them again rather than skip them.
      this.deps.logger.warn({ topic, partition, from, fetched: batch.fetchedOffset }, 'a fetch skipped unapplied records; seeking back');
      this.deps.seek(topic, partition, from);
      return;
    }
    const pending = batch.records.filter((record) => BigInt(record.offset) >= BigInt(from));
    const last = BigInt(batch.lastOffset) + 1n;
    if (last <= BigInt(from)) return;
    const to = last.toString();

    // Signatures are checked on the worker threads for a large batch, inline (when asked) otherwise.
    const signed = pending.length >= 16 && this.deps.pool.size > 0 ? await this.deps.pool.check(pending) : undefined;
    const touched = new Map<string, ItemDocument>();
    const feed: { source: string; event: string }[] = [];
    const deadLetters: DeadLetter[] = [];
    let duplicates = 0;
    pending.forEach((record, index) => {
      const verdict = this.verifyRecord(group, side, record, signed === undefined ? verifySignature : () => signed[index] === true, touched);
      if (verdict.kind === 'applied' || verdict.kind === 'repaired') feed.push({ source: feedSource(side, partition, record.offset), event: verdict.candidate.json });
      else if (verdict.kind === 'duplicate') duplicates += 1;
      else {
        const [reason, detail, stream] = verdict.kind === 'halted' ? [verdict.halt.reason, verdict.halt.detail, verdict.stream] : [verdict.reason, verdict.detail, verdict.stream ?? `${side}/?`];
        deadLetters.push({ failure: { reason, detail, stream, topic, partition, offset: record.offset }, record });
      }
    });
    for (const document of touched.values()) document.joint = joint(document.sides.gd, document.sides.hk);

    if (deadLetters.length > 0) await this.deps.publishDeadLetters?.(deadLetters);
    const result = await this.deps.store.apply({
      buildId: this.build.buildId,
      expect: SIDES.map((s) => ({ topicPartition: `${this.deps.shape.topics[s]}/${partition}`, offset: group.offsets[s] })),
      advance: [{ topicPartition: `${topic}/${partition}`, to }],
      items: [...touched.values()].map((document) => ({ itemId: document.itemId, document: JSON.stringify(document), view: JSON.stringify(viewOf(document)), index: indexEntryOf(document) })),
      feed,
    });
    if (!result.applied) {
      this.deps.logger.warn({ topic, partition, conflict: result.conflict }, 'the read model moved on under this projection; reloading the partition');
      await this.checkBuild();
      await this.load(group);
      return;
    }
    group.offsets[side] = to;
    for (const document of touched.values()) group.documents.set(document.itemId, document);
    for (const { failure } of deadLetters) this.deps.logger.warn({ failure }, failure.reason === 'fork' ? 'a correctly signed event forks its stream; the stream is halted' : 'record quarantined; sent to the DLQ');
    this.deps.observe?.({ applied: feed.length, duplicates, failures: deadLetters.map((letter) => letter.failure), seconds: (performance.now() - started) / 1000 });
    if (touched.size > 0) this.publish([...touched.values()]);
    if (this.build.state === 'building') await this.promote();
  }

  /**
   * One record through the verified log, against the partition's ledger; the item documents it
   * touches (applied, quarantined on, halted) are collected in `touched`, cloned before any change.
   */
  private verifyRecord(group: PartitionGroup, side: Side, record: LogRecord, signed: Parameters<StreamLedger['admit']>[1], touched: Map<string, ItemDocument>): Verdict {
    const documentOf = (itemId: string): ItemDocument => {
      const document = touched.get(itemId) ?? structuredClone(group.documents.get(itemId) ?? emptyItemDocument(itemId, group.partition));
      touched.set(itemId, document);
      return document;
    };
    const verdict = verifyRecord(record, this.deps.shape, group.ledger, {
      signed,
      accept: (event) => {
        const document = documentOf(event.itemId);
        document.sides[side] = evolveSide(document.sides[side], event);
        document.lastHash[side] = event.hash;
        return undefined;
      },
    });
    const where = { topic: record.topic, partition: record.partition, offset: record.offset };
    if (verdict.kind === 'halted') {
      haltOn(documentOf(verdict.itemId), side, { reason: verdict.halt.reason, detail: verdict.halt.detail, ...where, hash: verdict.halt.hash });
    } else if (verdict.kind === 'repaired') {
      repairOn(documentOf(verdict.event.itemId), side);
    } else if (verdict.kind === 'quarantined' && verdict.itemId !== null && this.deps.shape.partitionOf(verdict.itemId) === group.partition) {
      // Shown on its item when the item lives on this partition (the documents this projector owns).
      quarantineOn(documentOf(verdict.itemId), { reason: verdict.reason, detail: verdict.detail, ...where });
    }
    return verdict;
  }
}
