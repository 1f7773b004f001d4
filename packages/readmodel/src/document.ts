import { initialSideState, joint, type JointItem, type Side, type SideItemState } from '@gdhk/domain';
import { GENESIS_HASH } from '@gdhk/integrity';

/**
 * What the read model keeps per item: both side states (so the projection resumes from Redis
 * exactly where it stopped), each stream's last hash (so verification resumes too), the item's
 * integrity, and the joint view that joint-api serves as it is.
 */
export interface ItemDocument {
  itemId: string;
  sides: Record<Side, SideItemState>;
  lastHash: Record<Side, string>;
  /** 'ok', or why one of the item's streams stopped verifying */
  integrity: string;
  joint: JointItem;
}

export function emptyItemDocument(itemId: string): ItemDocument {
  const gd = initialSideState('gd', itemId);
  const hk = initialSideState('hk', itemId);
  return { itemId, sides: { gd, hk }, lastHash: { gd: GENESIS_HASH, hk: GENESIS_HASH }, integrity: 'ok', joint: joint(gd, hk) };
}

/** One entry of the combined feed as stored; the cursor is the Redis stream id. */
export interface FeedEntry {
  /** topic/partition@offset the event was read from */
  source: string;
  event: unknown;
}
