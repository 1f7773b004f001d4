import { dataOf } from '../api.ts';
import { useDesk, useLoaded } from '../app.tsx';

export function VerificationPage() {
  const { t } = useDesk();
  const { data, rebuilding } = useLoaded(async (api) => dataOf(api.client.GET('/v1/digest')));
  if (!data) return <p role="status">{rebuilding ? t.rebuilding : t.loading}</p>;
  const until = Object.entries(data.offsets);
  return (
    <section aria-labelledby="verification-title">
      <h2 id="verification-title">{t.verificationTitle}</h2>
      <p>{t.verificationIntro}</p>
      <dl>
        <dt>{t.digest}</dt>
        <dd><code data-testid="digest">{data.digest}</code></dd>
        <dt>{t.itemsWritten}</dt>
        <dd>{data.items}</dd>
      </dl>
      <h3>{t.offsets}</h3>
      <div class="table-wrap">
        <table>
          <thead><tr><th scope="col">{t.topicPartition}</th><th scope="col">{t.offset}</th></tr></thead>
          <tbody>{until.map(([topicPartition, offset]) => <tr key={topicPartition}><td><code>{topicPartition}</code></td><td>{offset}</td></tr>)}</tbody>
        </table>
      </div>
      <h3>{t.reproduce}</h3>
      <p>{t.reproduceIntro}</p>
      <pre><code>npm run audit -- replay --format json --out report.json{'\n'}node -e "console.log(require('./report.json').digest)"</code></pre>
    </section>
  );
}
