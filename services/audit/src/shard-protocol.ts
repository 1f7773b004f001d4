import { isInstant, SIDES } from '@gdhk/domain';
import type { RecordChunk } from '@gdhk/eventlog';
import type { SideRecord } from '@gdhk/verified-log';
import { z } from 'zod';
import type { ShardResult } from './stream-auditor.ts';

// The messages between the replay and its verification workers. A chunk travels as three
// transferred buffers rather than an array of objects, so handing it over costs no copy.

/** A key set entry as `@gdhk/integrity` writes it: `validFrom` inclusive, `validUntil` exclusive, each optional. */
const publicKeyEntry = z.object({
  keyId: z.string(),
  side: z.enum(SIDES),
  alg: z.literal('Ed25519'),
  publicKey: z.string(),
  validFrom: z.string().optional(),
  validUntil: z.string().optional(),
});

/** What a worker starts with (its workerData): checked on arrival like any input. */
export const shardInit = z.object({
  /** the key set, posted as JSON (KeyObjects cannot be posted) and made a ring again in the worker */
  keySet: z.object({ keys: z.array(publicKeyEntry) }),
  /** side topic → side */
  sides: z.record(z.string(), z.enum(SIDES)),
  /** partitions of each side topic: where the producers' partitioner puts an item */
  partitionCount: z.int().min(1),
  maxSkewMs: z.int().min(0).optional(),
  /** include an event iff its occurredAt ≤ until */
  until: z.string().refine(isInstant, 'an ISO-8601 instant').optional(),
  /** next offsets per `topic/partition` of the auditor's checkpoint */
  checkpoint: z.record(z.string(), z.string().regex(/^\d+$/)).optional(),
});
export type ShardInit = z.infer<typeof shardInit>;

export interface PackedChunk {
  kind: 'chunk';
  seq: number;
  topic: string;
  partition: number;
  offsets: BigInt64Array;
  timestamps: BigInt64Array;
  /** start and end of each value in `data`, then of each key; start -1 for null */
  bounds: Int32Array;
  data: Uint8Array;
  next: string;
}

export type ToShard = PackedChunk | { kind: 'finish' };

export type FromShard = { kind: 'ack'; seq: number; events: number } | { kind: 'result'; result: ShardResult };

export function packChunk(chunk: RecordChunk, seq: number): { message: PackedChunk; transfer: ArrayBuffer[] } {
  const count = chunk.offsets.length;
  const parts = [...chunk.values, ...chunk.keys];
  let size = 0;
  for (const part of parts) size += part?.length ?? 0;
  const data = new Uint8Array(size);
  const bounds = new Int32Array(parts.length * 2);
  const offsets = new BigInt64Array(count);
  const timestamps = new BigInt64Array(count);
  for (let index = 0; index < count; index++) {
    offsets[index] = chunk.offsets[index] ?? 0n;
    timestamps[index] = chunk.timestamps[index] ?? -1n;
  }
  let at = 0;
  parts.forEach((part, index) => {
    if (part === null || part === undefined) {
      bounds[index * 2] = -1;
      bounds[index * 2 + 1] = -1;
      return;
    }
    data.set(part, at);
    bounds[index * 2] = at;
    at += part.length;
    bounds[index * 2 + 1] = at;
  });
  const message: PackedChunk = { kind: 'chunk', seq, topic: chunk.topic, partition: chunk.partition, offsets, timestamps, bounds, data, next: chunk.next.toString() };
  return { message, transfer: [data.buffer as ArrayBuffer, bounds.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer, timestamps.buffer as ArrayBuffer] };
}

/** The records of a packed chunk as the side topic holds them: bytes, for the verified log to judge. */
export function* unpackChunk(chunk: PackedChunk): Generator<SideRecord> {
  const bytes = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
  const count = chunk.offsets.length;
  const part = (index: number): Buffer | null => {
    const start = chunk.bounds[index * 2] ?? -1;
    const end = chunk.bounds[index * 2 + 1] ?? -1;
    return start < 0 ? null : bytes.subarray(start, end);
  };
  for (let index = 0; index < count; index++) {
    yield {
      topic: chunk.topic,
      partition: chunk.partition,
      offset: (chunk.offsets[index] ?? 0n).toString(),
      key: part(count + index),
      value: part(index),
      timestamp: (chunk.timestamps[index] ?? -1n).toString(),
    };
  }
}
