import type { ItemEvent } from '@gdhk/domain';
import { inspectRecord, type Candidate, type LogShape, type SideRecord } from './inspect.ts';
import { verifySignature, type StreamLedger, type Verdict } from './ledger.ts';

/**
 * One record, start to end: inspect, then place in its stream. For callers that check
 * signatures elsewhere, `signed` answers for the candidate.
 */
export function verifyRecord(
  record: SideRecord,
  shape: LogShape,
  ledger: StreamLedger,
  options: { signed?: (candidate: Candidate) => boolean; accept?: (event: ItemEvent) => string | undefined } = {},
): Verdict {
  const inspection = inspectRecord(record, shape);
  if (inspection.kind === 'quarantined') return inspection;
  try {
    return ledger.admit(inspection.candidate, options.signed ?? verifySignature, options.accept);
  } catch (error) {
    // `accept` is the caller's; a throw there is a refusal, never an escape.
    return { kind: 'quarantined', reason: 'rejected', detail: `the event could not be applied: ${(error as Error).message}`, where: inspection.candidate.where, stream: inspection.candidate.stream, itemId: inspection.candidate.itemId };
  }
}
