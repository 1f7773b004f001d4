import { inspectRecord, verifySignature, type LogShape, type SideRecord } from '@gdhk/verified-log';
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

export interface CheckRequest {
  readonly id: number;
  readonly records: readonly PostedRecord[];
}

/**
 * The stateless, CPU-heavy half of verification, for worker threads: inspect each record as the
 * verified log does and check the Ed25519 signature of those that could apply. `true` means "its
 * signature verifies"; the main thread's own inspection and the stream ledger decide the rest, so
 * a worker can never make a record apply that would not have applied inline.
 */
export function checkSignatures(records: readonly PostedRecord[], shape: LogShape): boolean[] {
  return records.map((record) => {
    const side: SideRecord = { ...record, value: record.value === null ? null : Buffer.from(record.value.buffer, record.value.byteOffset, record.value.byteLength) };
    const inspection = inspectRecord(side, shape);
    return inspection.kind === 'candidate' && verifySignature(inspection.candidate);
  });
}
