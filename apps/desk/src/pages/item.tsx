import type { FeedEvent } from '@gdhk/client';
import { allDecisions, dataOf, wholeHistory } from '../api.ts';
import { useDesk, useLoaded } from '../app.tsx';
import { formatTime, label, type Locale, type Messages } from '../i18n.ts';
import { DecisionDetail } from './decision-rule.tsx';

/** What an event changed, in a line. */
function changeOf(event: FeedEvent, t: Messages, locale: Locale): string {
  const data = (event as { data?: Record<string, unknown> }).data ?? {};
  const text = (key: string) => (typeof data[key] === 'string' || typeof data[key] === 'number' ? String(data[key]) : undefined);
  switch (event.type) {
    case 'item.status-reported':
      return [`${label(text('status') ?? '', locale)} ${text('progress') ?? ''}%`, text('summary'), text('blockers') && `${t.blockers}: ${text('blockers')}`, text('targetDate') && `${t.targetDate}: ${text('targetDate')}`].filter(Boolean).join(' — ');
    case 'item.department-assigned':
    case 'item.department-unassigned':
      return text('department') ?? '';
    case 'decision.proposed':
      return [label(text('kind') ?? '', locale), text('rationale'), text('targetDate')].filter(Boolean).join(' — ');
    default:
      return [text('decisionId'), text('comment')].filter(Boolean).join(' — ');
  }
}

export function ItemPage({ itemId }: { itemId: string }) {
  const { t, locale } = useDesk();
  const { data, rebuilding } = useLoaded(
    async (api) => {
      const [item, history, decisions] = await Promise.all([
        dataOf(api.client.GET('/v1/items/{itemId}', { params: { path: { itemId } } })),
        wholeHistory(api, itemId),
        allDecisions(api, { itemId }),
      ]);
      return { item, history, decisions };
    },
    [itemId],
  );
  if (!data) return <p role="status">{rebuilding ? t.rebuilding : t.loading}</p>;
  const { item, history, decisions } = data;
  return (
    <article class="item-page" data-testid="item-page">
      <p><a href="#/">{t.backToOverview}</a></p>
      <h2>
        {item.itemId} <span class="badge">{label(item.status, locale)}</span>
        {item.overdue && <span class="flag overdue">{t.overdue}</span>}
        {item.integrity !== 'ok' && <span class="flag integrity">{t.integrity}: {item.integrity}</span>}
      </h2>
      <p>{item.chapter.number}. {item.chapter.title}{item.section ? ` — ${item.section.title}` : ''}</p>
      <section aria-labelledby="plan-text">
        <h3 id="plan-text">{t.planText}</h3>
        <p class="plan" data-testid="plan-text">{item.text}</p>
        <p>{t.targetDate}: {item.targetDate ?? '—'}</p>
      </section>
      <div class="side-parts">
        {(['gd', 'hk'] as const).map((side) => {
          const part = item.sides[side];
          return (
            <section key={side} aria-labelledby={`side-${side}`} class="side-part">
              <h3 id={`side-${side}`}>{label(side, locale)}</h3>
              <dl>
                <dt>{t.status}</dt><dd>{label(part.status, locale)} — {part.progress}%</dd>
                <dt>{t.reportedAt}</dt><dd>{part.summary ?? t.noSummary} ({formatTime(part.reportedAt, locale)})</dd>
                {part.nextSteps && <><dt>{t.nextSteps}</dt><dd>{part.nextSteps}</dd></>}
                {part.blockers && <><dt>{t.blockers}</dt><dd>{part.blockers}</dd></>}
                <dt>{t.departments}</dt><dd>{part.departments.length > 0 ? part.departments.join(', ') : t.none}</dd>
                <dt>{t.streamVersion}</dt><dd>{part.streamVersion}</dd>
              </dl>
            </section>
          );
        })}
      </div>
      <section aria-labelledby="history-title">
        <h3 id="history-title">{t.history}</h3>
        <p>{t.historyIntro}</p>
        <div class="table-wrap">
          <table data-testid="history">
            <thead><tr><th scope="col">{t.time}</th><th scope="col">{t.side}</th><th scope="col">{t.actor}</th><th scope="col">{t.event}</th><th scope="col">{t.change}</th></tr></thead>
            <tbody>
              {history.map((event) => {
                const actor = (event as { actor?: { userId?: string; role?: string; department?: string } }).actor;
                return (
                  <tr key={event.eventId} data-side={event.side} data-occurred-at={String((event as { occurredAt?: string }).occurredAt ?? '')} data-event-id={event.eventId}>
                    <td>{formatTime((event as { occurredAt?: string }).occurredAt, locale)}</td>
                    <td>{label(event.side, locale)} #{event.streamVersion}</td>
                    <td>{actor?.userId} ({actor?.role}{actor?.department ? `, ${actor.department}` : ''})</td>
                    <td>{label(event.type, locale)}</td>
                    <td>{changeOf(event, t, locale)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      </section>
      <section aria-labelledby="decisions-title">
        <h3 id="decisions-title">{t.decisions}</h3>
        {decisions.length === 0 ? <p>{t.none}</p> : decisions.map((decision) => <DecisionDetail key={decision.decisionId} decision={decision} />)}
      </section>
    </article>
  );
}
