export { readModelKeys, type ReadModelKeys, type GenerationKeys } from './keys.ts';
export { connectReadModelStore, ReadModelStore, type ApplyBatch, type ApplyResult, type BuildInfo, type ReadModelStoreOptions, type SealedBatch, type SwitchMode } from './store.ts';
export type { StoredProof } from './proof.ts';
export {
  copyItemDocument,
  emptyItemDocument,
  parseItemDocument,
  parseItemView,
  quarantineOn,
  haltOn,
  repairOn,
  viewOf,
  indexEntryOf,
  jointViewDigest,
  type ItemDocument,
  type ItemView,
  type ItemIndexEntry,
  type QuarantinedRecord,
  type QuarantineSummary,
} from './document.ts';
export { feedSource, parseFeedSource, type FeedSource } from './feed.ts';
export { connectJointReadModel, JointReadModel, ReadModelUnavailable, unconnectedJointReadModel, type FeedBounds, type FeedRow, type JointReadModelConnection, type JointReadModelOptions, type Served } from './reader.ts';
export { FeedTail } from './tail.ts';
export type { MirrorSnapshot } from './mirror.ts';
