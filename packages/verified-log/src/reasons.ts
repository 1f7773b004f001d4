/**
 * The one vocabulary for what happened to a record: the DLQ, the metrics, the joint view and the
 * audit report all use these words.
 *
 * Quarantined records change nothing and halt nothing; a halted stream takes no more events
 * until an operator repairs it (docs/contract.md, "Hostile records").
 */
export const QUARANTINE_REASONS = [
  /** not UTF-8 JSON, or no value at all */
  'not_json',
  /** over a limit of docs/contract.md (record bytes, nesting depth, string or array length, keys) */
  'over_limit',
  /** not an event envelope: a field missing or of the wrong type */
  'malformed',
  /** a GD event on the HK topic or the other way round */
  'side_mismatch',
  /** the record key is not the event's itemId */
  'key_mismatch',
  /** the item's events belong on another partition */
  'wrong_partition',
  /** no such item in the plan */
  'unknown_item',
  /** the signing key is not in the key ring */
  'unknown_key',
  /** the signing key is the other side's */
  'foreign_key',
  /** the signing key was not valid when the event says it occurred */
  'key_not_valid',
  /** the event's content does not hash to its `hash` */
  'bad_hash',
  /** the signature does not verify */
  'bad_signature',
  /** `occurredAt` is further from the broker's append time than the allowed skew */
  'clock_skew',
  /** `occurredAt` is before the stream's previous event */
  'time_regression',
  /** the version is past the stream's next one */
  'version_gap',
  /** the version is behind the stream's head (a replay of an older event, or a copy) */
  'stale_version',
  /** a verified envelope whose type or data no schema version accepts */
  'schema',
  /** a verified event the stream's state cannot take (the domain refuses the transition) */
  'rejected',
  /** an event of a halted stream: kept out until the stream is repaired */
  'stream_halted',
  /**
   * a seal record that does not verify: malformed, misplaced, its key or signature, its link in
   * the partition's seal chain, or its batch (count, root); the detail names the check
   */
  'bad_seal',
  /**
   * a schema version 2 event that no seal covers: not on the walk of the partition's next good
   * seal, held past the pending cap, or still held where the log ends
   */
  'unsealed',
  /**
   * a cosigned checkpoint that does not verify: malformed, misplaced (record key, partition, side),
   * its time, key or signature, or its link in its side's checkpoint chain; the detail names the check
   */
  'bad_checkpoint',
] as const;
export type QuarantineReason = (typeof QUARANTINE_REASONS)[number];

/** Only the side itself can halt its stream: a correctly signed event that forks its own chain. */
export const HALT_REASONS = ['fork'] as const;
export type HaltReason = (typeof HALT_REASONS)[number];

export type Reason = QuarantineReason | HaltReason;
export const REASONS: readonly Reason[] = [...QUARANTINE_REASONS, ...HALT_REASONS];

export function isReason(value: unknown): value is Reason {
  return (REASONS as readonly unknown[]).includes(value);
}
