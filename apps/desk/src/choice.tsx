import { useDesk } from './app.tsx';
import { label } from './i18n.ts';

/** A filter over a closed list of values, shown by their labels; "all" is no choice. */
export function Choice<T extends string>({ title, value, values, onChange, testId }: { title: string; value: T | undefined; values: readonly T[]; onChange: (value: T | undefined) => void; testId?: string }) {
  const { t, locale } = useDesk();
  return (
    <label>
      {title}
      <select data-testid={testId} value={value ?? ''} onChange={(event) => onChange(values.find((candidate) => candidate === event.currentTarget.value))}>
        <option value="">{t.all}</option>
        {values.map((candidate) => <option key={candidate} value={candidate}>{label(candidate, locale)}</option>)}
      </select>
    </label>
  );
}
