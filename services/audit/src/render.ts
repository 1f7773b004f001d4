import type { JointItem } from '@gdhk/domain';
import type { AnswerRecord, AuditReport, DecisionRecord } from './report.ts';
import type { ReplayContext } from './replay.ts';

export const REPORT_FORMATS = ['json', 'md', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export function renderReport(report: AuditReport, context: ReplayContext, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'md':
      return renderMarkdown(report, context);
    case 'csv':
      return renderCsv(report);
    default: {
      const _exhaustive: never = format;
      return _exhaustive;
    }
  }
}

export function verificationPassed(report: AuditReport): boolean {
  const { failures, verified, duplicates, events, repairs } = report.verification;
  // A repaired fork is a record read that neither verified nor failed: its side answered it.
  const { seals, checkpoints } = report.verification;
  return failures.length === 0 && verified + duplicates + repairs.length === events && seals.verified === seals.read && checkpoints.verified === checkpoints.read;
}

/** The latest mutually cosigned heads, one line per side: `partition:sequence` of each. */
function cosignedLines(report: AuditReport): string[] {
  const { checkpoints } = report.verification;
  const line = (side: 'gd' | 'hk', by: 'gd' | 'hk'): string => {
    const heads = checkpoints.latestCosigned[side];
    if (heads.length === 0) return `- Latest ${side} heads cosigned by ${by}: none`;
    const checkpoint = heads.reduce((latest, head) => (head.checkpointSequence > latest.checkpointSequence ? head : latest));
    return `- Latest ${side} heads cosigned by ${by} (checkpoint ${checkpoint.checkpointSequence}, ${checkpoint.observedAt}): ${heads.map((head) => `p${head.partition} seal ${head.sequence}`).join(', ')}`;
  };
  return [
    `- Cosigned checkpoints read: ${checkpoints.read}, verified: ${checkpoints.verified}; heads checked: ${checkpoints.heads.checked}, missing: ${checkpoints.heads.missing}, differing: ${checkpoints.heads.differing}`,
    line('gd', 'hk'),
    line('hk', 'gd'),
  ];
}

// --- Markdown -------------------------------------------------------------------------------

function cell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  return String(value).replaceAll('\\', '\\\\').replaceAll('|', '\\|').replace(/\r?\n/g, '<br>');
}

