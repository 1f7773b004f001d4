import { evolveSide, joint, type Side } from '@gdhk/domain';
import type { LogRecord } from '@gdhk/eventlog';
import { copyItemDocument, emptyItemDocument, feedSource, haltOn, indexEntryOf, quarantineOn, repairOn, viewOf, type ItemDocument, type ReadModelStore, type SealedBatch } from '@gdhk/readmodel';
import { verifySignature, type Candidate, type LogShape, type OwnRecords, type Reason, type Verdict } from '@gdhk/verified-log';
import type { Logger } from 'pino';
import { SIDES, type PartitionGroup } from './partitions.ts';
import { checkedText } from './record-check.ts';
import type { VerifyPool } from './verify-pool.ts';

/** A record that did not apply, as the DLQ keeps it. */
interface RecordFailure {
  readonly reason: Reason;
  readonly detail: string;
  /** `gd/2019-03`, or `gd/?` when the record names no stream */
  readonly stream: string;
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
}

interface DeadLetter {
  readonly failure: RecordFailure;
  readonly record: LogRecord;
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

export interface ApplyDeps {
  /** the one write: documents, views, index, feed and the offset, compare-and-set */
  readonly store: Pick<ReadModelStore, 'apply'>;
  /** the side topics, key ring, plan and partitioner the verified log checks records against */
  readonly shape: LogShape;
  readonly pool: VerifyPool;
  readonly logger: Logger;
  /** Ask the consumer to fetch a partition from this offset next. */
  readonly seek: (topic: string, partition: number, offset: string) => void;
  /** The partition's first offset still in the log (records before it were deleted). */
  readonly logStart?: (topic: string, partition: number) => Promise<string>;
  /** Records the projection had not applied were deleted from the front of the log: it goes on from the log's start. */
  readonly onTruncated?: (event: { topic: string; partition: number; from: string; start: string }) => void;
  /** Before the Redis write: dead letters are published at least once. */
  readonly publishDeadLetters?: (letters: readonly DeadLetter[]) => Promise<void>;
  readonly observe?: (batch: { applied: number; duplicates: number; failures: readonly RecordFailure[]; seconds: number }) => void;
}

/**
 * What applying a batch came to: nothing to write (a skipped fetch, records already applied),
 * a conflict (the read model moved on under this projection: reload the partition), or the
 * documents the write changed.
 */
export type ApplyOutcome = { readonly kind: 'nothing' } | { readonly kind: 'conflict' } | { readonly kind: 'written'; readonly touched: readonly ItemDocument[] };

/**
 * Verifies a batch of one side topic's partition against the group's ledger, folds what applies
 * into the item documents, publishes the dead letters, and writes it all to Redis in one atomic
 * apply that compare-and-sets the build id and both offsets of the partition number. The group
 * takes the new offset and documents only once Redis did.
 */
export async function applyBatch(deps: ApplyDeps, buildId: string, group: PartitionGroup, batch: IncomingBatch): Promise<ApplyOutcome> {
  const started = performance.now();
  const { topic, partition } = batch;
  const side = SIDES.find((candidate) => deps.shape.topics[candidate] === topic);
  if (!side) throw new Error(`not a side topic: ${topic}`);
  // Where this member reads on (past what it holds for seals); Redis holds where a restart reads again.
  const from = group.next[side];
  if (BigInt(batch.fetchedOffset) > BigInt(from)) {
    // Records between `from` and the fetch were never applied: fetch them again rather than skip
    // them — unless they are no longer in the log (deleted from its front), which no seek brings
    // back: then the projection goes on from the log's start and says so, and the streams that
    // lost events show it as version gaps on their items.
    const start = await deps.logStart?.(topic, partition).catch(() => undefined);
    if (start === undefined || BigInt(start) <= BigInt(from) || BigInt(batch.fetchedOffset) < BigInt(start)) {
      deps.logger.warn({ topic, partition, from, fetched: batch.fetchedOffset }, 'a fetch skipped unapplied records; seeking back');
      deps.seek(topic, partition, from);
      return { kind: 'nothing' };
    }
    deps.logger.error({ topic, partition, from, start }, `records ${from} to ${BigInt(start) - 1n} of ${topic}/${partition} were deleted before they were applied: applying from the log's start`);
    deps.onTruncated?.({ topic, partition, from, start });
    // What it held and knew of the partition's seals is of records that are gone.
    group.reader.reset(topic, partition);
  }
  const pending = batch.records.filter((record) => BigInt(record.offset) >= BigInt(from));
  const last = BigInt(batch.lastOffset) + 1n;
  if (last <= BigInt(from)) return { kind: 'nothing' };
  const next = last.toString();

  // A large batch is inspected on the worker threads (each record's text, signatures included);
  // a small one, or with no workers, inline by the reader.
  const checks = pending.length >= 16 && deps.pool.size > 0 ? await deps.pool.check(pending) : undefined;
  const touched = new Map<string, ItemDocument>();
  const feed: { source: string; event: string }[] = [];
  // What inclusion proofs need: the feed entry of each applied event (by offset), the seals, the version 1 ids.
  const feedAt = new Map<string, number>();
  const seals: SealedBatch[] = [];
  const versionOne: string[] = [];
  const deadLetters: DeadLetter[] = [];
  let duplicates = 0;
  pending.forEach((record, index) => {
    const check = checks?.[index];
    const verdicts = judgeRecord(deps.shape, group, side, record, check === undefined ? verifySignature : () => check.signed, checkedText(check), touched);
    for (const verdict of verdicts) {
      if (verdict.kind === 'applied' || verdict.kind === 'repaired') {
        feedAt.set(verdict.candidate.where.offset, feed.length);
        feed.push({ source: feedSource(side, partition, verdict.candidate.where.offset), event: verdict.candidate.json });
        if (verdict.candidate.commitPrev === null) versionOne.push(verdict.candidate.event.eventId);
      } else if (verdict.kind === 'duplicate') duplicates += 1;
      else if (verdict.kind === 'sealed') seals.push(sealedBatch(side, partition, verdict, feedAt));
      else if (verdict.kind === 'pending' || verdict.kind === 'checkpoint') continue;
      else {
        const [reason, detail, stream, at] = verdict.kind === 'halted' ? [verdict.halt.reason, verdict.halt.detail, verdict.stream, verdict.halt.where] : [verdict.reason, verdict.detail, verdict.stream ?? `${side}/?`, verdict.where];
        // A record held for its seal and quarantined later is sent as it was read (its exact text).
        const letter = at.offset === record.offset ? record : heldRecord(verdict, at);
        deadLetters.push({ failure: { reason, detail, stream, topic, partition, offset: at.offset }, record: letter });
      }
    }
  });
  // Records still held for their seals are read again after a restart: Redis keeps the first of them.
  const to = group.reader.firstPending(topic, partition) ?? next;
  for (const document of touched.values()) document.joint = joint(document.sides.gd, document.sides.hk);

  if (deadLetters.length > 0) await deps.publishDeadLetters?.(deadLetters);
  const result = await deps.store.apply({
    buildId,
    expect: SIDES.map((s) => ({ topicPartition: `${deps.shape.topics[s]}/${partition}`, offset: group.offsets[s] })),
    advance: [{ topicPartition: `${topic}/${partition}`, to, read: next }],
    items: [...touched.values()].map((document) => ({ itemId: document.itemId, document: JSON.stringify(document), view: JSON.stringify(viewOf(document)), index: indexEntryOf(document) })),
    feed,
    seals,
    versionOne,
  });
  if (!result.applied) {
    deps.logger.warn({ topic, partition, conflict: result.conflict }, 'the read model moved on under this projection; reloading the partition');
    return { kind: 'conflict' };
  }
  group.offsets[side] = to;
  group.next[side] = next;
  for (const document of touched.values()) group.documents.set(document.itemId, document);
  for (const { failure } of deadLetters) deps.logger.warn({ failure }, failure.reason === 'fork' ? 'a correctly signed event forks its stream; the stream is halted' : 'record quarantined; sent to the DLQ');
  deps.observe?.({ applied: feed.length, duplicates, failures: deadLetters.map((letter) => letter.failure), seconds: (performance.now() - started) / 1000 });
  return { kind: 'written', touched: [...touched.values()] };
}

/**
 * A seal that verified, for the inclusion proofs of its events: its JSON, and per covered event
 * (in log order: the tree's leaves) its hash and the batch's feed entry holding its JSON — the
 * covered events' verdicts come just before the seal, so an applied one is in this batch's feed;
 * one the stream rules refused is proven by its seal all the same, with its JSON kept beside it.
 */
function sealedBatch(side: Side, partition: number, verdict: Extract<Verdict, { kind: 'sealed' }>, feedAt: ReadonlyMap<string, number>): SealedBatch {
  return {
    ref: feedSource(side, partition, verdict.where.offset),
    seal: JSON.stringify(verdict.seal),
    events: verdict.covered.map((candidate) => {
      const at = feedAt.get(candidate.where.offset);
      return { eventId: candidate.event.eventId, hash: candidate.hash, json: candidate.json, ...(at === undefined ? {} : { feed: at }) };
    }),
  };
}

/** The record a held event was read from, rebuilt from its exact text (a verdict on an earlier record). */
function heldRecord(verdict: Verdict, at: { topic: string; partition: number; offset: string }): LogRecord {
  const text = verdict.kind === 'quarantined' ? verdict.text : 'candidate' in verdict ? verdict.candidate.json : undefined;
  const itemId = verdict.kind === 'quarantined' || verdict.kind === 'halted' ? verdict.itemId : 'candidate' in verdict ? verdict.candidate.itemId : null;
  return { ...at, key: itemId, value: text === undefined ? null : Buffer.from(text), timestamp: '' };
}

/**
 * One record through the verified log, against the partition's reader (`own`: what a worker
 * found of its text, see `checkRecords`); the item documents its
 * verdicts touch (applied, quarantined on, halted, repaired) are collected in `touched`, copied
 * before any change. A seal brings the verdicts of the records it decided, in log order.
 */
function judgeRecord(shape: LogShape, group: PartitionGroup, side: Side, record: LogRecord, signed: (candidate: Candidate) => boolean, own: OwnRecords | undefined, touched: Map<string, ItemDocument>): Verdict[] {
  const documentOf = (itemId: string): ItemDocument => {
    const document = touched.get(itemId) ?? copyItemDocument(group.documents.get(itemId) ?? emptyItemDocument(itemId, group.partition));
    touched.set(itemId, document);
    return document;
  };
  const verdicts = group.reader.read(record, {
    signed,
    own,
    accept: (event) => {
      const document = documentOf(event.itemId);
      document.sides[side] = evolveSide(document.sides[side], event);
      document.lastHash[side] = event.hash;
      return undefined;
    },
  });
  for (const verdict of verdicts) {
    if (verdict.kind === 'halted') {
      haltOn(documentOf(verdict.itemId), side, { reason: verdict.halt.reason, detail: verdict.halt.detail, ...verdict.halt.where, hash: verdict.halt.hash });
    } else if (verdict.kind === 'repaired') {
      repairOn(documentOf(verdict.event.itemId), side);
    } else if (verdict.kind === 'quarantined' && verdict.itemId !== null && shape.partitionOf(verdict.itemId) === group.partition) {
      // Shown on its item when the item lives on this partition (the documents this projector owns).
      quarantineOn(documentOf(verdict.itemId), { reason: verdict.reason, detail: verdict.detail, ...verdict.where });
    }
  }
  return verdicts;
}
