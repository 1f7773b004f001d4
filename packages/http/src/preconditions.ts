// Request header fields that name what a write expects: If-Match (RFC 9110 §13.1.1) and
// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header: an RFC 9651 structured-field String).
import { HttpProblem } from './problem.ts';

const ENTITY_TAG = /^(W\/)?"([\x21\x23-\x7e\x80-\xff]*)"$/;

export interface EntityTag {
  readonly weak: boolean;
  readonly opaque: string;
}

/** `*`, or the entity tags of a comma-separated list; undefined when the field is malformed. */
export function parseIfMatch(field: string): '*' | EntityTag[] | undefined {
  const trimmed = field.trim();
  if (trimmed === '*') return '*';
  const tags: EntityTag[] = [];
  for (const member of trimmed.split(',')) {
    const part = member.trim();
    if (part === '') continue;
    const match = ENTITY_TAG.exec(part);
    if (!match) return undefined;
    tags.push({ weak: match[1] !== undefined, opaque: match[2] ?? '' });
  }
  return tags.length > 0 ? tags : undefined;
}

export const IF_MATCH_FORMAT = 'an entity tag such as "3" (quotes included), a comma-separated list of them, or *';

/**
 * The stream version an If-Match field requires, by RFC 9110's strong comparison: `*` (any
 * current version) and an absent field require none; a weak tag never matches (412). Of several
 * strong tags the one naming `current` is taken, so the write's own version check decides.
 */
export function expectedVersionOf(field: string | undefined, current: number): number | undefined {
  if (field === undefined) return undefined;
  const parsed = parseIfMatch(field);
  if (parsed === undefined) throw new HttpProblem(400, 'GDHK_INVALID_INPUT', 'Bad Request', `If-Match must be ${IF_MATCH_FORMAT}`, [{ field: 'headers.if-match', message: IF_MATCH_FORMAT }]);
  if (parsed === '*') return undefined;
  const versions = parsed.filter((tag) => !tag.weak && /^\d+$/.test(tag.opaque)).map((tag) => Number(tag.opaque));
  if (versions.length === 0) {
    throw new HttpProblem(412, 'GDHK_VERSION_MISMATCH', 'Precondition Failed', 'If-Match uses strong comparison: a weak entity tag (W/"…") or a tag that is not a stream version never matches');
  }
  return versions.includes(current) ? current : versions[0];
}

const BARE_KEY = /^[\x21-\x7e]+$/;

/**
 * The key an Idempotency-Key field carries: an sf-string (`"…"`, with `\"` and `\\` escapes)
 * or, as many clients send it, the bare key. Both spellings of a key are one key.
 * Undefined when the field is neither.
 */
export function parseIdempotencyKey(field: string): string | undefined {
  const text = field.trim();
  if (text.startsWith('"')) {
    let key = '';
    for (let index = 1; index < text.length; index++) {
      const char = text[index] ?? '';
      if (char === '\\') {
        const next = text[index + 1];
        if (next !== '"' && next !== '\\') return undefined;
        key += next;
        index++;
      } else if (char === '"') {
        return index === text.length - 1 ? key : undefined;
      } else if (char < ' ' || char > '~') {
        return undefined;
      } else {
        key += char;
      }
    }
    return undefined;
  }
  return BARE_KEY.test(text) && !text.includes('"') ? text : undefined;
}

export const IDEMPOTENCY_KEY_FORMAT = 'a structured-field string such as "8e03978e-40d5-43e8-bc93-6894a57f9324" (or the bare key), 8 to 200 characters';

export function isIdempotencyKey(field: string): boolean {
  const key = parseIdempotencyKey(field);
  return key !== undefined && key.length >= 8 && key.length <= 200;
}
