import { jointView, type Side, type SideItemState } from '@gdhk/domain';
import type { PartitionRange } from '@gdhk/eventlog';
import { jointItemsOf, viewDigest } from './report.ts';
import type { AuditFailure } from './stream-auditor.ts';

/** What the auditor already holds from an earlier replay (or joint-api's GET /v1/digest). */
export interface Checkpoint {
  /** next offsets per `topic/partition`: the log must reach at least these */
  offsets?: Record<string, string> | undefined;
  /** the digest of the joint view at `offsets` (or of this replay's view when no offsets are given) */
  digest?: string | undefined;
  /**
   * topic → Kafka topic id of the log `offsets` and `digest` describe (an audit report's `log`);
   * absent from checkpoints written before reports recorded it, and from joint-api's digest
   */
  log?: Record<string, string> | undefined;
}

/** How the checkpoint's log relates to the log the replay read. */
export interface CheckpointCheck {
  /**
   * `same`: the checkpoint names this log and was compared with it; `other`: it describes another
   * log (other topic ids) and was not compared; `not_recorded`: it names no log, and was compared
   * with this one as given
   */
  log: 'same' | 'other' | 'not_recorded';
  note: string;
}

/** The checkpoint as the replay may use it: compared only when it describes the log being read. */
export interface HeldCheckpoint {
  /** what the replay compares its offsets and digest with; undefined when there is nothing to compare */
  compared: Checkpoint | undefined;
  check: CheckpointCheck | null;
  /** one `other_log` per side topic whose id is not the checkpoint's */
  failures: AuditFailure[];
}

const idsOf = (topics: readonly string[], ids: Readonly<Record<string, string>>): string => topics.map((topic) => `${topic} ${ids[topic] ?? 'none'}`).join(', ');

/**
 * Holds the checkpoint against the log being read (`topicIds`: topic → Kafka topic id of the side
 * topics now). A checkpoint of another log — a topic deleted and created again has a new id — is
 * a failure per topic and is never compared: its offsets and digest describe a different log, so
 * a match would mean nothing and a mismatch would blame this log for the other's history.
 */
export function holdCheckpoint(checkpoint: Checkpoint | undefined, topicIds: Readonly<Record<string, string>>, topics: readonly string[]): HeldCheckpoint {
  if (checkpoint === undefined) return { compared: undefined, check: null, failures: [] };
  const recorded = checkpoint.log;
  if (recorded === undefined || Object.keys(recorded).length === 0) {
    return {
      compared: checkpoint,
      check: {
        log: 'not_recorded',
        note: `the checkpoint does not record which log it describes (no topic ids: written before audit reports recorded them, or joint-api's GET /v1/digest); its offsets and digest were compared with this log (${idsOf(topics, topicIds)}) as given`,
      },
      failures: [],
    };
  }
  const failures = topics
    .filter((topic) => topicIds[topic] === undefined || recorded[topic] !== topicIds[topic])
    .map(
      (topic): AuditFailure => ({
        topic,
        partition: null,
        offset: null,
        stream: null,
        reason: 'other_log',
        detail: `${topic} is another log than the checkpoint's: topic id ${topicIds[topic] ?? 'none (the cluster reports no topic id)'} now, the checkpoint recorded ${recorded[topic] ?? 'none for this topic'}; the checkpoint's offsets and digest describe that log and were not compared`,
      }),
    );
  if (failures.length > 0) {
    return { compared: undefined, check: { log: 'other', note: `the checkpoint describes another log (${idsOf(topics, recorded)}) than this replay read (${idsOf(topics, topicIds)}): its offsets and digest were not compared` }, failures };
  }
  return { compared: checkpoint, check: { log: 'same', note: `the checkpoint describes this log (${idsOf(topics, topicIds)})` }, failures: [] };
}

/** The log ends before the checkpoint's offsets: records it had are missing. */
export function truncatedBelowCheckpoint(ranges: readonly PartitionRange[], checkpoint: Checkpoint | undefined): AuditFailure[] {
  const failures: AuditFailure[] = [];
  for (const [key, expected] of Object.entries(checkpoint?.offsets ?? {})) {
    const range = ranges.find((candidate) => `${candidate.topic}/${candidate.partition}` === key);
    const end = range?.end ?? 0n;
    if (BigInt(expected) > end) {
      const [topic = key, partition = '0'] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
      failures.push({ topic, partition: Number(partition), offset: end.toString(), stream: null, reason: 'truncated', detail: `the checkpoint expects ${key} to reach offset ${expected}, but ${range === undefined ? 'the partition does not exist' : `the log ends at ${end}`}: records from ${end} on are missing` });
    }
  }
  return failures;
}

/** The joint view at the checkpoint's offsets (or of the whole replay) hashes to another digest than the checkpoint's. */
export function digestMismatch(
  checkpoint: Checkpoint | undefined,
  streams: readonly { side: Side; itemId: string; state: SideItemState; atCheckpoint: SideItemState | null }[],
  topics: Record<Side, string>,
): AuditFailure | undefined {
  const expected = checkpoint?.digest;
  if (expected === undefined) return undefined;
  const atCheckpoint = checkpoint?.offsets !== undefined;
  const actual = viewDigest(jointView(jointItemsOf(atCheckpoint ? streams.map((stream) => ({ ...stream, state: stream.atCheckpoint ?? stream.state })) : streams)));
  if (actual === expected) return undefined;
  return {
    topic: `${topics.gd}+${topics.hk}`,
    partition: null,
    offset: null,
    stream: null,
    reason: 'checkpoint_mismatch',
    detail: `the joint view ${atCheckpoint ? 'at the checkpoint offsets' : 'of this replay'} hashes to ${actual}, not to the checkpoint's ${expected}: events before the checkpoint were changed, removed or re-sealed`,
  };
}
