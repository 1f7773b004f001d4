import type { CodedError, ProblemKind } from '@gdhk/http';

// Why the write path refuses a command, beside the domain's rules (DomainError): the log, the
// stream's integrity, the caller's preconditions and keys. Codes are a public contract: add,
// never rename. The HTTP edge (@gdhk/http) turns the kind into a status.
const COMMAND_ERROR_KINDS = {
  GDHK_STREAM_INTEGRITY: 'conflict',
  GDHK_VERSION_MISMATCH: 'precondition',
  GDHK_IDEMPOTENCY_KEY_REUSED: 'unprocessable',
  GDHK_IDEMPOTENCY_IN_FLIGHT: 'conflict',
  GDHK_WRITER_FENCED: 'unavailable',
  GDHK_LOG_UNAVAILABLE: 'unavailable',
  GDHK_WRITE_OUTCOME_UNKNOWN: 'unavailable',
} as const satisfies Record<string, ProblemKind>;

export type CommandErrorCode = keyof typeof COMMAND_ERROR_KINDS;

export const COMMAND_ERROR_CODES = Object.keys(COMMAND_ERROR_KINDS) as readonly CommandErrorCode[];

/** An `unavailable` refusal always says when to retry (`Retry-After`); the others never do. */
type Hint<C extends CommandErrorCode> = (typeof COMMAND_ERROR_KINDS)[C] extends 'unavailable'
  ? [hint: { readonly retryAfterSeconds: number; readonly cause?: unknown }]
  : [hint?: { readonly cause?: unknown }];

/** A command the write path refused; nothing of it was written, except as GDHK_WRITE_OUTCOME_UNKNOWN says. */
export class CommandError<C extends CommandErrorCode = CommandErrorCode> extends Error implements CodedError {
  override readonly name = 'CommandError';
  readonly code: C;
  readonly kind: (typeof COMMAND_ERROR_KINDS)[C];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: C, message: string, ...[hint]: Hint<C>) {
    super(message, hint?.cause === undefined ? undefined : { cause: hint.cause });
    this.code = code;
    this.kind = COMMAND_ERROR_KINDS[code];
    this.retryAfterSeconds = hint && 'retryAfterSeconds' in hint ? hint.retryAfterSeconds : undefined;
  }
}
