/** How the HTTP edge answers: forbidden → 403, conflict → 409, not_found → 404, invalid → 400. */
export type ErrorKind = 'forbidden' | 'conflict' | 'not_found' | 'invalid';

// Codes are a public contract (clients and dashboards match on them): add, never rename.
const ERROR_CATALOGUE = {
  GDHK_INVALID_INPUT: { kind: 'invalid', title: 'The input does not match its schema' },
  GDHK_STATUS_NEEDS_BLOCKERS: { kind: 'invalid', title: 'A blocked status must name its blockers' },
  GDHK_STATUS_NEEDS_FULL_PROGRESS: { kind: 'invalid', title: 'A completed status must report progress 100' },
  GDHK_TARGET_DATE_REQUIRED: { kind: 'invalid', title: 'An extend_deadline decision needs a targetDate' },
  GDHK_TARGET_DATE_NOT_ALLOWED: { kind: 'invalid', title: 'Only an extend_deadline decision carries a targetDate' },
  GDHK_TARGET_DATE_PAST: { kind: 'invalid', title: 'The new target date lies before today in Hong Kong' },
  GDHK_TARGET_DATE_NOT_LATER: { kind: 'conflict', title: 'The new target date is not later than the current one' },
  GDHK_WRONG_SIDE: { kind: 'forbidden', title: "No one writes the other side's stream" },
  GDHK_ROLE_FORBIDDEN: { kind: 'forbidden', title: 'The role may not do this' },
  GDHK_NOT_ASSIGNED: { kind: 'forbidden', title: "The item is not assigned to the reporter's department" },
  GDHK_ITEM_CLOSED: { kind: 'conflict', title: 'The item is closed' },
  GDHK_ITEM_NOT_CLOSED: { kind: 'conflict', title: 'The item is not closed' },
  GDHK_ITEM_COMPLETED: { kind: 'conflict', title: "This side's completed item moves again only after an effective reopen_item" },
  GDHK_NOT_BOTH_COMPLETED: { kind: 'conflict', title: 'Closing needs both sides completed' },
  GDHK_ALREADY_ASSIGNED: { kind: 'conflict', title: 'The department is already assigned to the item' },
  GDHK_ALREADY_UNASSIGNED: { kind: 'conflict', title: 'The department is not assigned to the item' },
  GDHK_ALREADY_ESCALATED: { kind: 'conflict', title: 'The item is already escalated to the joint conference' },
  GDHK_DECISION_EXISTS: { kind: 'conflict', title: 'The decision id is already taken' },
  GDHK_DECISION_OPEN_EXISTS: { kind: 'conflict', title: 'A decision of this kind is already open for the item' },
  GDHK_DECISION_NOT_FOUND: { kind: 'not_found', title: 'No such decision on the item' },
  GDHK_DECISION_NOT_OPEN: { kind: 'conflict', title: 'The decision is no longer open' },
  GDHK_OWN_SIDE_DECISION: { kind: 'forbidden', title: "A side's own proposal is approved by proposing it; only the other side answers" },
  GDHK_NOT_PROPOSER_SIDE: { kind: 'forbidden', title: "Only the proposer's side may withdraw a decision" },
  GDHK_STREAM_NOT_HALTED: { kind: 'conflict', title: "The side's stream of the item is not halted: there is nothing to repair" },
  GDHK_FORK_MISMATCH: { kind: 'conflict', title: 'The repair names another record than the one that halted the stream' },
  GDHK_CONTEXT_MISMATCH: { kind: 'invalid', title: 'The command or states belong to another item or side' },
  GDHK_EVENT_INVALID: { kind: 'invalid', title: 'The event does not match its schema' },
  GDHK_EVENT_VERSION_UNSUPPORTED: { kind: 'invalid', title: 'The event schema version cannot be read' },
  GDHK_EVENT_OUT_OF_ORDER: { kind: 'invalid', title: 'The event does not extend this stream' },
} as const satisfies Record<string, { kind: ErrorKind; title: string }>;

export type DomainErrorCode = keyof typeof ERROR_CATALOGUE;

export const DOMAIN_ERROR_CODES = Object.keys(ERROR_CATALOGUE) as readonly DomainErrorCode[];

export interface ErrorCodeDescription {
  code: DomainErrorCode;
  kind: ErrorKind;
  title: string;
}

export function describeErrorCode(code: DomainErrorCode): ErrorCodeDescription {
  return { code, ...ERROR_CATALOGUE[code] };
}

export function isDomainErrorCode(value: string): value is DomainErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, value);
}

/** A broken rule, raised by the domain and mapped to a problem document only at the HTTP edge. */
export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: DomainErrorCode;
  readonly kind: ErrorKind;
  /** Structured facts for the problem document, e.g. the invalid fields. Plain JSON. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: DomainErrorCode, message?: string, details?: Record<string, unknown>) {
    super(message ?? ERROR_CATALOGUE[code].title);
    this.code = code;
    this.kind = ERROR_CATALOGUE[code].kind;
    this.details = details;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}
