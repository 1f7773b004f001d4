import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { auditEnvironment, parseConfig } from '@gdhk/config';
import { isInstant, ItemId } from '@gdhk/domain';
import { z } from 'zod';
import { REPORT_FORMATS, type ReportFormat } from './render.ts';
import type { Checkpoint } from './checkpoint.ts';

export const USAGE = `usage: npm run audit -- replay [--until ISO] [--item ID] [--format json|md|csv] [--out FILE]
                            [--keys FILE] [--brokers host:port,...] [--prefix PREFIX]
                            [--checkpoint FILE] [--expect-offsets JSON] [--expect-digest HEX] [--workers N]

Reads both side topics from offset 0 with no consumer group, verifies every event and rebuilds the
joint view as of --until (default: the end of the log). Writes only the report (stdout or --out).

  --until ISO           view as of this instant (ISO-8601 with offset, e.g. 2025-06-30T16:00:00Z)
  --item ID             list decisions and the view of one item only (the digest stays the whole view's)
  --format F            json (default, for machines), md (for people) or csv (for spreadsheets)
  --out FILE            write the report to FILE instead of stdout
  --keys FILE           public key set of both sides (default $GDHK_KEYS_DIR/keyset.json, GDHK_KEYS_DIR=.keys)
  --brokers LIST        Kafka bootstrap servers (default $KAFKA_BROKERS, else 127.0.0.1:9092)
  --prefix PREFIX       topic prefix (default $GDHK_TOPIC_PREFIX, else gdhk)
  --checkpoint FILE     a JSON file with { digest, offsets, log }: an earlier JSON report (its log names the
                        topic ids it read; a replay of another log fails with other_log, comparing nothing)
                        or joint-api's GET /v1/digest (no log: compared as given)
  --expect-offsets JSON the log must reach these next offsets, e.g. '{"gdhk.gd.events/0":"42"}'
  --expect-digest HEX   the joint view at those offsets (or of this replay) must hash to this
  --workers N           verification threads (default: one per core)

       npm run audit -- prove --event ID [--out FILE] [--keys FILE] [--brokers host:port,...] [--prefix PREFIX]
       npm run audit -- verify-proof FILE [--keys FILE]

prove reads both side topics as replay does and writes the inclusion proof of one event (schema
version 2, under a seal that verifies): the event, its Merkle path, the signed seal and the key
that signed it — self-contained, for verify-proof or any verifier written from docs/contract.md.

Checks an inclusion proof offline, against the key set and nothing else: the event's hash, its
Merkle path to the seal's root, the seal's hash, key and signature (docs/contract.md). Prints one
JSON line: { verified: true, eventId, seal, … } or { verified: false, reason, detail }.

Exit status: 0 everything verified (prove: the proof was written); 1 something failed to verify
(the report says what; prove: no proof — the event is not in the log, of version 1, or quarantined);
2 bad arguments, environment or key file; 3 the log could not be read (broker unreachable, unknown topic);
4 the replay itself failed (a bug, or the machine ran out of something).`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const offsetsSchema = z
  .record(z.string(), z.union([z.string().regex(/^\d+$/, 'an offset is a whole number'), z.int().min(0)]).transform(String))
  .superRefine((offsets, ctx) => {
    for (const key of Object.keys(offsets)) {
      if (!/^.+\/\d+$/.test(key)) ctx.addIssue({ code: 'custom', path: [key], message: 'keys look like "topic/partition"' });
    }
  });
// `log`: topic → Kafka topic id, which log the offsets and digest describe (absent in older checkpoints).
const checkpointFile = z.object({ digest: z.string().regex(/^[0-9a-f]{64}$/).optional(), offsets: offsetsSchema.optional(), log: z.record(z.string().min(1), z.string().min(1)).optional() });

export interface ReplayCommand {
  brokers: string[];
  topicPrefix: string;
  keySetFile: string;
  until: string | undefined;
  item: string | undefined;
  format: ReportFormat;
  out: string | undefined;
  checkpoint: Checkpoint | undefined;
  workers: number | undefined;
  /** GDHK_MAX_CLOCK_SKEW_MS: how far occurredAt may lie from a record's broker timestamp */
  maxSkewMs: number;
}

function parseJson(text: string, what: string): unknown {
  try {
    const value: unknown = JSON.parse(text);
    return value;
  } catch {
    throw new UsageError(`${what} is not valid JSON`);
  }
}

