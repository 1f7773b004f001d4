// A dead letter as the DLQ keeps it: a contract format (docs/contract.md, "Quarantined").
import { createHash } from 'node:crypto';
import type { ApplyDeps } from './apply.ts';

/** A record that did not apply, with why (the dead letters apply.ts hands to `publishDeadLetters`). */
type DeadLetter = Parameters<NonNullable<ApplyDeps['publishDeadLetters']>>[0][number];

/** A dead letter keeps at most this much of the record's value (the whole record stays in its side topic). */
const DLQ_VALUE_BYTES = 16 * 1024;
const DLQ_KEY_CHARS = 1024;

/** The record's value as the DLQ keeps it: whole when small, else its first bytes, its size and its SHA-256. */
export function deadLetterValue(value: Buffer | null): { value: string | null; valueBytes: number; valueSha256: string | null; valueTruncated: boolean } {
  if (value === null) return { value: null, valueBytes: 0, valueSha256: null, valueTruncated: false };
  const truncated = value.length > DLQ_VALUE_BYTES;
  return { value: value.subarray(0, DLQ_VALUE_BYTES).toString(), valueBytes: value.length, valueSha256: createHash('sha256').update(value).digest('hex'), valueTruncated: truncated };
}

/** The DLQ record of a dead letter: keyed by the record's key (bounded), else by where the record is. */
export function deadLetterRecord({ failure, record }: DeadLetter): { key: string; value: string } {
  return {
    key: record.key?.slice(0, DLQ_KEY_CHARS) ?? `${failure.topic}/${failure.partition}@${failure.offset}`,
    value: JSON.stringify({ reason: failure.reason, detail: failure.detail, stream: failure.stream, topic: failure.topic, partition: failure.partition, offset: failure.offset, key: record.key?.slice(0, DLQ_KEY_CHARS) ?? null, ...deadLetterValue(record.value) }),
  };
}
