import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answer with a strong ETag of the body and 304 when If-None-Match names it. */
    etag?: boolean;
  }
}

/** The entity tags an If-None-Match field lists (`*` as itself); weak tags compare by their opaque part. */
function listedTags(field: string): string[] {
  return [...field.matchAll(/(\*)|(?:W\/)?("[\x21\x23-\x7e\x80-\xff]*")/g)].map((match) => match[1] ?? match[2] ?? '');
}

/** The strong ETag of a body: a hash of its bytes. */
export function entityTag(payload: string | Buffer): string {
  return `"${createHash('sha256').update(payload).digest('base64url').slice(0, 27)}"`;
}

/**
 * Conditional GET (RFC 9110 §13.1.2) for routes with `config: { etag: true }`: the ETag is a
 * hash of the bytes sent (so it changes with the language and the data, never otherwise), and
 * If-None-Match uses the weak comparison the RFC prescribes for it.
 */
export const conditionalGetPlugin = fp(
  async (app: FastifyInstance) => {
    // A callback hook, not an async one: every request runs it, and an async hook costs a promise.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (!request.routeOptions.config.etag || reply.statusCode !== 200 || (typeof payload !== 'string' && !Buffer.isBuffer(payload))) return done(null, payload);
      // A route that answers with a representation it keeps sets the tag it computed once with entityTag.
      const preset = reply.getHeader('etag');
      const tag = typeof preset === 'string' ? preset : entityTag(payload);
      reply.header('etag', tag);
      reply.header('cache-control', 'private, no-cache');
      const field = request.headers['if-none-match'];
      if (field !== undefined && listedTags(field).some((listed) => listed === '*' || listed === tag)) {
        reply.code(304);
        return done(null, '');
      }
      done(null, payload);
    });
  },
  { name: 'gdhk-conditional-get' },
);
