// @gdhk/audit — rebuild and verify every decision from the side topics alone.
export { replay, assignPartitions } from './replay.ts';
export type { ReplayContext, ReplayOptions, ReplayProgress, ReplayResult } from './replay.ts';
export type { Checkpoint, CheckpointCheck } from './checkpoint.ts';
export { StreamAuditor } from './stream-auditor.ts';
export type { AuditFailure, AuditFailureReason, ShardResult, StreamFold } from './stream-auditor.ts';
export { buildReport, decisionRecord, decisionRule, jointItemsOf, viewDigest } from './report.ts';
export type { AnswerRecord, AuditReport, DecisionRecord, DecisionRule } from './report.ts';
export { renderReport, verificationPassed, REPORT_FORMATS } from './render.ts';
export type { ReportFormat } from './render.ts';
