import type { JointItem, Summary } from '@gdhk/client';
import { useState } from 'preact/hooks';
import { dataOf, download } from '../api.ts';
import { useDesk, useLoaded } from '../app.tsx';
import { Choice } from '../choice.tsx';
import { label, type Messages } from '../i18n.ts';

const STATUSES = ['not_started', 'in_progress', 'blocked', 'awaiting_decision', 'closed'] as const;
type Status = (typeof STATUSES)[number];

function shorten(text: string | null, length = 80): string | null {
  if (!text) return text;
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}

export function OverviewPage() {
  const { t, locale } = useDesk();
  const { data, rebuilding } = useLoaded(async (api) => {
    const [items, summary] = await Promise.all([dataOf(api.client.GET('/v1/items')), dataOf(api.client.GET('/v1/summary'))]);
    return { items: items.items, summary };
  });
  const [chapter, setChapter] = useState<number | undefined>(undefined);
  const [status, setStatus] = useState<Status | undefined>(undefined);
  const [department, setDepartment] = useState<string | undefined>(undefined);
  const [overdueOnly, setOverdueOnly] = useState(false);

  if (!data) return <p role="status">{rebuilding ? t.rebuilding : t.loading}</p>;
  const departments = [...new Set(data.items.flatMap((item) => [...item.sides.gd.departments, ...item.sides.hk.departments]))].sort((a, b) => a.localeCompare(b, locale));
  const shown = data.items.filter(
    (item) =>
      (chapter === undefined || item.chapter.number === chapter) &&
      (status === undefined || item.status === status) &&
      (!overdueOnly || item.overdue) &&
      (department === undefined || item.sides.gd.departments.includes(department) || item.sides.hk.departments.includes(department)),
  );
  const chapters = data.summary.chapters.filter((entry) => shown.some((item) => item.chapter.number === entry.number));
  return (
    <>
      {rebuilding && <p role="status">{t.rebuilding}</p>}
      <StatusChart summary={data.summary} t={t} />
      <section aria-labelledby="filters-title" class="filters">
        <h2 id="filters-title">{t.filters}</h2>
        <label>
          {t.chapter}
          <select data-testid="filter-chapter" value={chapter ?? ''} onChange={(event) => setChapter(event.currentTarget.value === '' ? undefined : Number(event.currentTarget.value))}>
            <option value="">{t.all}</option>
            {data.summary.chapters.map((entry) => <option key={entry.number} value={entry.number}>{entry.number}. {entry.title}</option>)}
          </select>
        </label>
        <Choice title={t.status} value={status} values={STATUSES} onChange={setStatus} testId="filter-status" />
        <label>
          {t.department}
          <select data-testid="filter-department" value={department ?? ''} onChange={(event) => setDepartment(event.currentTarget.value === '' ? undefined : event.currentTarget.value)}>
            <option value="">{t.all}</option>
            {departments.map((name) => <option key={name} value={name}>{name}</option>)}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" checked={overdueOnly} onChange={(event) => setOverdueOnly(event.currentTarget.checked)} />
          {t.overdueOnly}
        </label>
        <p role="status" data-testid="shown">{t.shown(shown.length, data.items.length)}</p>
        <Exports />
      </section>
      {chapters.map((entry) => (
        <section key={entry.number} aria-labelledby={`chapter-${entry.number}`} class="chapter" data-testid="chapter">
          <h2 id={`chapter-${entry.number}`}>{entry.number}. {entry.title}</h2>
          <ul class="grid">
            {shown.filter((item) => item.chapter.number === entry.number).map((item) => <ItemCard key={item.itemId} item={item} t={t} />)}
          </ul>
        </section>
      ))}
    </>
  );
}

