import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** The page and its assets need no token: the page asks for one and sends it in a header. */
export const DASHBOARD_PUBLIC_PATHS = ['/', '/index.html', '/favicon.svg'];
export const DASHBOARD_PUBLIC_PREFIXES = ['/assets/'];

// The page loads nothing but its own files and talks only to this API.
const CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The built dashboard at `/` (apps/desk); a page saying how to build it when it is not built. */
export const dashboardPlugin = fp(
  async (app: FastifyInstance, options: { dir: string | undefined }) => {
    const dir = options.dir;
    if (dir && existsSync(join(dir, 'index.html'))) {
      await app.register(fastifyStatic, {
        root: dir,
        prefix: '/',
        wildcard: false,
        index: ['index.html'],
        setHeaders: (response, path) => {
          response.header('content-security-policy', CONTENT_SECURITY_POLICY);
          response.header('referrer-policy', 'no-referrer');
          response.header('x-content-type-options', 'nosniff');
          // Hashed asset names never change content; the page itself is revalidated.
          response.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
      return;
    }
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', CONTENT_SECURITY_POLICY)
        .send('<!doctype html><html lang="en"><meta charset="utf-8"><title>GD–HK joint desk</title><p>The dashboard is not built. Run <code>npm start</code>, or <code>pnpm --filter @gdhk/desk build</code>, then reload.</p></html>'),
    );
  },
  { name: 'gdhk-dashboard' },
);
