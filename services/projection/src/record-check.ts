import type { ItemEvent } from '@gdhk/domain';
import type { CommitSeal } from '@gdhk/integrity';
import { inspectRecord, verifySignature, type LogShape, type OwnRecords, type SideRecord } from '@gdhk/verified-log';
import { z } from 'zod';

/** What a verification worker starts with (its workerData) to inspect records as the main thread does. */
export const poolShape = z.object({ keySetFile: z.string(), topics: z.object({ gd: z.string(), hk: z.string() }), partitionCount: z.int().min(1), maxSkewMs: z.int().min(0) });
export type PoolShape = z.infer<typeof poolShape>;

/** A record as it crosses to a worker thread (structured clone turns a Buffer into a Uint8Array). */
export interface PostedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: string;
  readonly key: string | null;
  readonly value: Uint8Array | null;
  readonly timestamp: string;
}

/**
 * A batch as it crosses to a worker: the records without their values, and the values end to end
 * in one buffer (transferred, not copied); `ends[i]` is where record i's value ends, -1 for none.
 */
export interface CheckRequest {
  readonly id: number;
  readonly records: readonly Omit<PostedRecord, 'value'>[];
  readonly values: Uint8Array<ArrayBuffer>;
  readonly ends: Int32Array;
}

export function packRecords(id: number, records: readonly PostedRecord[]): CheckRequest {
  let total = 0;
  for (const record of records) total += record.value?.byteLength ?? 0;
  const values = new Uint8Array(total);
  const ends = new Int32Array(records.length);
  let at = 0;
  const heads = records.map(({ topic, partition, offset, key, value, timestamp }, index) => {
    if (value === null) ends[index] = -1;
    else {
      values.set(value, at);
      at += value.byteLength;
      ends[index] = at;
    }
    return { topic, partition, offset, key, timestamp };
  });
  return { id, records: heads, values, ends };
}

export function unpackRecords(request: CheckRequest): PostedRecord[] {
  let start = 0;
  return request.records.map((head, index) => {
    const end = request.ends[index] ?? -1;
    if (end < 0) return { ...head, value: null };
    const value = request.values.subarray(start, end);
    start = end;
    return { ...head, value };
  });
}

/**
 * What a worker found of one record, by the full inspection of the verified log:
 * - `signed`: a version 1 event whose Ed25519 signature verifies;
 * - `event`: a version 2 event that passed every check of its text (JSON, limits, envelope,
 *   hash, schema), as `parseEvent` gives it;
 * - `seal`: a seal that passed every check of its text (shape, hash, key, signature).
 * Nothing else: a record that failed is inspected again on the main thread, which names why.
 */
export interface RecordCheck {
  readonly signed: boolean;
  readonly event?: ItemEvent;
  readonly seal?: CommitSeal;
}

/**
 * The stateless, CPU-heavy half of verification, for worker threads: inspect each record as the
 * verified log does and check the Ed25519 signature of a version 1 event that could apply. The
 * main thread takes a version 2 event or a seal that passed as parsed here (`ownRecords`) and
 * still checks everything the log decides (side, key, item, partition, limits, time, key
 * validity) and the record's place in its stream and seal chain, so a worker can never make a
 * record apply that would not have applied inline.
 */
export function checkRecords(records: readonly PostedRecord[], shape: LogShape): RecordCheck[] {
  return records.map((record) => {
    const side: SideRecord = { ...record, value: record.value === null ? null : Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength) };
    const inspection = inspectRecord(side, shape);
    if (inspection.kind === 'seal') return { signed: false, seal: inspection.seal.seal };
    if (inspection.kind !== 'candidate') return { signed: false };
    const { candidate } = inspection;
    return candidate.commitPrev === null ? { signed: verifySignature(candidate) } : { signed: false, event: candidate.event };
  });
}

/**
 * A worker's findings on one record as the verified log's `OwnRecords`: the record's text was
 * inspected in full by the worker, so what the text alone decides is not decided again. Only for
 * the record the check was made on (the reader asks about that record's text and no other).
 */
export function checkedText(check: RecordCheck | undefined): OwnRecords | undefined {
  if (check?.event === undefined && check?.seal === undefined) return undefined;
  return { event: () => check.event, seal: () => check.seal };
}
