import type { OpenAPIV3_1 } from 'openapi-types';

/** Response headers the services send, as the OpenAPI documents describe them. */
export const RESPONSE_HEADERS = {
  ETag: { description: 'Strong entity tag of the representation; send it back in If-None-Match (reads) or If-Match (writes)', schema: { type: 'string' } },
  'Content-Language': { description: 'The language of the localised text: zh-Hant, zh-Hans or en', schema: { type: 'string', enum: ['zh-Hant', 'zh-Hans', 'en'] } },
  Vary: { description: 'Accept-Language: the representation depends on it', schema: { type: 'string' } },
  'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } },
  'Idempotent-Replayed': { description: '`true` when the response replays the first answer to this Idempotency-Key', schema: { type: 'string', enum: ['true'] } },
  'X-Correlation-Id': { description: "The request's correlation id (the caller's, or one generated); problem details carry it as `instance`", schema: { type: 'string' } },
  'Content-Disposition': { description: 'attachment; filename=…', schema: { type: 'string' } },
  RateLimit: { description: 'The caller\'s quota now (draft-ietf-httpapi-ratelimit-headers): `"per-user";r=<requests left>;t=<seconds until the next one>`', schema: { type: 'string' } },
  'RateLimit-Policy': { description: 'The quota policy: `"per-user";q=<burst>;w=<seconds to refill it>`', schema: { type: 'string' } },
} as const satisfies Record<string, OpenAPIV3_1.HeaderObject>;
export type ResponseHeaderName = keyof typeof RESPONSE_HEADERS;

/** Route schema key naming the headers of an operation's 2xx/304 responses (removed from the document). */
export const SUCCESS_HEADERS = 'x-gdhk-success-headers';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * The conventions every operation of the documents follows, applied once to the generated
 * document: errors as `application/problem+json`, `X-Correlation-Id` on every response,
 * `Retry-After` on 503 and 429, and the success headers a route declares with SUCCESS_HEADERS.
 */
export function applyDocumentConventions(document: OpenAPIV3_1.Document): OpenAPIV3_1.Document {
  for (const path of Object.values(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = path?.[method] as (OpenAPIV3_1.OperationObject & { [SUCCESS_HEADERS]?: ResponseHeaderName[] }) | undefined;
      if (!operation) continue;
      const successHeaders = operation[SUCCESS_HEADERS] ?? [];
      delete operation[SUCCESS_HEADERS];
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if ('$ref' in response) continue;
        const names: ResponseHeaderName[] = ['X-Correlation-Id'];
        if (/^[23]/.test(status)) names.push(...successHeaders);
        if (status === '503' || status === '429') names.push('Retry-After');
        if (/^[45]/.test(status)) {
          names.push('Content-Language');
          // A route that produces CSV or SSE still fails with a problem document, never in its own type.
          const schema = Object.values(response.content ?? {})[0]?.schema;
          if (schema) response.content = { 'application/problem+json': { schema } };
        }
        response.headers = { ...Object.fromEntries(names.map((name) => [name, RESPONSE_HEADERS[name]])), ...response.headers };
      }
    }
  }
  return withoutUnusedSchemas(document);
}

/** Drops component schemas nothing refers to (zod registers an input and an output twin of each). */
function withoutUnusedSchemas(document: OpenAPIV3_1.Document): OpenAPIV3_1.Document {
  const schemas = document.components?.schemas;
  if (!schemas) return document;
  for (;;) {
    const text = JSON.stringify(document);
    const unused = Object.keys(schemas).filter((name) => !text.includes(`"#/components/schemas/${name}"`));
    if (unused.length === 0) return document;
    for (const name of unused) delete schemas[name];
  }
}
