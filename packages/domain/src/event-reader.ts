import {
  CalendarDate,
  CURRENT_SCHEMA_VERSION,
  DECISION_KINDS,
  DecisionId,
  DEPARTMENT_PATTERN,
  EventId,
  HEX256_PATTERN,
  ITEM_ID_PATTERN,
  NOT_BLANK_PATTERN,
  OFFSET_PATTERN,
  ROLES,
  STATUSES,
  UtcInstant,
  type EventType,
  type ItemEvent,
} from './events.ts';

// The event schemas of `events.ts`, compiled by hand for the read path: every record of the log
// is validated once per reader, and zod's generic walk was a tenth of a verified replay. The
// reader below says only "valid, and here is what zod would return" or "not sure": anything it
// does not accept goes to the zod schemas, which stay the one reference for what an event is and
// give every refusal its issues. A property test holds the two to the same answers.

/** The pattern zod checks a string format against, taken from the schema so the two cannot drift. */
function patternOf(schema: { _zod: { def: { pattern?: RegExp | undefined } } }): RegExp {
  const pattern = schema._zod.def.pattern;
  if (pattern === undefined) throw new Error('a string format without a pattern');
  return pattern;
}

const EVENT_ID_PATTERN = patternOf(EventId);
const DECISION_ID_PATTERN = patternOf(DecisionId);
const INSTANT_PATTERN = patternOf(UtcInstant);
const DATE_PATTERN = patternOf(CalendarDate);

type Json = Record<string, unknown>;

/** A plain object (what JSON.parse makes): anything more exotic is left to zod. */
function plain(value: unknown): value is Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Exactly the members `required` plus any of `optional`: a strict object's keys. */
function exactKeys(object: Json, required: number, allowed: ReadonlyMap<string, boolean>): boolean {
  let requiredSeen = 0;
  for (const key of Object.keys(object)) {
    const isRequired = allowed.get(key);
    if (isRequired === undefined) return false;
    if (isRequired) requiredSeen += 1;
  }
  return requiredSeen === required;
}

function members(required: readonly string[], optional: readonly string[] = []): { required: number; allowed: ReadonlyMap<string, boolean> } {
  return { required: required.length, allowed: new Map([...required.map((key) => [key, true] as const), ...optional.map((key) => [key, false] as const)]) };
}

/** An optional member: absent, or own and defined (zod would see an inherited one; such input goes to zod). */
const ABSENT = Symbol('absent');
const UNSURE = Symbol('unsure');
function optional(object: Json, key: string): unknown {
  const value = object[key];
  if (value === undefined) return Object.hasOwn(object, key) ? UNSURE : ABSENT;
  return Object.hasOwn(object, key) ? value : UNSURE;
}

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length <= max && NOT_BLANK_PATTERN.test(value);
const isHex256 = (value: unknown): value is string => typeof value === 'string' && HEX256_PATTERN.test(value);
const isDate = (value: unknown): value is string => typeof value === 'string' && DATE_PATTERN.test(value);
const isDecisionId = (value: unknown): value is string => typeof value === 'string' && DECISION_ID_PATTERN.test(value);
const isDepartment = (value: unknown): value is string => typeof value === 'string' && value.length <= 200 && DEPARTMENT_PATTERN.test(value);
const statuses: ReadonlySet<unknown> = new Set(STATUSES);
const kinds: ReadonlySet<unknown> = new Set(DECISION_KINDS);
const roles: ReadonlySet<unknown> = new Set(ROLES);

const ENVELOPE = members(['eventId', 'schemaVersion', 'side', 'itemId', 'streamVersion', 'occurredAt', 'actor', 'commandId', 'correlationId', 'causationId', 'prevHash', 'hash', 'commit', 'type', 'data']);
const ACTOR = members(['userId', 'department', 'role']);
const COMMIT = members(['prev']);
const STATUS_REPORT = members(['status', 'progress', 'summary'], ['nextSteps', 'blockers', 'targetDate']);
const DEPARTMENT = members(['department']);
const PROPOSAL = members(['decisionId', 'kind', 'rationale'], ['targetDate']);
const ANSWER = members(['decisionId'], ['comment']);
const WITHDRAWAL = members(['decisionId']);
const REPAIR = members(['fork', 'reason']);
const FORK = members(['topic', 'partition', 'offset', 'hash']);

type Read = Json | undefined;

function readStatusReport(data: Json): Read {
  if (!exactKeys(data, STATUS_REPORT.required, STATUS_REPORT.allowed)) return undefined;
  const { status, progress, summary } = data;
  if (!statuses.has(status) || !Number.isSafeInteger(progress) || (progress as number) < 0 || (progress as number) > 100 || !isText(summary, 4_000)) return undefined;
  const nextSteps = optional(data, 'nextSteps');
  const blockers = optional(data, 'blockers');
  const targetDate = optional(data, 'targetDate');
  if (nextSteps === UNSURE || blockers === UNSURE || targetDate === UNSURE) return undefined;
  if (nextSteps !== ABSENT && !isText(nextSteps, 4_000)) return undefined;
  if (blockers !== ABSENT && !isText(blockers, 4_000)) return undefined;
  if (targetDate !== ABSENT && !isDate(targetDate)) return undefined;
  // The schema's refinements.
  if (status === 'blocked' && blockers === ABSENT) return undefined;
  if (status === 'completed' && progress !== 100) return undefined;
  const read: Json = { status, progress, summary };
  if (nextSteps !== ABSENT) read.nextSteps = nextSteps;
  if (blockers !== ABSENT) read.blockers = blockers;
  if (targetDate !== ABSENT) read.targetDate = targetDate;
  return read;
}