function table(header: string[], rows: (string | number | boolean | null | undefined)[][]): string {
  return [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

const actorOf = (actor: { userId: string; department: string; role: string }): string => `${actor.userId} (${actor.role}${actor.department ? `, ${actor.department}` : ''})`;

function answerRows(answers: AnswerRecord[]): (string | number | boolean | null)[][] {
  return answers.map((answer) => [answer.type, answer.side, actorOf(answer.actor), answer.occurredAt, answer.comment, answer.applied ? 'yes' : 'no', answer.ignoredBecause, `${answer.side} v${answer.streamVersion}`]);
}

function decisionSection(decision: DecisionRecord): string {
  const { proposal } = decision;
  const lines = [
    `### ${decision.itemId} · ${decision.kind} · ${decision.state}`,
    '',
    `- Decision: \`${decision.decisionId}\``,
    `- Rule: **${decision.rule.code}** — ${cell(decision.rule.explanation)}`,
    `- Proposed by **${decision.proposedBy}**: ${cell(actorOf(proposal.actor))} at ${proposal.occurredAt} (${decision.proposedBy} v${proposal.streamVersion}, event \`${proposal.eventId}\`)`,
    `- Rationale: ${cell(proposal.rationale)}${proposal.targetDate ? ` — new target date ${proposal.targetDate}` : ''}`,
  ];
  const answers = [...decision.answers, ...decision.withdrawals].sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  if (answers.length > 0) {
    lines.push('', table(['answer', 'side', 'by', 'at', 'comment', 'counted', 'why not', 'event'], answerRows(answers)));
  } else {
    lines.push('- No answers or withdrawals.');
  }
  return lines.join('\n');
}

const sideSummary = (part: JointItem['sides']['gd']): string => `${part.status} ${part.progress}% (v${part.streamVersion})`;

function renderMarkdown(report: AuditReport, context: ReplayContext): string {
  const { verification } = report;
  const passed = verificationPassed(report);
  const out: string[] = [
    '# Audit replay report',
    '',
    `- Result: **${passed ? 'VERIFIED' : `FAILED — ${verification.failures.length} failure(s)`}**`,
    `- Events read: ${verification.events}; verified: ${verification.verified}; duplicates: ${verification.duplicates}; repaired forks: ${verification.repairs.length}; seals read: ${verification.seals.read}, verified: ${verification.seals.verified}`,
    ...cosignedLines(report),
    `- Side topics: gd \`${context.topics.gd}\`, hk \`${context.topics.hk}\` on ${context.brokers.join(', ')}`,
    `- View as of: ${context.until ?? `the end of the log when the replay started (${context.startedAt})`}`,
    ...(context.item ? [`- Restricted to item ${context.item} (the digest is still the whole view's)`] : []),
    `- Digest (SHA-256 of the RFC 8785 joint view): \`${report.digest}\``,
    `- Log (Kafka topic ids): ${Object.entries(report.log).map(([topic, id]) => `\`${topic}\` ${id}`).join(', ') || 'not reported by the cluster'}`,
    ...(verification.checkpoint ? [`- Checkpoint (${verification.checkpoint.log}): ${cell(verification.checkpoint.note)}`] : []),
    `- Replayed ${context.startedAt} – ${context.finishedAt} with ${context.workers} verification worker(s)`,
    '',
    '## Offsets read',
    '',
    table(['topic/partition', 'next offset'], Object.entries(report.offsets).map(([key, offset]) => [key, offset])),
    '',
    '## Verification failures',
    '',
    verification.failures.length === 0
      ? 'None: every event verified (its signature or its seal, hash chain, contiguous versions, side matches topic).'
      : table(['topic', 'partition', 'offset', 'stream', 'reason', 'detail'], verification.failures.map((failure) => [failure.topic, failure.partition, failure.offset, failure.stream, failure.reason, failure.detail])),
    '',
    '## Repaired forks',
    '',
    verification.repairs.length === 0
      ? 'None.'
      : table(
          ['stream', 'fork at', 'fork hash', 'fork', 'repaired at', 'repair event', 'by', 'reason'],
          verification.repairs.map(({ stream, fork, repair }) => [stream, `${fork.topic}/${fork.partition}@${fork.offset}`, fork.hash, fork.detail, `${repair.topic}/${repair.partition}@${repair.offset} (${repair.occurredAt})`, repair.eventId, repair.userId, repair.reason]),
        ),
    '',
    `## Decisions (${report.decisions.length})`,
    '',
    ...(report.decisions.length === 0 ? ['None.'] : report.decisions.map((decision) => `${decisionSection(decision)}\n`)),
    '',
    `## Joint view (${report.view.items.length} item(s) with events)`,
    '',
    table(
      ['item', 'status', 'target date', 'escalated', 'gd', 'hk', 'gd departments', 'hk departments', 'decisions'],
      report.view.items.map((item) => [item.itemId, item.status, item.targetDate, item.escalated ? 'yes' : 'no', sideSummary(item.sides.gd), sideSummary(item.sides.hk), item.sides.gd.departments.join(', '), item.sides.hk.departments.join(', '), item.decisions.length]),
    ),
    '',
  ];
  return out.join('\n');
}

// --- CSV ------------------------------------------------------------------------------------

const CSV_COLUMNS = ['section', 'item_id', 'decision_id', 'kind', 'state', 'side', 'event', 'user_id', 'department', 'role', 'occurred_at', 'topic', 'partition', 'offset', 'stream', 'reason', 'detail'] as const;
type CsvRow = Partial<Record<(typeof CSV_COLUMNS)[number], string | number | boolean | null>>;

