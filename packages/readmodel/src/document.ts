import { DECISION_KINDS, DECISION_STATES, initialSideState, joint, JOINT_STATUSES, jointView, ROLES, SIDES, STATUSES, type JointItem, type JointStatus, type Side, type SideItemState } from '@gdhk/domain';
import { z } from 'zod';
import { canonicalJson, GENESIS_HASH, sha256Hex } from '@gdhk/integrity';

/**
 * What the read model keeps per item for the projection: both side states and each stream's
 * last hash and halt (so folding and verification resume from Redis exactly where they stopped),
 * the partition number the item's streams live on, the integrity, and the joint view.
 */
export interface ItemDocument {
  itemId: string;
  /** the partition number of both side topics that holds the item's streams */
  partition: number;
  sides: Record<Side, SideItemState>;
  lastHash: Record<Side, string>;
  /** where a stream stopped verifying; later events of a halted stream are not applied */
  halted: Record<Side, StreamHalt | null>;
  /** 'ok', or why one of the item's streams stopped verifying or what was quarantined on it */
  integrity: string;
  /** records shown on this item that did not verify (docs/contract.md, "Hostile records") */
  quarantine: QuarantineSummary;
  joint: JointItem;
}

/** The record that halted a stream (reason `fork`, docs/contract.md), and where it lies. */
export interface StreamHalt {
  reason: string;
  detail: string;
  topic: string;
  partition: number;
  offset: string;
  /** the forking event's hash, which its repair names ('' in documents written before repairs) */
  hash: string;
}

/** Where a record that did not verify stands in the log, and why it did not verify. */
export interface QuarantinedRecord {
  reason: string;
  detail: string;
  topic: string;
  partition: number;
  offset: string;
}

export interface QuarantineSummary {
  count: number;
  last: QuarantinedRecord | null;
}

/** Records one more quarantined record on the item, and says so in its integrity. */
export function quarantineOn(document: ItemDocument, record: QuarantinedRecord): void {
  document.quarantine = { count: document.quarantine.count + 1, last: record };
  if (document.halted.gd === null && document.halted.hk === null) document.integrity = describeQuarantine(document.quarantine);
}

/** A fork halted the side's stream of the item: the item's integrity names it. */
export function haltOn(document: ItemDocument, side: Side, halt: StreamHalt): void {
  document.halted[side] = halt;
  document.integrity = describeHalt(document.itemId, side, halt);
}

/** The side repaired its halted stream (a `stream.repaired` event): the integrity says what is left. */
export function repairOn(document: ItemDocument, side: Side): void {
  document.halted[side] = null;
  const other: Side = side === 'gd' ? 'hk' : 'gd';
  const otherHalt = document.halted[other];
  document.integrity = otherHalt ? describeHalt(document.itemId, other, otherHalt) : describeQuarantine(document.quarantine);
}

function describeHalt(itemId: string, side: Side, halt: StreamHalt): string {
  return `${side}/${itemId} halted (${halt.reason}) at ${halt.topic}/${halt.partition}@${halt.offset}: ${halt.detail}`;
}

function describeQuarantine({ count, last }: QuarantineSummary): string {
  if (count === 0 || last === null) return 'ok';
  return `${count} record(s) quarantined; the last: ${last.reason} at ${last.topic}/${last.partition}@${last.offset}: ${last.detail}`;
}

/**
 * A copy of a document to change for a batch, leaving the original as it was (the batch may not be
 * written). The fold (`evolveSide` returns a new side state), `haltOn`, `repairOn` and
 * `quarantineOn` replace what they change, never change it in place, and the joint view is
 * recomputed whole, so only the records they assign into are copied: not the decision logs and
 * reports a deep clone would copy for every item of every batch.
 */
export function copyItemDocument(document: ItemDocument): ItemDocument {
  return { ...document, sides: { ...document.sides }, lastHash: { ...document.lastHash }, halted: { ...document.halted } };
}