function readDepartment(data: Json): Read {
  if (!exactKeys(data, DEPARTMENT.required, DEPARTMENT.allowed) || !isDepartment(data.department)) return undefined;
  return { department: data.department };
}

function readProposal(data: Json): Read {
  if (!exactKeys(data, PROPOSAL.required, PROPOSAL.allowed)) return undefined;
  const { decisionId, kind, rationale } = data;
  if (!isDecisionId(decisionId) || !kinds.has(kind) || !isText(rationale, 4_000)) return undefined;
  const targetDate = optional(data, 'targetDate');
  if (targetDate === UNSURE || (targetDate !== ABSENT && !isDate(targetDate))) return undefined;
  // checkProposalTargetDate: a target date exactly when the deadline is extended.
  if ((kind === 'extend_deadline') !== (targetDate !== ABSENT)) return undefined;
  const read: Json = { decisionId, kind, rationale };
  if (targetDate !== ABSENT) read.targetDate = targetDate;
  return read;
}

function readAnswer(data: Json): Read {
  if (!exactKeys(data, ANSWER.required, ANSWER.allowed) || !isDecisionId(data.decisionId)) return undefined;
  const comment = optional(data, 'comment');
  if (comment === UNSURE || (comment !== ABSENT && !isText(comment, 4_000))) return undefined;
  const read: Json = { decisionId: data.decisionId };
  if (comment !== ABSENT) read.comment = comment;
  return read;
}

function readWithdrawal(data: Json): Read {
  if (!exactKeys(data, WITHDRAWAL.required, WITHDRAWAL.allowed) || !isDecisionId(data.decisionId)) return undefined;
  return { decisionId: data.decisionId };
}

function readRepair(data: Json): Read {
  if (!exactKeys(data, REPAIR.required, REPAIR.allowed) || !isText(data.reason, 4_000)) return undefined;
  const fork = data.fork;
  if (!plain(fork) || !exactKeys(fork, FORK.required, FORK.allowed)) return undefined;
  const { topic, partition, offset, hash } = fork;
  if (typeof topic !== 'string' || topic.length < 1 || topic.length > 249) return undefined;
  if (!Number.isSafeInteger(partition) || (partition as number) < 0) return undefined;
  if (typeof offset !== 'string' || !OFFSET_PATTERN.test(offset) || !isHex256(hash)) return undefined;
  return { fork: { topic, partition, offset, hash }, reason: data.reason };
}

const DATA_READERS: Readonly<Record<EventType, (data: Json) => Read>> = {
  'item.status-reported': readStatusReport,
  'item.department-assigned': readDepartment,
  'item.department-unassigned': readDepartment,
  'decision.proposed': readProposal,
  'decision.approved': readAnswer,
  'decision.rejected': readAnswer,
  'decision.withdrawn': readWithdrawal,
  'stream.repaired': readRepair,
};

/**
 * An event of the current schema version exactly as `ItemEvent.parse` returns it (a copy with
 * the schema's members in the schema's order), or undefined when this reader is not sure the
 * schema accepts it: then zod decides.
 */
export function readCurrentEvent(value: unknown): ItemEvent | undefined {
  if (!plain(value) || !exactKeys(value, ENVELOPE.required, ENVELOPE.allowed)) return undefined;
  const { eventId, schemaVersion, side, itemId, streamVersion, occurredAt, actor, commandId, correlationId, causationId, prevHash, hash, commit, type, data } = value;
  if (schemaVersion !== CURRENT_SCHEMA_VERSION || (side !== 'gd' && side !== 'hk')) return undefined;
  if (typeof eventId !== 'string' || !EVENT_ID_PATTERN.test(eventId)) return undefined;
  if (typeof itemId !== 'string' || !ITEM_ID_PATTERN.test(itemId)) return undefined;
  if (!Number.isSafeInteger(streamVersion) || (streamVersion as number) < 1) return undefined;
  if (typeof occurredAt !== 'string' || !INSTANT_PATTERN.test(occurredAt)) return undefined;
  if (!isText(commandId, 200) || !isText(correlationId, 200) || !isText(causationId, 200) || !isHex256(prevHash) || !isHex256(hash)) return undefined;
  if (!plain(actor) || !exactKeys(actor, ACTOR.required, ACTOR.allowed)) return undefined;
  const { userId, department, role } = actor;
  if (!isText(userId, 200) || typeof department !== 'string' || department.length > 200 || !roles.has(role)) return undefined;
  let link: { prev: string } | null = null;
  if (commit !== null) {
    if (!plain(commit) || !exactKeys(commit, COMMIT.required, COMMIT.allowed) || !isHex256(commit.prev)) return undefined;
    link = { prev: commit.prev };
  }
  const readData = typeof type === 'string' && Object.hasOwn(DATA_READERS, type) ? DATA_READERS[type as EventType] : undefined;
  if (readData === undefined || !plain(data)) return undefined;
  const readOf = readData(data);
  if (readOf === undefined) return undefined;
  const event = {
    eventId,
    schemaVersion,
    side,
    itemId,
    streamVersion,
    occurredAt,
    actor: { userId, department, role },
    commandId,
    correlationId,
    causationId,
    prevHash,
    hash,
    commit: link,
    type,
    data: readOf,
  };
  // Every member was checked above against the schema of its type.
  return event as ItemEvent;
}
