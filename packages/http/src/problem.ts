import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';

/** One invalid input field, named by its location (`body.progress`, `params.itemId`, `header.if-match`). */
export const fieldProblemSchema = z.object({ field: z.string(), message: z.string() });

/** RFC 9457 problem details, with a stable `code` (GDHK_…) that clients can branch on. */
export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(fieldProblemSchema).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly errors?: { field: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = 'HttpProblem';
  }
}

/** Errors raised below the HTTP edge carry a code and a kind; only here do they become statuses. */
interface CodedError {
  code: string;
  kind: 'forbidden' | 'conflict' | 'not_found' | 'invalid' | 'unavailable' | 'precondition';
  message: string;
}
const statusOfKind: Record<CodedError['kind'], number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  precondition: 412,
  unavailable: 503,
};
function isCodedError(error: unknown): error is CodedError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { kind?: unknown }).kind === 'string' &&
    (error as { kind: string }).kind in statusOfKind
  );
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  503: 'Service Unavailable',
};

export function problemType(code: string): string {
  return `urn:gdhk:problem:${code.toLowerCase().replace(/^gdhk_/, '').replaceAll('_', '-')}`;
}

function send(reply: FastifyReply, problem: Problem, headers: Record<string, string> = {}) {
  return reply.code(problem.status).headers(headers).type('application/problem+json').send(problem);
}

/** Maps every error to problem+json at the edge; 5xx details go to the log, never to the client. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    send(reply, { type: problemType('GDHK_ROUTE_NOT_FOUND'), title: 'Not Found', status: 404, code: 'GDHK_ROUTE_NOT_FOUND', detail: `no route ${request.method} ${request.url}` }),
  );
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = (error as FastifyError).validationContext ?? 'body';
      const errors = error.validation.map((issue) => {
        const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return { field: path ? `${context}.${path}` : context, message: issue.message ?? 'invalid' };
      });
      return send(reply, {
        type: problemType('GDHK_INVALID_INPUT'),
        title: 'Bad Request',
        status: 400,
        code: 'GDHK_INVALID_INPUT',
        detail: `invalid ${errors.map((e) => e.field).join(', ')}`,
        errors,
      });
    }
    if (error instanceof HttpProblem) {
      const problem: Problem = { type: problemType(error.code), title: error.title, status: error.status, code: error.code, detail: error.message };
      if (error.errors) problem.errors = error.errors;
      return send(reply, problem, error.headers);
    }
    if (isCodedError(error)) {
      const status = statusOfKind[error.kind];
      return send(reply, { type: problemType(error.code), title: titles[status] ?? 'Error', status, code: error.code, detail: error.message });
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = (error as FastifyError).code ?? 'GDHK_BAD_REQUEST';
      const stable = code.startsWith('GDHK_') ? code : code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'GDHK_BODY_TOO_LARGE' : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'GDHK_UNSUPPORTED_MEDIA_TYPE' : code.startsWith('FST_ERR_CTP') ? 'GDHK_INVALID_BODY' : 'GDHK_BAD_REQUEST';
      return send(reply, { type: problemType(stable), title: titles[status] ?? 'Bad Request', status, code: stable, detail: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    return send(reply, { type: problemType('GDHK_INTERNAL'), title: 'Internal Server Error', status: 500, code: 'GDHK_INTERNAL', detail: 'an internal error occurred; it has been logged' });
  });
}