export function emptyItemDocument(itemId: string, partition: number): ItemDocument {
  const gd = initialSideState('gd', itemId);
  const hk = initialSideState('hk', itemId);
  return {
    itemId,
    partition,
    sides: { gd, hk },
    lastHash: { gd: GENESIS_HASH, hk: GENESIS_HASH },
    halted: { gd: null, hk: null },
    integrity: 'ok',
    quarantine: { count: 0, last: null },
    joint: joint(gd, hk),
  };
}

/** What joint-api serves per item. */
export interface ItemView {
  joint: JointItem;
  integrity: string;
  quarantine: QuarantineSummary;
}

/** The few fields filters and the summary need, without parsing whole views. */
export interface ItemIndexEntry {
  status: JointStatus;
  targetDate: string | null;
  integrityOk: boolean;
}

// What Redis holds is read back through these schemas, never taken on trust: they check the
// shapes the types promise (and no more, so a document stays readable when a rule tightens), and
// fill in what documents written by an earlier version lack.

const side = z.enum(SIDES);
const nullableString = z.string().nullable();
const actor = z.object({ userId: z.string(), department: z.string(), role: z.enum(ROLES) });
const position = z.object({ at: z.string(), side, streamVersion: z.int(), eventId: z.string() });

const statusReport = z.object({
  status: z.enum(STATUSES),
  progress: z.number(),
  summary: z.string(),
  nextSteps: nullableString,
  blockers: nullableString,
  targetDate: nullableString,
  reportedAt: z.string(),
  reportedBy: actor,
});

const factBase = { decisionId: z.string(), position, occurredAt: z.string(), actor };
const decisionFact = z.discriminatedUnion('type', [
  z.object({ ...factBase, type: z.literal('decision.proposed'), kind: z.enum(DECISION_KINDS), rationale: z.string(), targetDate: nullableString }),
  z.object({ ...factBase, type: z.enum(['decision.approved', 'decision.rejected']), comment: nullableString }),
  z.object({ ...factBase, type: z.literal('decision.withdrawn') }),
]);

const sideItemState: z.ZodType<SideItemState> = z.object({
  side,
  itemId: z.string(),
  streamVersion: z.int().min(0),
  lastEventId: nullableString,
  lastOccurredAt: nullableString,
  report: statusReport.nullable(),
  completedInVersion: z.int().nullable(),
  departments: z.array(z.string()),
  decisionLog: z.array(decisionFact),
});

const sidePart = z.object({
  side,
  status: z.enum(STATUSES),
  progress: z.number(),
  summary: nullableString,
  nextSteps: nullableString,
  blockers: nullableString,
  targetDate: nullableString,
  reportedAt: nullableString,
  departments: z.array(z.string()),
  streamVersion: z.int().min(0),
  lastOccurredAt: nullableString,
});

const decisionView = z.object({
  decisionId: z.string(),
  itemId: z.string(),
  kind: z.enum(DECISION_KINDS),
  state: z.enum(DECISION_STATES),
  proposedBy: side,
  proposal: z.object({ actor, occurredAt: z.string(), eventId: z.string(), streamVersion: z.int(), rationale: z.string(), targetDate: nullableString }),
  resolution: z
    .discriminatedUnion('reason', [
      z.object({ reason: z.enum(['approved', 'rejected', 'withdrawn']), side, actor, occurredAt: z.string(), eventId: z.string(), comment: nullableString }),
      z.object({ reason: z.literal('superseded'), supersededBy: z.string() }),
    ])
    .nullable(),
  answers: z.array(z.object({ type: z.enum(['approved', 'rejected', 'withdrawn']), side, actor, occurredAt: z.string(), eventId: z.string(), streamVersion: z.int(), comment: nullableString, applied: z.boolean() })),
});

