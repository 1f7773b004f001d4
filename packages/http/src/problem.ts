import { negotiateLocale, type Locale } from '@gdhk/catalogue';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isResponseSerializationError } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { localizedDetail } from './problem-sentences.ts';
import { addVary } from './vary.ts';
import { isValidationIssueList, localizeIssue } from './validation.ts';

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
    instance: z.string().optional().describe("the request's correlation id (X-Correlation-Id)"),
    errors: z.array(fieldProblemSchema).optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

export class HttpProblem extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly errors?: { field: string; message: string }[];
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    title: string,
    detail?: string,
    errors?: { field: string; message: string }[],
    headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = errors;
    this.headers = headers;
    this.name = 'HttpProblem';
  }
}

/** What an error raised below the HTTP edge says about how to answer; only here does a kind become a status. */
export type ProblemKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'gone' | 'precondition' | 'unprocessable' | 'unavailable';

/**
 * An error raised below the HTTP edge (the domain's `DomainError`, a service's own coded errors):
 * a stable code and a kind, and for `unavailable` how soon a retry may succeed.
 */
export interface CodedError {
  readonly code: string;
  readonly kind: ProblemKind;
  readonly message: string;
  /** `Retry-After` of an `unavailable` answer (2 s when not said) */
  readonly retryAfterSeconds?: number;
}
const statusOfKind: Record<ProblemKind, number> = {
  invalid: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  precondition: 412,
  unprocessable: 422,
  unavailable: 503,
};
const DEFAULT_RETRY_AFTER_SECONDS = 2;
function isCodedError(error: unknown): error is CodedError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { kind?: unknown }).kind === 'string' &&
    Object.hasOwn(statusOfKind, (error as { kind: string }).kind)
  );
}

// Titles by status in the three languages of the catalogue; `code` stays the stable, untranslated key.
const titles: Record<number, Record<Locale, string>> = {
  400: { en: 'Bad Request', 'zh-Hant': '請求無效', 'zh-Hans': '请求无效' },
  401: { en: 'Unauthorized', 'zh-Hant': '未獲授權', 'zh-Hans': '未获授权' },
  403: { en: 'Forbidden', 'zh-Hant': '禁止存取', 'zh-Hans': '禁止访问' },
  404: { en: 'Not Found', 'zh-Hant': '找不到', 'zh-Hans': '找不到' },
  409: { en: 'Conflict', 'zh-Hant': '與規則衝突', 'zh-Hans': '与规则冲突' },
  410: { en: 'Gone', 'zh-Hant': '已不再提供', 'zh-Hans': '已不再提供' },
  412: { en: 'Precondition Failed', 'zh-Hant': '前提條件不成立', 'zh-Hans': '前提条件不成立' },
  413: { en: 'Content Too Large', 'zh-Hant': '內容過大', 'zh-Hans': '内容过大' },
  415: { en: 'Unsupported Media Type', 'zh-Hant': '不支援的媒體類型', 'zh-Hans': '不支持的媒体类型' },
  422: { en: 'Unprocessable Content', 'zh-Hant': '無法處理的內容', 'zh-Hans': '无法处理的内容' },
  429: { en: 'Too Many Requests', 'zh-Hant': '請求過多', 'zh-Hans': '请求过多' },
  500: { en: 'Internal Server Error', 'zh-Hant': '內部伺服器錯誤', 'zh-Hans': '内部服务器错误' },
  503: { en: 'Service Unavailable', 'zh-Hant': '服務暫時無法使用', 'zh-Hans': '服务暂时不可用' },
};

const invalidFields: Record<Locale, (fields: string) => string> = {
  en: (fields) => `invalid ${fields}`,
  'zh-Hant': (fields) => `以下欄位無效：${fields}`,
  'zh-Hans': (fields) => `以下字段无效：${fields}`,
};

