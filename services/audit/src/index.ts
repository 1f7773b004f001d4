// @gdhk/audit — rebuild and verify every decision from the side topics alone: `replay`, then render its report.
export { replay } from './replay.ts';
export type { ReplayContext, ReplayOptions, ReplayProgress, ReplayResult } from './replay.ts';
export type { Checkpoint, CheckpointCheck } from './checkpoint.ts';
export type { AuditFailure, AuditFailureReason, AuditRepair } from './stream-auditor.ts';
export type { AnswerRecord, AuditReport, DecisionRecord, DecisionRule } from './report.ts';
export { renderReport, verificationPassed, REPORT_FORMATS } from './render.ts';
export type { ReportFormat } from './render.ts';