const jointItem: z.ZodType<JointItem> = z.object({
  itemId: z.string(),
  status: z.enum(JOINT_STATUSES),
  targetDate: nullableString,
  targetDateSource: z.enum(['extend_deadline', 'side_reports']).nullable(),
  escalated: z.boolean(),
  sides: z.object({ gd: sidePart, hk: sidePart }),
  decisions: z.array(decisionView),
});

const quarantinedRecord = z.object({ reason: z.string(), detail: z.string(), topic: z.string(), partition: z.int(), offset: z.string() });
/** A value written before quarantines were kept has none. */
const quarantineSummary: z.ZodType<QuarantineSummary, unknown> = z
  .object({ count: z.int().min(0), last: quarantinedRecord.nullable() })
  .optional()
  .transform((summary) => summary ?? { count: 0, last: null });

/** A halt stored before repairs existed has no hash (''). */
const streamHalt: z.ZodType<StreamHalt | null, unknown> = z
  .object({ reason: z.string(), detail: z.string(), topic: z.string(), partition: z.int(), offset: z.string(), hash: z.string().catch('') })
  .nullish()
  .transform((halt) => halt ?? null);

const itemView = z.object({ joint: jointItem, integrity: z.string(), quarantine: quarantineSummary });

const itemDocument: z.ZodType<ItemDocument, unknown> = z.object({
  itemId: z.string(),
  partition: z.int(),
  sides: z.object({ gd: sideItemState, hk: sideItemState }),
  lastHash: z.object({ gd: z.string(), hk: z.string() }),
  halted: z.object({ gd: streamHalt, hk: streamHalt }),
  integrity: z.string(),
  quarantine: quarantineSummary,
  joint: jointItem,
});

function parseStored<T>(json: string, schema: z.ZodType<T, unknown>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`${what} is not JSON`);
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new Error(`${what} does not read back: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(value)'}: ${issue.message}`).join('; ')}`);
  return parsed.data;
}

/** A stored item view read back from Redis: checked, never taken on trust. */
export function parseItemView(json: string, itemId: string): ItemView {
  const view = parseStored(json, itemView, `the read model's view of ${itemId}`);
  if (view.joint.itemId !== itemId) throw new Error(`the read model's view of ${itemId} is the view of ${view.joint.itemId}`);
  return view;
}

/** A stored item document read back from Redis (the projection's own state), checked likewise. */
export function parseItemDocument(json: string): ItemDocument {
  return parseStored(json, itemDocument, 'a read-model item document');
}

export function viewOf(document: ItemDocument): ItemView {
  return { joint: document.joint, integrity: document.integrity, quarantine: document.quarantine };
}

export function indexEntryOf(document: ItemDocument): string {
  return `${document.joint.status}|${document.joint.targetDate ?? ''}|${document.integrity === 'ok' ? 'ok' : 'flagged'}`;
}

export function parseIndexEntry(line: string): ItemIndexEntry {
  const [status, targetDate, integrity] = line.split('|');
  const known = JOINT_STATUSES.find((candidate) => candidate === status);
  if (known === undefined) throw new Error(`read-model index entry with an unknown status: ${JSON.stringify(line)}`);
  return { status: known, targetDate: targetDate ? targetDate : null, integrityOk: integrity === 'ok' };
}

/** A verified event has been applied to one of the item's streams: it belongs to the joint view. */
function isWritten(view: ItemView): boolean {
  return view.joint.sides.gd.streamVersion > 0 || view.joint.sides.hk.streamVersion > 0;
}

/**
 * The digest the audit's replay is compared with: SHA-256 (hex) of the RFC 8785 canonical JSON of
 * `jointView` over the `JointItem` of every written item (items without a verified event are absent).
 */
export function jointViewDigest(views: Iterable<ItemView>): { digest: string; items: number } {
  const items = [...views].filter(isWritten).map((view) => view.joint);
  return { digest: sha256Hex(canonicalJson(jointView(items))), items: items.length };
}
