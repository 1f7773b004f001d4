import type { z } from 'zod';
import { PlanSchema } from './schema.ts';
import type { Plan } from './schema.ts';

export type CatalogueErrorCode = 'GDHK_CATALOGUE_INVALID' | 'GDHK_CATALOGUE_MALFORMED_JSON';

export interface CatalogueIssue {
  /** Where in the plan, e.g. `items[3].text.en`; `(root)` for the document itself. */
  readonly path: string;
  /** The item's id when the issue is inside an item and the input gave it one. */
  readonly itemId?: string;
  readonly message: string;
}

/** Shown in the message; `issues` always holds them all. */
const ISSUES_IN_MESSAGE = 10;

export class CatalogueError extends Error {
  override readonly name = 'CatalogueError';
  readonly code: CatalogueErrorCode;
  readonly issues: readonly CatalogueIssue[];

  constructor(code: CatalogueErrorCode, summary: string, issues: readonly CatalogueIssue[]) {
    const lines = issues.slice(0, ISSUES_IN_MESSAGE).map((issue) => `  - ${describeIssue(issue)}`);
    if (issues.length > ISSUES_IN_MESSAGE) lines.push(`  … and ${issues.length - ISSUES_IN_MESSAGE} more`);
    super([summary, ...lines].join('\n'));
    this.code = code;
    this.issues = issues;
  }
}

export interface LoadOptions {
  /** Names the input in error messages, e.g. the file it came from. */
  readonly source?: string;
}

/** Validates a plan (parsed JSON, typically) or throws a CatalogueError naming every bad field. */
export function loadPlan(input: unknown, options: LoadOptions = {}): Plan {
  const result = PlanSchema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => toCatalogueIssue(issue, input));
  const where = options.source === undefined ? '' : ` in ${options.source}`;
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  throw new CatalogueError('GDHK_CATALOGUE_INVALID', `Invalid plan${where}: ${count}`, issues);
}

/** loadPlan for a file's contents. */
export function parsePlanJson(text: string, options: LoadOptions = {}): Plan {
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (error) {
    const where = options.source === undefined ? '' : ` in ${options.source}`;
    const message = error instanceof Error ? error.message : String(error);
    throw new CatalogueError('GDHK_CATALOGUE_MALFORMED_JSON', `Plan${where} is not valid JSON`, [
      { path: '(root)', message },
    ]);
  }
  return loadPlan(input, options);
}

function describeIssue(issue: CatalogueIssue): string {
  const item = issue.itemId === undefined ? '' : ` (item ${issue.itemId})`;
  return `${issue.path}${item}: ${issue.message}`;
}

function toCatalogueIssue(issue: z.core.$ZodIssue, input: unknown): CatalogueIssue {
  const path = formatPath(issue.path);
  const [head, index] = issue.path;
  const itemId = head === 'items' && typeof index === 'number' ? idOfItemAt(input, index) : undefined;
  return itemId === undefined ? { path, message: issue.message } : { path, itemId, message: issue.message };
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}

function idOfItemAt(input: unknown, index: number): string | undefined {
  if (!isRecord(input) || !Array.isArray(input.items)) return undefined;
  const item: unknown = input.items[index];
  return isRecord(item) && typeof item.id === 'string' && item.id !== '' ? item.id : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