/** RFC 4180, and a leading quote on anything a spreadsheet would run as a formula. */
function csvCell(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function answerRow(decision: DecisionRecord, answer: AnswerRecord): CsvRow {
  return {
    section: 'answer',
    item_id: decision.itemId,
    decision_id: decision.decisionId,
    kind: decision.kind,
    state: decision.state,
    side: answer.side,
    event: answer.type,
    user_id: answer.actor.userId,
    department: answer.actor.department,
    role: answer.actor.role,
    occurred_at: answer.occurredAt,
    reason: answer.applied ? 'counted' : 'ignored',
    detail: answer.ignoredBecause ?? answer.comment,
  };
}

/**
 * One table for spreadsheets: the `section` column says what a row is (summary, log, checkpoint,
 * offset, failure, repair, decision, answer, item), so a filter on it gives each part of the report.
 */
function renderCsv(report: AuditReport): string {
  const { verification } = report;
  const rows: CsvRow[] = [
    { section: 'summary', reason: verificationPassed(report) ? 'verified' : 'failed', detail: `events ${verification.events}; verified ${verification.verified}; duplicates ${verification.duplicates}; repaired forks ${verification.repairs.length}; seals ${verification.seals.verified}/${verification.seals.read}; cosigned checkpoints ${verification.checkpoints.verified}/${verification.checkpoints.read}; failures ${verification.failures.length}; digest ${report.digest}` },
    ...Object.entries(report.log).map(([topic, id]): CsvRow => ({ section: 'log', topic, detail: id })),
    ...(verification.checkpoint ? [{ section: 'checkpoint', reason: verification.checkpoint.log, detail: verification.checkpoint.note }] : []),
    ...Object.entries(report.offsets).map(([key, offset]): CsvRow => ({ section: 'offset', topic: key.slice(0, key.lastIndexOf('/')), partition: key.slice(key.lastIndexOf('/') + 1), offset })),
    ...verification.failures.map((failure): CsvRow => ({ section: 'failure', topic: failure.topic, partition: failure.partition, offset: failure.offset, stream: failure.stream, reason: failure.reason, detail: failure.detail })),
    ...verification.repairs.map(({ stream, fork, repair }): CsvRow => ({ section: 'repair', topic: fork.topic, partition: fork.partition, offset: fork.offset, stream, reason: repair.reason, detail: `fork ${fork.hash} (${fork.detail}) repaired by ${repair.eventId} at ${repair.topic}/${repair.partition}@${repair.offset} by ${repair.userId}` })),
    ...report.decisions.flatMap((decision): CsvRow[] => [
      {
        section: 'decision',
        item_id: decision.itemId,
        decision_id: decision.decisionId,
        kind: decision.kind,
        state: decision.state,
        side: decision.proposedBy,
        event: 'proposed',
        user_id: decision.proposal.actor.userId,
        department: decision.proposal.actor.department,
        role: decision.proposal.actor.role,
        occurred_at: decision.proposal.occurredAt,
        reason: decision.rule.code,
        detail: decision.rule.explanation,
      },
      ...decision.answers.map((answer) => answerRow(decision, answer)),
      ...decision.withdrawals.map((answer) => answerRow(decision, answer)),
    ]),
    ...report.view.items.map((item): CsvRow => ({
      section: 'item',
      item_id: item.itemId,
      state: item.status,
      detail: `gd ${sideSummary(item.sides.gd)}; hk ${sideSummary(item.sides.hk)}; target ${item.targetDate ?? 'none'}${item.escalated ? '; escalated' : ''}`,
    })),
  ];
  return `${[CSV_COLUMNS.join(','), ...rows.map((row) => CSV_COLUMNS.map((column) => csvCell(row[column])).join(','))].join('\r\n')}\r\n`;
}
