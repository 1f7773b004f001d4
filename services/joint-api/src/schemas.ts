import { DECISION_KINDS, DECISION_STATES, JOINT_STATUSES, ROLES, SIDES, STATUSES } from '@gdhk/domain';
import { z } from 'zod';

// Response schemas of joint-api: they validate what is sent and generate /docs.

export const jointStatusSchema = z.enum(JOINT_STATUSES);
const side = z.enum(SIDES);
const actor = z.object({ userId: z.string(), department: z.string(), role: z.enum(ROLES) });

export const sidePartSchema = z
  .object({
    side,
    status: z.enum(STATUSES),
    progress: z.number().int(),
    summary: z.string().nullable(),
    nextSteps: z.string().nullable(),
    blockers: z.string().nullable(),
    targetDate: z.string().nullable(),
    reportedAt: z.string().nullable(),
    departments: z.array(z.string()),
    streamVersion: z.number().int(),
    lastOccurredAt: z.string().nullable(),
  })
  .meta({ id: 'SidePart', description: "One side's part of an item, as its own stream says" });

export const decisionSchema = z
  .object({
    decisionId: z.string(),
    itemId: z.string(),
    kind: z.enum(DECISION_KINDS),
    state: z.enum(DECISION_STATES),
    proposedBy: side,
    proposal: z.object({
      actor,
      occurredAt: z.string(),
      eventId: z.string(),
      streamVersion: z.number().int(),
      rationale: z.string(),
      targetDate: z.string().nullable(),
    }),
    resolution: z
      .union([
        z.object({ reason: z.enum(['approved', 'rejected', 'withdrawn']), side, actor, occurredAt: z.string(), eventId: z.string(), comment: z.string().nullable() }),
        z.object({ reason: z.literal('superseded'), supersededBy: z.string() }),
      ])
      .nullable(),
    answers: z.array(
      z.object({
        type: z.enum(['approved', 'rejected', 'withdrawn']),
        side,
        actor,
        occurredAt: z.string(),
        eventId: z.string(),
        streamVersion: z.number().int(),
        comment: z.string().nullable(),
        applied: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'Decision', description: 'A decision resolved over both side streams in the cross-side order' });

export const jointItemSchema = z
  .object({
    itemId: z.string(),
    number: z.number().int(),
    chapter: z.object({ number: z.number().int(), title: z.string() }),
    section: z.object({ number: z.number().int(), title: z.string() }).nullable(),
    text: z.string(),
    locale: z.string(),
    status: jointStatusSchema,
    overdue: z.boolean().describe('the target date has passed in Asia/Hong_Kong, computed at read time'),
    integrity: z.string().describe("'ok', or why one of the item's streams stopped verifying, or what was quarantined on it"),
    quarantine: z
      .object({
        count: z.number().int().describe('records shown on this item that did not verify'),
        last: z.object({ reason: z.string(), detail: z.string(), topic: z.string(), partition: z.number().int(), offset: z.string() }).nullable(),
      })
      .describe('records attributed to this item that were quarantined (docs/contract.md, "Hostile records")'),
    targetDate: z.string().nullable(),
    targetDateSource: z.enum(['extend_deadline', 'side_reports']).nullable(),
    escalated: z.boolean(),
    sides: z.object({ gd: sidePartSchema, hk: sidePartSchema }),
    openDecisions: z.array(decisionSchema),
  })
  .meta({ id: 'JointItem' });

const statusCounts = z.object(Object.fromEntries(JOINT_STATUSES.map((status) => [status, z.number().int()])) as Record<(typeof JOINT_STATUSES)[number], z.ZodNumber>);

const counts = { total: z.number().int(), overdue: z.number().int(), flagged: z.number().int().describe('items whose integrity is not ok'), byStatus: statusCounts };

export const summarySchema = z
  .object({
    ...counts,
    chapters: z.array(z.object({ number: z.number().int(), title: z.string(), ...counts })),
    locale: z.string(),
  })
  .meta({ id: 'Summary' });

export const feedEventSchema = z
  .looseObject({ eventId: z.string(), type: z.string(), side, itemId: z.string(), streamVersion: z.number().int() })
  .meta({ id: 'FeedEvent', description: 'A verified event as its side wrote it (see the side services for every field)' });

export const feedPageSchema = z
  .object({
    events: z.array(z.object({ cursor: z.string(), event: feedEventSchema })),
    next: z.string().describe('pass as `after` to read on; stays valid across rebuilds of the read model'),
    more: z.boolean().describe('false when this page reached the end of the feed; true when it stopped at `limit` or at the scan bound, so reading on from `next` may give more at once (a page can be empty and still have more)'),
  })
  .meta({ id: 'FeedPage' });

export const digestSchema = z
  .object({
    digest: z.string().describe('SHA-256 (hex) of the RFC 8785 canonical JSON of the joint view of every written item'),
    offsets: z.record(z.string(), z.number().int()).describe('`<topic>/<partition>` → next offset: the side-topic positions the view reflects'),
    items: z.number().int(),
    log: z.record(z.string(), z.string()).optional().describe('side topic → Kafka topic id: the log the offsets count in (absent for a build from before it was kept)'),
  })
  .meta({ id: 'Digest' });

export const historyPageSchema = z
  .object({
    itemId: z.string(),
    total: z.number().int().describe("how many events the item's history holds (within the part read, see `complete`)"),
    complete: z.boolean().describe("false when the history is read from the newest GDHK_HISTORY_SCAN_ROWS rows of the feed and older ones exist, or the feed's retention trimmed some: `npm run audit -- replay --item` gives all of it"),
    events: z.array(feedEventSchema).describe('in the cross-side order: occurredAt, then side, then eventId'),
    next: z.string().nullable().describe('pass as `after` for the next page; null on the last page'),
  })
  .meta({ id: 'HistoryPage' });

export const decisionPageSchema = z
  .object({
    decisions: z.array(decisionSchema).describe('by proposal time, then item, then decision id'),
    next: z.string().nullable().describe('pass as `after` for the next page (with the same filters); null on the last page'),
  })
  .meta({ id: 'DecisionPage' });

const hexHash = z.string().regex(/^[0-9a-f]{64}$/).describe('64 lowercase hex digits (SHA-256)');

export const inclusionProofSchema = z
  .object({
    kind: z.literal('gdhk.inclusion-proof'),
    schemaVersion: z.literal(1),
    event: feedEventSchema.describe("the event as the log holds it, with its `hash` and no signature (the seal signs it)"),
    leafIndex: z.number().int().describe("the event's position among the sealed events, from 0"),
    treeSize: z.number().int().describe('the number of sealed events (the seal\'s `count`)'),
    path: z.array(hexHash).describe('the RFC 9162 inclusion path, leaf first'),
    seal: z
      .object({
        kind: z.literal('gdhk.seal'),
        schemaVersion: z.literal(1),
        side,
        topic: z.string(),
        partition: z.number().int(),
        sequence: z.number().int(),
        prevHash: hexHash,
        root: hexHash,
        count: z.number().int(),
        last: hexHash,
        sealedAt: z.string(),
        hash: hexHash,
        signature: z.object({ keyId: z.string(), alg: z.literal('Ed25519'), value: z.string() }),
      })
      .describe('the signed seal of the transaction on that partition'),
    key: z
      .object({ keyId: z.string(), side, alg: z.literal('Ed25519'), publicKey: z.string(), validFrom: z.string().optional(), validUntil: z.string().optional() })
      .describe('the key-set entry of the key that signed the seal, exactly as the key set lists it'),
  })
  .meta({ id: 'InclusionProof', description: 'The self-contained proof that a sealed event is in the log (docs/contract.md, "Inclusion proof"): checked with it and the key set alone, e.g. by `npm run audit -- verify-proof`' });
