import { useState } from 'preact/hooks';
import { allDecisions } from '../api.ts';
import { useDesk, useLoaded } from '../app.tsx';
import { formatTime, label } from '../i18n.ts';
import { Choice } from '../choice.tsx';
import { ruleOf } from './decision-rule.tsx';

const STATES = ['open', 'effective', 'rejected', 'withdrawn'] as const;
const KINDS = ['close_item', 'reopen_item', 'extend_deadline', 'escalate'] as const;

export function DecisionsPage() {
  const { t, locale } = useDesk();
  const [state, setState] = useState<(typeof STATES)[number] | undefined>(undefined);
  const [kind, setKind] = useState<(typeof KINDS)[number] | undefined>(undefined);
  const { data, rebuilding } = useLoaded(async (api) => allDecisions(api, state ? { state } : {}), [state]);
  if (!data) return <p role="status">{rebuilding ? t.rebuilding : t.loading}</p>;
  const shown = data.filter((decision) => kind === undefined || decision.kind === kind);
  return (
    <section aria-labelledby="decisions-page">
      <h2 id="decisions-page">{t.decisions}</h2>
      <div class="filters">
        <Choice title={t.state} value={state} values={STATES} onChange={setState} />
        <Choice title={t.kind} value={kind} values={KINDS} onChange={setKind} />
      </div>
      <div class="table-wrap">
        <table data-testid="decisions">
          <thead><tr><th scope="col">{t.item}</th><th scope="col">{t.kind}</th><th scope="col">{t.state}</th><th scope="col">{t.proposedBy}</th><th scope="col">{t.proposedAt}</th><th scope="col">{t.rationale}</th><th scope="col">{t.answers}</th></tr></thead>
          <tbody>
            {shown.length === 0 && <tr><td colSpan={7}>{t.none}</td></tr>}
            {shown.map((decision) => (
              <tr key={decision.decisionId}>
                <td><a href={`#/items/${decision.itemId}`}>{decision.itemId}</a></td>
                <td>{label(decision.kind, locale)}</td>
                <td>{label(decision.state, locale)}</td>
                <td>{label(decision.proposedBy, locale)} ({decision.proposal.actor.userId})</td>
                <td>{formatTime(decision.proposal.occurredAt, locale)}</td>
                <td>{decision.proposal.rationale}</td>
                <td>{ruleOf(decision, t)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
