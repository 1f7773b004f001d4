// @gdhk/verified-log — the only place where a Kafka record becomes a domain event.
//
//   inspectRecord   decode → limits → envelope → attribution → hash → time → key → schema (a seal: its own checks)
//   inspectOwn      its fast path for the exact bytes this process wrote (only ever says yes)
//   verifySignature the Ed25519 check of a version 1 event (separable, for workers)
//   StreamLedger    chain and version → duplicate / quarantine / halt / applied
//   LogReader       records in log order: version 2 events held until their seal, seals walked and checked
//
// Nothing here throws on input: every record ends as one typed verdict with one reason.
export { inspectRecord, DEFAULT_MAX_SKEW_MS, type Candidate, type Inspection, type LogShape, type Quarantine, type SealCandidate, type SideRecord, type Where } from './inspect.ts';
export { CHECKPOINT_PARTITION, CHECKPOINT_RECORD_KEY, type CheckpointCandidate } from './checkpoint.ts';
export { inspectOwn, type OwnRecords } from './own.ts';
export { DEFAULT_PENDING_LIMIT, LogReader, type PendingLimit, type ReadOptions, type SealHead } from './reader.ts';
export { StreamLedger, verifySignature, type StreamHalt, type StreamHead, type Verdict } from './ledger.ts';
export { DEFAULT_LIMITS, jsonDepth, limitProblem, type Limits } from './limits.ts';
export { HALT_REASONS, QUARANTINE_REASONS, REASONS, isReason, type HaltReason, type QuarantineReason, type Reason } from './reasons.ts';
