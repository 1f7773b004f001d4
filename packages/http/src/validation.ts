import type { Locale } from '@gdhk/catalogue';
import type { FastifySchemaCompiler, FastifySchemaValidationError } from 'fastify';
import { z } from 'zod';
import { safeParse, type $ZodIssue, type $ZodType } from 'zod/v4/core';

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
export const validatorCompiler: FastifySchemaCompiler<$ZodType> = ({ schema }) => (data) => {
  const result = safeParse(schema, data, { reportInput: true });
  if (result.success) return { value: result.data };
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

const localeErrors: Record<Locale, ReturnType<typeof z.locales.en>> = {
  en: z.locales.en(),
  'zh-Hans': z.locales.zhCN(),
  'zh-Hant': z.locales.zhTW(),
};

function wording(locale: Locale, issue: $ZodIssue): string | undefined {
  const worded = localeErrors[locale].localeError?.(issue as Parameters<NonNullable<ReturnType<typeof z.locales.en>['localeError']>>[0]);
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
