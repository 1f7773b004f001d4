// @gdhk/verified-log — the only place where a Kafka record becomes a domain event.
//
//   inspectRecord   decode → limits → envelope → attribution → hash → time → key → schema
//   verifySignature the Ed25519 check (separable, for workers)
//   StreamLedger    chain and version → duplicate / quarantine / halt / applied
//
// Nothing here throws on input: every record ends as one typed verdict with one reason.
export { inspectRecord, DEFAULT_MAX_SKEW_MS, type Candidate, type Inspection, type LogShape, type Quarantine, type SideRecord, type Where } from './inspect.ts';
export { StreamLedger, verifySignature, type StreamHalt, type StreamHead, type Verdict } from './ledger.ts';
export { DEFAULT_LIMITS, jsonDepth, limitProblem, type Limits } from './limits.ts';
export { HALT_REASONS, QUARANTINE_REASONS, REASONS, isReason, type HaltReason, type QuarantineReason, type Reason } from './reasons.ts';
export { verifyRecord } from './verify.ts';
