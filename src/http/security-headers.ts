import helmet from '@fastify/helmet';
import type { App } from './types.js';

// What every JSON answer carries: fixed, so it costs one header copy. Browsers never render these answers, so the
// page-level protections (CSP, frame rules) add nothing there; bench/headers.bench.ts measured full Helmet on the
// JSON API at tens of microseconds per answer.
const API_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};

const isApi = (url: string) => url.startsWith('/api/') && !url.startsWith('/api/docs');

/**
 * Security headers: the full Helmet set (CSP, frame, referrer, HSTS over https...) on HTML — the dashboard and the
 * API reference — and a small fixed set on the JSON API.
 */
export async function registerSecurityHeaders(app: App, publicUrl: string): Promise<void> {
  const https = publicUrl.startsWith('https://');
  await app.register(helmet, {
    global: false,
    // Over plain http (local use) asking browsers to upgrade or pin https would break the dashboard.
    hsts: https,
    contentSecurityPolicy: {
      directives: {
        upgradeInsecureRequests: https ? [] : null,
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
      },
    },
  });
  app.addHook('onRequest', async (request, reply) => {
    if (isApi(request.url)) reply.headers(API_HEADERS);
    else await reply.helmet();
  });
}
