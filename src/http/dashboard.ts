import fastifyStatic from '@fastify/static';
import type { FastifyReply } from 'fastify';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { App } from './types.js';

/** Where `npm run build:web` (and `npm start`, when needed) puts the dashboard. */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

// Vite names every file under assets/ after its content hash: a new build has new names, so they never go stale.
const HASHED = 'public, max-age=31536000, immutable';
const REVALIDATE = 'no-cache';

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Shareplane: dashboard not built</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5">
<h1>The dashboard is not built</h1>
<p>The API is running (<a href="/api/health">/api/health</a>, reference at <a href="/api/docs">/api/docs</a>), but the
web dashboard has not been built in <code>web/dist</code>.</p>
<p>Build it with <code>npm run build:web</code> and reload this page. (<code>npm start</code> builds it automatically
when it is missing or older than <code>web/src</code>.)</p>
</body></html>
`;

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Serves the dashboard's static build at `/`: files as they are (hashed assets cached for a year), and index.html
 * for every other GET outside /api so the client-side router can show the page. Without a build, `/` explains
 * how to make one instead of failing.
 */
export async function registerDashboard(app: App, dir: string = DEFAULT_DASHBOARD_DIR): Promise<void> {
  await app.register(async (scope) => {
    await scope.register(fastifyStatic, { root: dir, serve: false, suppressWarning: true });

    const sendIndex = async (reply: FastifyReply) => {
      if (!(await isFile(join(dir, 'index.html')))) {
        return reply.status(503).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(notBuiltPage);
      }
      return reply.header('cache-control', REVALIDATE).sendFile('index.html', dir, { cacheControl: false });
    };

    scope.get('/*', {
      config: { access: 'public' },
      schema: { hide: true },
      handler: async (request, reply) => {
        let pathname: string;
        try {
          pathname = decodeURIComponent(request.url.split('?')[0] ?? '/');
        } catch {
          return reply.callNotFound();
        }
        // Unknown API paths keep their problem+json 404; the dashboard never answers for /api.
        if (pathname === '/api' || pathname.startsWith('/api/')) return reply.callNotFound();
        const relative = normalize(pathname).replace(/^([/\\])+/, '');
        const file = join(dir, relative);
        if (relative && !relative.startsWith('..') && file.startsWith(dir + sep) && (await isFile(file))) {
          const hashed = relative.startsWith(`assets${sep}`);
          return reply.header('cache-control', hashed ? HASHED : REVALIDATE).sendFile(relative, dir, { cacheControl: false });
        }
        // A missing build asset is a 404, not the page: a stale tab asking for an old chunk must not get HTML as JS.
        if (relative.startsWith(`assets${sep}`) || extname(relative) === '.js' || extname(relative) === '.css') {
          return reply.callNotFound();
        }
        return sendIndex(reply);
      },
    });
  });
}
