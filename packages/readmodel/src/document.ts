import { initialSideState, joint, JOINT_STATUSES, jointView, type JointItem, type JointStatus, type Side, type SideItemState } from '@gdhk/domain';
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

export function describeQuarantine({ count, last }: QuarantineSummary): string {
  if (count === 0 || last === null) return 'ok';
  return `${count} record(s) quarantined; the last: ${last.reason} at ${last.topic}/${last.partition}@${last.offset}: ${last.detail}`;
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

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A stored halt, or none; a halt stored before repairs existed has no hash (''). */
function haltOf(value: unknown): StreamHalt | null {
  if (value === null || value === undefined) return null;
  if (!isObject(value) || typeof value.reason !== 'string' || typeof value.detail !== 'string' || typeof value.topic !== 'string' || !Number.isSafeInteger(value.partition) || typeof value.offset !== 'string') {
    throw new Error('its halt is not { reason, detail, topic, partition, offset, hash }');
  }
  return { reason: value.reason, detail: value.detail, topic: value.topic, partition: Number(value.partition), offset: value.offset, hash: typeof value.hash === 'string' ? value.hash : '' };
}

/** A quarantine summary as stored, or none for a value written before quarantines were kept. */
function quarantineOf(value: unknown): QuarantineSummary {
  if (value === undefined) return { count: 0, last: null };
  if (!isObject(value) || !Number.isSafeInteger(value.count) || (value.last !== null && !isObject(value.last))) throw new Error('its quarantine is not { count, last }');
  return value as unknown as QuarantineSummary;
}

/** A stored item view read back from Redis: checked, never taken on trust. */
export function parseItemView(json: string, itemId: string): ItemView {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`the read model's view of ${itemId} is not JSON`);
  }
  if (!isObject(value) || !isObject(value.joint) || typeof value.integrity !== 'string' || value.joint.itemId !== itemId) throw new Error(`the read model's view of ${itemId} is not an item view`);
  try {
    return { joint: value.joint as unknown as JointItem, integrity: value.integrity, quarantine: quarantineOf(value.quarantine) };
  } catch (error) {
    throw new Error(`the read model's view of ${itemId}: ${(error as Error).message}`);
  }
}

/** A stored item document read back from Redis (the projection's own state), checked likewise. */
export function parseItemDocument(json: string): ItemDocument {
  const value: unknown = JSON.parse(json);
  if (!isObject(value) || typeof value.itemId !== 'string' || !Number.isSafeInteger(value.partition) || !isObject(value.sides) || !isObject(value.lastHash) || !isObject(value.halted) || typeof value.integrity !== 'string' || !isObject(value.joint)) {
    throw new Error('a read-model item document without its fields');
  }
  return { ...(value as unknown as ItemDocument), halted: { gd: haltOf(value.halted.gd), hk: haltOf(value.halted.hk) }, quarantine: quarantineOf(value.quarantine) };
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
export function isWritten(view: ItemView): boolean {
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