function issues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`).join('; ');
}

/** `argv` after the command name; `env` the process environment. */
export function parseReplayCommand(argv: readonly string[], env: Record<string, string | undefined>): ReplayCommand {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      allowPositionals: false,
      options: {
        until: { type: 'string' },
        item: { type: 'string' },
        format: { type: 'string', default: 'json' },
        out: { type: 'string' },
        keys: { type: 'string' },
        brokers: { type: 'string' },
        prefix: { type: 'string' },
        checkpoint: { type: 'string' },
        'expect-offsets': { type: 'string' },
        'expect-digest': { type: 'string' },
        workers: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let config: z.infer<typeof auditEnvironment>;
  try {
    config = parseConfig(auditEnvironment, { ...env, ...(values.brokers ? { KAFKA_BROKERS: values.brokers } : {}), ...(values.prefix ? { GDHK_TOPIC_PREFIX: values.prefix } : {}) });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const format = REPORT_FORMATS.find((candidate) => candidate === values.format);
  if (format === undefined) throw new UsageError(`--format must be one of ${REPORT_FORMATS.join(', ')}, got '${values.format}'`);
  if (values.until !== undefined && !isInstant(values.until)) throw new UsageError(`--until must be an ISO-8601 instant with seconds and an offset, e.g. 2025-06-30T16:00:00Z; got '${values.until}'`);
  if (values.item !== undefined && !ItemId.safeParse(values.item).success) throw new UsageError(`--item must be an item id like 2019-03, got '${values.item}'`);
  let workers: number | undefined;
  if (values.workers !== undefined) {
    workers = Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 64) throw new UsageError(`--workers must be a whole number from 1 to 64, got '${values.workers}'`);
  }

  let checkpoint: Checkpoint | undefined;
  if (values.checkpoint !== undefined) {
    let text: string;
    try {
      text = readFileSync(values.checkpoint, 'utf8');
    } catch (error) {
      throw new UsageError(`--checkpoint ${values.checkpoint}: ${(error as Error).message}`);
    }
    const parsed = checkpointFile.safeParse(parseJson(text, `--checkpoint ${values.checkpoint}`));
    if (!parsed.success) throw new UsageError(`--checkpoint ${values.checkpoint}: ${issues(parsed.error)}`);
    checkpoint = { digest: parsed.data.digest, offsets: parsed.data.offsets, log: parsed.data.log };
  }
  if (values['expect-offsets'] !== undefined) {
    const parsed = offsetsSchema.safeParse(parseJson(values['expect-offsets'], '--expect-offsets'));
    if (!parsed.success) throw new UsageError(`--expect-offsets: ${issues(parsed.error)}`);
    checkpoint = { ...checkpoint, offsets: parsed.data };
  }
  if (values['expect-digest'] !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(values['expect-digest'])) throw new UsageError('--expect-digest must be 64 lowercase hex digits');
    checkpoint = { ...checkpoint, digest: values['expect-digest'] };
  }

  return {
    brokers: config.KAFKA_BROKERS,
    topicPrefix: config.GDHK_TOPIC_PREFIX,
    keySetFile: values.keys ?? join(config.GDHK_KEYS_DIR, 'keyset.json'),
    until: values.until,
    item: values.item,
    format,
    out: values.out,
    checkpoint,
    workers,
    maxSkewMs: config.GDHK_MAX_CLOCK_SKEW_MS,
  };
}

export interface VerifyProofCommand {
  readonly proofFile: string;
  readonly keySetFile: string;
}

/** `audit verify-proof FILE [--keys FILE]`: needs no broker, only the proof and the key set. */
export function parseVerifyProofCommand(argv: readonly string[], env: Record<string, string | undefined>): VerifyProofCommand {
  let parsed: { values: { keys?: string | undefined }; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: { keys: { type: 'string' } } });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const [proofFile, ...extra] = parsed.positionals;
  if (proofFile === undefined) throw new UsageError('verify-proof needs the proof file: npm run audit -- verify-proof FILE [--keys FILE]');
  if (extra.length > 0) throw new UsageError(`verify-proof checks one proof file, got also ${extra.join(' ')}`);
  return { proofFile, keySetFile: parsed.values.keys ?? join(env.GDHK_KEYS_DIR ?? '.keys', 'keyset.json') };
}

export interface ProveCommand {
  readonly brokers: string[];
  readonly topicPrefix: string;
  readonly keySetFile: string;
  readonly eventId: string;
  readonly out: string | undefined;
  readonly maxSkewMs: number;
}

/** `audit prove --event ID [--out FILE] [--keys FILE] [--brokers LIST] [--prefix PREFIX]`. */
export function parseProveCommand(argv: readonly string[], env: Record<string, string | undefined>): ProveCommand {
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({ args: [...argv], allowPositionals: false, options: { event: { type: 'string' }, out: { type: 'string' }, keys: { type: 'string' }, brokers: { type: 'string' }, prefix: { type: 'string' } } }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (values.event === undefined || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(values.event)) {
    throw new UsageError(`prove needs --event with an event id (a UUID, lowercase), got '${values.event ?? ''}'`);
  }
  let config: z.infer<typeof auditEnvironment>;
  try {
    config = parseConfig(auditEnvironment, { ...env, ...(values.brokers ? { KAFKA_BROKERS: values.brokers } : {}), ...(values.prefix ? { GDHK_TOPIC_PREFIX: values.prefix } : {}) });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return { brokers: config.KAFKA_BROKERS, topicPrefix: config.GDHK_TOPIC_PREFIX, keySetFile: values.keys ?? join(config.GDHK_KEYS_DIR, 'keyset.json'), eventId: values.event, out: values.out, maxSkewMs: config.GDHK_MAX_CLOCK_SKEW_MS };
}
