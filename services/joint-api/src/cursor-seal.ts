import { createHmac, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';

/**
 * A cursor this API cannot follow: not one it issued, altered, or inconsistent with the read
 * model (`invalid`, 400), or pointing at entries no longer kept (`gone`, 410). Coded like the
 * domain's errors: the HTTP edge gives them their status.
 */
export class CursorError extends Error {
  override readonly name = 'CursorError';
  readonly kind: 'invalid' | 'gone';
  readonly code: 'GDHK_INVALID_CURSOR' | 'GDHK_CURSOR_EXPIRED';
  constructor(kind: CursorError['kind'], message: string) {
    super(message);
    this.kind = kind;
    this.code = kind === 'invalid' ? 'GDHK_INVALID_CURSOR' : 'GDHK_CURSOR_EXPIRED';
  }
}

const TAG_BYTES = 16;

/**
 * Opaque cursors: `base64url(JSON payload).base64url(HMAC-SHA256 tag, 128 bits)`. The first secret
 * signs, every secret verifies, so a secret is rotated by putting the new one first and dropping
 * the old one once its cursors no longer matter. Every instance behind one address must share them.
 */
export class CursorSeal {
  private readonly secrets: readonly string[];

  constructor(secrets: readonly string[]) {
    if (secrets.length === 0) throw new Error('a cursor seal needs at least one secret');
    this.secrets = secrets;
  }

  seal(payload: unknown): string {
    const body = Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
    return `${body}.${tag(this.secrets[0] ?? '', body).toString('base64url')}`;
  }

  /** The payload of a cursor this API signed, checked by `schema`; CursorError (400) otherwise. */
  open<T>(text: string, schema: z.ZodType<T>, what: string): T {
    const [body, signature, ...rest] = text.split('.');
    if (!body || !signature || rest.length > 0) throw new CursorError('invalid', `the ${what} cursor is not one this API issued`);
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== TAG_BYTES || !this.secrets.some((secret) => timingSafeEqual(tag(secret, body), given))) {
      throw new CursorError('invalid', `the ${what} cursor's signature does not verify: it was altered, or signed with a secret this API no longer holds`);
    }
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      throw new CursorError('invalid', `the ${what} cursor is not one this API issued`);
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) throw new CursorError('invalid', `the ${what} cursor is malformed: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(cursor)'}: ${issue.message}`).join('; ')}`);
    return parsed.data;
  }
}

function tag(secret: string, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest().subarray(0, TAG_BYTES);
}
