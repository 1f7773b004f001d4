import { z } from 'zod';

export class ConfigError extends Error {
  readonly code = 'GDHK_CONFIG_INVALID';
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = problems;
    this.name = 'ConfigError';
  }
}

/**
 * Parses the environment once, at start-up. Every problem is reported at once, naming the
 * variable, so a wrong deployment fails with one readable message rather than the first symptom.
 */
export function parseConfig<S extends z.ZodType>(schema: S, env: Record<string, string | undefined>): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => {
      // The variable is the path's head; a deeper path is a part of its parsed value (one broker
      // of KAFKA_BROKERS), whose raw text is still the whole variable.
      const [variable, ...part] = issue.path;
      if (variable === undefined) return `(environment): ${issue.message}`;
      const name = String(variable);
      const within = part.length > 0 ? ` (in entry ${part.map(String).join('.')})` : '';
      return `${name}: ${issue.message}${within} (got ${JSON.stringify(env[name]) ?? 'nothing'})`;
    }),
  );
}

/**
 * A whole number written in decimal, within bounds. Stricter than `z.coerce.number()`, which
 * reads "" and " " as 0 and "1e3" as 1000, and says "received NaN" for "abc".
 */
export function wholeNumber(min: number, max?: number) {
  const expected = max === undefined ? `expected a whole number ≥ ${min}` : `expected a whole number from ${min} to ${max}`;
  const bounded = z.number().min(min, expected);
  return z
    .string()
    .regex(/^-?\d+$/, expected)
    .transform(Number)
    .pipe(max === undefined ? bounded : bounded.max(max, expected));
}

export const portNumber = wholeNumber(0, 65535);

/** An optional variable set to the empty string counts as unset (`KAFKA_BROKERS= npm start`). */
export function unsetWhenEmpty<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
}

export const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');
