import type { Side } from '@gdhk/domain';
import type { ShardResult, StreamAuditorOptions } from './stream-auditor.ts';
import type { RecordChunk } from './log-reader.ts';

// The messages between the replay and its verification workers. A chunk travels as three
// transferred buffers rather than an array of objects, so handing it over costs no copy.

export interface ShardInit extends StreamAuditorOptions {
  /** the key set file's JSON, parsed again in the worker (KeyObjects cannot be posted) */
  keySet: unknown;
  sides: Record<string, Side>;
}

export interface PackedChunk {
  kind: 'chunk';
  seq: number;
  topic: string;
  partition: number;
  offsets: BigInt64Array;
  /** start and end of each value in `data`; start -1 for a null value */
  bounds: Int32Array;
  data: Uint8Array;
  next: string;
}

export type ToShard = PackedChunk | { kind: 'finish' };

export type FromShard = { kind: 'ack'; seq: number; events: number } | { kind: 'result'; result: ShardResult };

export function packChunk(chunk: RecordChunk, seq: number): { message: PackedChunk; transfer: ArrayBuffer[] } {
  const count = chunk.offsets.length;
  let size = 0;
  for (const value of chunk.values) size += value?.length ?? 0;
  const data = new Uint8Array(size);
  const bounds = new Int32Array(count * 2);
  const offsets = new BigInt64Array(count);
  let at = 0;
  for (let index = 0; index < count; index++) {
    offsets[index] = chunk.offsets[index] ?? 0n;
    const value = chunk.values[index];
    if (value === null || value === undefined) {
      bounds[index * 2] = -1;
      bounds[index * 2 + 1] = -1;
      continue;
    }
    data.set(value, at);
    bounds[index * 2] = at;
    at += value.length;
    bounds[index * 2 + 1] = at;
  }
  const message: PackedChunk = { kind: 'chunk', seq, topic: chunk.topic, partition: chunk.partition, offsets, bounds, data, next: chunk.next.toString() };
  return { message, transfer: [data.buffer as ArrayBuffer, bounds.buffer as ArrayBuffer, offsets.buffer as ArrayBuffer] };
}

/** The record values of a packed chunk as JSON; a value that is not JSON stays text, for the verifier to reject. */
export function* unpackChunk(chunk: PackedChunk): Generator<{ offset: string; value: unknown }> {
  const text = Buffer.from(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
  for (let index = 0; index < chunk.offsets.length; index++) {
    const start = chunk.bounds[index * 2] ?? -1;
    const end = chunk.bounds[index * 2 + 1] ?? -1;
    const offset = (chunk.offsets[index] ?? 0n).toString();
    if (start < 0) {
      yield { offset, value: null };
      continue;
    }
    const json = text.toString('utf8', start, end);
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch {
      value = json;
    }
    yield { offset, value };
  }
}
