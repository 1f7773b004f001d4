import type { Locale } from '@gdhk/catalogue';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { z } from 'zod';
import { safeParse, type $ZodErrorMap, type $ZodIssue, type $ZodRawIssue, type $ZodType } from 'zod/v4/core';

const ISSUE = Symbol.for('gdhk.validation-issue');

/** One failed check of a request part, as fastify carries it to the error handler. */
export interface ValidationIssue extends FastifySchemaValidationError {
  readonly [ISSUE]: true;
  readonly message: string;
  readonly params: { readonly issue: $ZodIssue };
}

export function isValidationIssueList(value: unknown): value is ValidationIssue[] {
  return Array.isArray(value) && value.length > 0 && value.every((entry) => typeof entry === 'object' && entry !== null && ISSUE in entry);
}

/**
 * fastify-type-provider-zod's validator, but keeping each zod issue whole (with its input, which
 * never leaves the process) so the error handler can word it in the language the caller asked for.
 */
export const validatorCompiler: FastifySchemaCompiler<$ZodType> = ({ schema, httpPart }) => (data) => {
  const result = safeParse(schema, data, { reportInput: true });
  if (result.success) return httpPart === 'headers' && unchanged(data, result.data) ? {} : { value: result.data };
  const issues: ValidationIssue[] = result.error.issues.map((issue) => ({
    [ISSUE]: true,
    keyword: issue.code,
    instancePath: `/${issue.path.join('/')}`,
    schemaPath: `#/${issue.path.join('/')}/${issue.code}`,
    message: issue.message,
    params: { issue },
  }));
  return { error: issues };
};

/**
 * Whether every header the schema gave back is the one received. fastify lays the value a header
 * validator returns over the received headers, and from then on copies both into a new object at
 * every read of `request.headers`; when nothing was transformed or defaulted there is nothing to
 * lay over, and `request.headers` stays the received object.
 */
function unchanged(received: unknown, parsed: unknown): boolean {
  if (typeof received !== 'object' || received === null || typeof parsed !== 'object' || parsed === null) return false;
  for (const key in parsed) {
    if ((parsed as Record<string, unknown>)[key] !== (received as Record<string, unknown>)[key]) return false;
  }
  return true;
}

const localeErrors: Record<Locale, $ZodErrorMap | undefined> = {
  en: z.locales.en().localeError,
  'zh-Hans': z.locales.zhCN().localeError,
  'zh-Hant': z.locales.zhTW().localeError,
};

function wording(locale: Locale, issue: $ZodIssue): string | undefined {
  // A final issue keeps every field the locale maps read; `input` is there because the
  // validator parses with reportInput (zod types it optional on final issues, required on raw ones).
  const raw = { ...issue, input: issue.input } as $ZodRawIssue;
  const worded = localeErrors[locale]?.(raw);
  return typeof worded === 'string' ? worded : worded?.message;
}

/**
 * The issue's message in `locale`. A message a schema wrote itself (one that is not zod's English
 * default) is kept as written: it names a format, not a sentence zod could translate.
 */
export function localizeIssue(issue: ValidationIssue, locale: Locale): string {
  const { issue: raw } = issue.params;
  const english = wording('en', raw);
  if (english !== undefined && english !== issue.message) return issue.message;
  return wording(locale, raw) ?? issue.message;
}
