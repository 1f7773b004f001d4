import type { Side } from '@gdhk/domain';
import type { ShardResult, StreamAuditorOptions } from './stream-auditor.ts';
import type { SideRecord } from '@gdhk/verified-log';
import type { RecordChunk } from '@gdhk/eventlog';

// The messages between the replay and its verification workers. A chunk travels as three
// transferred buffers rather than an array of objects, so handing it over costs no copy.

export interface ShardInit extends StreamAuditorOptions {
  /** the key set file's JSON, parsed again in the worker (KeyObjects cannot be posted) */
  keySet: unknown;
  sides: Record<string, Side>;
  /** partitions of each side topic: where the producers' partitioner puts an item */
  partitionCount: number;
  maxSkewMs?: number | undefined;
}

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
