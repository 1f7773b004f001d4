export { readModelKeys, type ReadModelKeys, type GenerationKeys } from './keys.ts';
export { ReadModelStore, type ApplyBatch, type ApplyResult, type PartitionAdvance } from './store.ts';
export { emptyItemDocument, type ItemDocument, type FeedEntry } from './document.ts';
