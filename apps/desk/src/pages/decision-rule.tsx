import type { Decision } from '@gdhk/client';
import { useDesk } from '../app.tsx';
import { formatTime, label } from '../i18n.ts';

/** Why a decision is effective or not, in words. */
export function ruleOf(decision: Decision, t: ReturnType<typeof useDesk>['t']): string {
  const resolution = decision.resolution;
  if (!resolution) return t.ruleOpen;
  if (resolution.reason === 'superseded') return t.ruleSuperseded(resolution.supersededBy);
  return { approved: t.ruleEffective, rejected: t.ruleRejected, withdrawn: t.ruleWithdrawn }[resolution.reason];
}

/** A decision with its proposal, every answer (applied or ignored) and the rule that settled it. */
export function DecisionDetail({ decision }: { decision: Decision }) {
  const { t, locale } = useDesk();
  return (
    <article class="decision" data-testid="decision" data-state={decision.state}>
      <h3>
        {label(decision.kind, locale)} — <span class="badge">{label(decision.state, locale)}</span>
      </h3>
      <p>
        {t.proposedBy}: {label(decision.proposedBy, locale)} ({decision.proposal.actor.userId}), {formatTime(decision.proposal.occurredAt, locale)}
      </p>
      <p>{t.rationale}: {decision.proposal.rationale}{decision.proposal.targetDate ? ` — ${t.targetDate}: ${decision.proposal.targetDate}` : ''}</p>
      <h4>{t.answers}</h4>
      {decision.answers.length === 0 ? <p>{t.none}</p> : (
        <ul>
          {decision.answers.map((answer) => (
            <li key={answer.eventId}>
              {label(answer.type, locale)} — {label(answer.side, locale)} ({answer.actor.userId}), {formatTime(answer.occurredAt, locale)}
              {answer.comment ? `: ${answer.comment}` : ''} — {answer.applied ? t.applied : t.ignored}
            </li>
          ))}
        </ul>
      )}
      <p class="rule">{ruleOf(decision, t)}</p>
    </article>
  );
}