const internalDetail: Record<Locale, string> = {
  en: 'an internal error occurred; it has been logged',
  'zh-Hant': '發生內部錯誤，已記錄',
  'zh-Hans': '发生内部错误，已记录',
};

function titleOf(status: number, locale: Locale): string {
  return titles[status]?.[locale] ?? titles[status >= 500 ? 500 : 400]?.[locale] ?? 'Error';
}

export function problemType(code: string): string {
  return `urn:gdhk:problem:${code.toLowerCase().replace(/^gdhk_/, '').replaceAll('_', '-')}`;
}

/**
 * Sends a problem in the caller's language (titles, field messages), with `instance` set to the
 * request's correlation id so a report quoting it finds the log line.
 */
function send(request: FastifyRequest, reply: FastifyReply, problem: Omit<Problem, 'title'> & { title?: string }, headers: Record<string, string> = {}) {
  const locale = negotiateLocale(request.headers['accept-language']);
  const body: Problem = { ...problem, title: problem.title ?? titleOf(problem.status, locale), instance: request.id };
  // Validation details are worded per language already; others get the code's sentence.
  if (problem.code !== 'GDHK_INVALID_INPUT' || problem.errors === undefined) {
    const detail = localizedDetail(problem.code, problem.detail, locale);
    if (detail !== undefined) body.detail = detail;
  }
  addVary(reply, 'Accept-Language');
  return reply.code(problem.status).headers(headers).header('content-language', locale).type('application/problem+json').send(body);
}

/** Maps every error to problem+json at the edge; 5xx details go to the log, never to the client. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setNotFoundHandler((request, reply) =>
    send(request, reply, { type: problemType('GDHK_ROUTE_NOT_FOUND'), status: 404, code: 'GDHK_ROUTE_NOT_FOUND', detail: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    const validation = (error as FastifyError).validation;
    if (isValidationIssueList(validation)) {
      const locale = negotiateLocale(request.headers['accept-language']);
      const context = (error as FastifyError).validationContext ?? 'body';
      const errors = validation.map((issue) => {
        const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return { field: path ? `${context}.${path}` : context, message: localizeIssue(issue, locale) };
      });
      return send(request, reply, {
        type: problemType('GDHK_INVALID_INPUT'),
        status: 400,
        code: 'GDHK_INVALID_INPUT',
        detail: invalidFields[locale](errors.map((e) => e.field).join(', ')),
        errors,
      });
    }
    if (error instanceof HttpProblem) {
      const problem: Omit<Problem, 'title'> = { type: problemType(error.code), status: error.status, code: error.code, detail: error.message };
      if (error.errors) problem.errors = error.errors;
      return send(request, reply, problem, error.headers);
    }
    if (isCodedError(error)) {
      // Unavailable means "retry shortly": say when.
      const headers: Record<string, string> = error.kind === 'unavailable' ? { 'retry-after': String(error.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS) } : {};
      return send(request, reply, { type: problemType(error.code), status: statusOfKind[error.kind], code: error.code, detail: error.message }, headers);
    }
    if (isResponseSerializationError(error)) {
      request.log.error({ err: error, issues: error.cause.issues }, 'response does not match its schema');
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      const code = (error as FastifyError).code ?? 'GDHK_BAD_REQUEST';
      const stable = code.startsWith('GDHK_') ? code : code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? 'GDHK_BODY_TOO_LARGE' : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'GDHK_UNSUPPORTED_MEDIA_TYPE' : code.startsWith('FST_ERR_CTP') ? 'GDHK_INVALID_BODY' : 'GDHK_BAD_REQUEST';
      return send(request, reply, { type: problemType(stable), status, code: stable, detail: error.message });
    }
    request.log.error({ err: error }, 'request failed');
    const locale = negotiateLocale(request.headers['accept-language']);
    return send(request, reply, { type: problemType('GDHK_INTERNAL'), status: 500, code: 'GDHK_INTERNAL', detail: internalDetail[locale] });
  });
}
