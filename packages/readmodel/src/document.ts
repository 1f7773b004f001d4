import { initialSideState, joint, JOINT_STATUSES, jointView, type JointItem, type JointStatus, type Side, type SideItemState } from '@gdhk/domain';
import { canonicalJson, GENESIS_HASH, sha256Hex, type StreamHalt } from '@gdhk/integrity';

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
  /** 'ok', or why one of the item's streams stopped verifying */
  integrity: string;
  joint: JointItem;
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
    joint: joint(gd, hk),
  };
}

/** What joint-api serves per item. */
export interface ItemView {
  joint: JointItem;
  integrity: string;
}

/** The few fields filters and the summary need, without parsing whole views. */
export interface ItemIndexEntry {
  status: JointStatus;
  targetDate: string | null;
  integrityOk: boolean;
}

export function viewOf(document: ItemDocument): ItemView {
  return { joint: document.joint, integrity: document.integrity };
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
