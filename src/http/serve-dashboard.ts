import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** The dashboard's built files: `ui/dist` at the package root, two levels above both `src/http` and `dist/http`. */
const DASHBOARD_ROOT = fileURLToPath(new URL('../../ui/dist/', import.meta.url));

/**
 * The page may load only its own files and talk only to this gateway; it is never framed (clickjacking), and no
 * address it visits is sent elsewhere as a referrer.
 */
const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const NOT_BUILT =
  'The dashboard is not built: run `npm run build` (npm install and npm start run it) to create ui/dist, then reload this page.\n';

/**
 * Serves the dashboard at `/ui/` (static files; the admin API does the rest). Hashed assets are cached for good; the
 * page itself is revalidated on every load so a rebuilt dashboard shows at once.
 */
export function registerDashboard(app: FastifyInstance, root: string = DASHBOARD_ROOT): void {
  app.get('/ui', async (_request, reply) => reply.redirect('/ui/', 301));
  if (!existsSync(`${root}index.html`)) {
    app.get('/ui/*', async (_request, reply) => reply.code(503).type('text/plain; charset=utf-8').send(NOT_BUILT));
    return;
  }
  void app.register(fastifyStatic, {
    root,
    prefix: '/ui/',
    wildcard: true,
    index: 'index.html',
    cacheControl: false,
    setHeaders(res, path) {
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
      res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
}