function ItemCard({ item, t }: { item: JointItem; t: Messages }) {
  const { locale } = useDesk();
  return (
    <li class={`card status-${item.status}`} data-testid="item" data-item={item.itemId} data-status={item.status}>
      <h3>
        <a href={`#/items/${item.itemId}`}>
          <span class="item-id">{item.itemId}</span> <span class="badge">{label(item.status, locale)}</span>
        </a>
      </h3>
      <p class="text" data-testid="item-text">{shorten(item.text, 90)}</p>
      <dl class="sides">
        {(['gd', 'hk'] as const).map((side) => (
          <div key={side}>
            <dt>{t[side]}</dt>
            <dd>
              <progress max={100} value={item.sides[side].progress} aria-label={`${t[side]} ${t.progress}`} /> <span data-testid={`progress-${side}`}>{item.sides[side].progress}%</span>
              <span class="summary" data-testid={`summary-${side}`}>{shorten(item.sides[side].summary, 60) ?? t.noSummary}</span>
            </dd>
          </div>
        ))}
      </dl>
      <p class="flags">
        {item.overdue && <span class="flag overdue">{t.overdue}</span>}
        {item.openDecisions.length > 0 && <span class="flag decisions">{t.openDecisions}: {item.openDecisions.map((decision) => label(decision.kind, locale)).join(', ')}</span>}
        {item.integrity !== 'ok' && <span class="flag integrity" title={item.integrity}>{t.integrity}: {item.integrity}</span>}
      </p>
    </li>
  );
}

const COLOURS: Record<Status, string> = { not_started: '#6b7280', in_progress: '#1d4ed8', blocked: '#b91c1c', awaiting_decision: '#a16207', closed: '#15803d' };

/** Stacked bars per chapter; the same numbers as a table for screen readers. */
function StatusChart({ summary, t }: { summary: Summary; t: Messages }) {
  const { locale } = useDesk();
  const max = Math.max(1, ...summary.chapters.map((chapter) => chapter.total));
  const rowHeight = 22;
  const width = 640;
  const labelWidth = 70;
  return (
    <figure class="chart" aria-labelledby="chart-title">
      <figcaption id="chart-title"><h2>{t.chartTitle}</h2></figcaption>
      <svg viewBox={`0 0 ${width} ${summary.chapters.length * rowHeight + 8}`} role="img" aria-labelledby="chart-title" data-testid="chart">
        {summary.chapters.map((chapter, row) => {
          let x = labelWidth;
          return (
            <g key={chapter.number} transform={`translate(0 ${row * rowHeight + 4})`}>
              <text x={0} y={16} font-size="13" fill="currentColor">{t.chartChapter(chapter.number)}</text>
              {STATUSES.map((status) => {
                const count = chapter.byStatus[status];
                const barWidth = (count / max) * (width - labelWidth - 10);
                const rect = count > 0 ? <rect key={status} x={x} y={2} width={barWidth} height={rowHeight - 8} fill={COLOURS[status]}><title>{`${label(status, locale)}: ${count}`}</title></rect> : null;
                x += barWidth;
                return rect;
              })}
            </g>
          );
        })}
      </svg>
      <ul class="legend" aria-hidden="true">
        {STATUSES.map((status) => <li key={status}><span class="swatch" style={{ background: COLOURS[status] }} /> {label(status, locale)} ({summary.byStatus[status]})</li>)}
      </ul>
      <table class="visually-hidden">
        <caption>{t.chartTitle}</caption>
        <thead><tr><th scope="col">{t.chapter}</th>{STATUSES.map((status) => <th key={status} scope="col">{label(status, locale)}</th>)}</tr></thead>
        <tbody>
          {summary.chapters.map((chapter) => (
            <tr key={chapter.number}><th scope="row">{chapter.number}. {chapter.title}</th>{STATUSES.map((status) => <td key={status}>{chapter.byStatus[status]}</td>)}</tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}

export function Exports() {
  const desk = useDesk();
  const { t } = desk;
  const exportOf = (what: 'items' | 'decisions', format: 'csv' | 'xlsx') => () => void download(desk.api, what, format).catch(desk.fail);
  return (
    <div class="exports" role="group" aria-label={t.exports}>
      <span>{t.exports}:</span>
      <button type="button" onClick={exportOf('items', 'csv')} data-testid="export-items-csv">{t.exportItemsCsv}</button>
      <button type="button" onClick={exportOf('items', 'xlsx')} data-testid="export-items-xlsx">{t.exportItemsXlsx}</button>
      <button type="button" onClick={exportOf('decisions', 'csv')}>{t.exportDecisionsCsv}</button>
      <button type="button" onClick={exportOf('decisions', 'xlsx')}>{t.exportDecisionsXlsx}</button>
    </div>
  );
}
