import { evolveSide, joint, parseEvent, type Side } from '@gdhk/domain';
import type { LogRecord } from '@gdhk/eventlog';
import { streamId, type KeyRing, StreamVerifier, type VerificationFailure } from '@gdhk/integrity';
import { emptyItemDocument, type FeedEntry, type ItemDocument, type ReadModelStore } from '@gdhk/readmodel';
import type { Logger } from 'pino';

export interface ProjectorDeps {
  readonly store: ReadModelStore;
  readonly ring: KeyRing;
  readonly sideOfTopic: (topic: string) => Side | undefined;
  readonly logger: Logger;
  /** Called after a batch is durably in Redis: publish joint changes and dead letters. */
  readonly afterApply?: (changes: { items: ItemDocument[]; failures: DeadLetter[] }) => Promise<void>;
}

export interface DeadLetter {
  readonly failure: VerificationFailure;
  readonly record: LogRecord;
}

/**
 * Verifies and applies batches of side-topic records to the Redis read model. The item
 * documents, the feed entries and the partition's new offset go to Redis in one atomic,
 * offset-checked write, so a redelivered batch is skipped and a stale owner changes nothing.
 */
export class Projector {
  private offsets = new Map<string, string>();
  private readonly documents = new Map<string, ItemDocument>();
  private verifier: StreamVerifier;
  applied = 0;
  rejected = 0;

  constructor(private readonly deps: ProjectorDeps) {
    this.verifier = new StreamVerifier(deps.ring);
  }

  /** Loads offsets and item documents from Redis: where this projection resumes. */
  async load(): Promise<void> {
    this.offsets = await this.deps.store.offsets();
    this.documents.clear();
    this.verifier = new StreamVerifier(this.deps.ring);
    for (const [itemId, json] of await this.deps.store.allItems()) {
      const document = JSON.parse(json) as ItemDocument;
      this.documents.set(itemId, document);
      for (const side of ['gd', 'hk'] as const) {
        const version = document.sides[side].streamVersion;
        if (version > 0) this.verifier.seed(streamId(side, itemId), { version, hash: document.lastHash[side] });
      }
    }
  }

  offsetOf(topic: string, partition: number): string {
    return this.offsets.get(`${topic}/${partition}`) ?? '0';
  }

  async applyBatch(topic: string, partition: number, records: readonly LogRecord[]): Promise<void> {
    const side = this.deps.sideOfTopic(topic);
    if (!side) throw new Error(`not a side topic: ${topic}`);
    const topicPartition = `${topic}/${partition}`;
    const from = this.offsets.get(topicPartition) ?? '0';
    const pending = records.filter((record) => BigInt(record.offset) >= BigInt(from));
    const last = pending.at(-1);
    if (!last) return;

    const touched = new Map<string, ItemDocument>();
    const feed: string[] = [];
    const failures: DeadLetter[] = [];
    for (const record of pending) {
      let value: unknown;
      try {
        value = JSON.parse(record.value?.toString() ?? '');
      } catch {
        value = record.value?.toString() ?? null;
      }
      const verdict = this.verifier.verify({ topic, partition, offset: record.offset, expectedSide: side, value });
      const itemId = typeof record.key === 'string' ? record.key : undefined;
      if (!verdict.ok) {
        failures.push({ failure: verdict.failure, record });
        if (itemId) {
          const document = structuredClone(touched.get(itemId) ?? this.documents.get(itemId) ?? emptyItemDocument(itemId));
          if (document.integrity === 'ok') document.integrity = `${verdict.failure.stream} ${verdict.failure.reason} at ${topic}/${partition}@${record.offset}: ${verdict.failure.detail}`;
          touched.set(itemId, document);
        }
        continue;
      }
      const event = parseEvent(value);
      const document = touched.get(event.itemId) ?? structuredClone(this.documents.get(event.itemId) ?? emptyItemDocument(event.itemId));
      document.sides[side] = evolveSide(document.sides[side], event);
      document.lastHash[side] = event.hash;
      document.joint = joint(document.sides.gd, document.sides.hk);
      touched.set(event.itemId, document);
      const entry: FeedEntry = { source: `${topic}/${partition}@${record.offset}`, event };
      feed.push(JSON.stringify(entry));
    }
    const to = (BigInt(last.offset) + 1n).toString();
    const result = await this.deps.store.apply({
      advances: [{ topicPartition, from, to }],
      items: [...touched.values()].map((document) => ({ itemId: document.itemId, document: JSON.stringify(document) })),
      feed,
    });
    if (!result.applied) {
      // Someone else moved this partition on (a rebalance we lost, or a rebuild): start over from Redis.
      this.deps.logger.warn({ topicPartition, conflict: result.conflict }, 'read model moved on under this projection; reloading');
      await this.load();
      return this.applyBatch(topic, partition, records);
    }
    this.offsets.set(topicPartition, to);
    for (const document of touched.values()) this.documents.set(document.itemId, document);
    this.applied += feed.length;
    this.rejected += failures.length;
    for (const { failure } of failures) this.deps.logger.error({ failure }, 'event failed verification; sent to the DLQ');
    await this.deps.afterApply?.({ items: [...touched.values()], failures });
  }
}
