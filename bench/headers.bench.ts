/**
 * What security headers cost on the JSON API: the same JSON route answered with no extra headers, with the
 * small fixed set src/http/security-headers.ts puts on JSON, and with full @fastify/helmet (what HTML gets),
 * through Fastify's inject, which runs the whole hook chain and serializer but no sockets, so the differences
 * are the headers' own work. This measurement is why only HTML gets the full set.
 */
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { report } from './harness.js';

type Variant = 'none' | 'fixed' | 'helmet';

async function build(variant: Variant) {
  const app = Fastify({ logger: false });
  if (variant === 'fixed') {
    const fixed = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' };
    app.addHook('onRequest', async (_request, reply) => {
      reply.headers(fixed);
    });
  }
  if (variant === 'helmet') {
    await app.register(helmet, {
      hsts: false,
      contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], upgradeInsecureRequests: null } },
    });
  }
  app.get('/api/v1/thing', async () => ({ id: 'env-1', status: 'running', permissions: ['env.view', 'env.logs'] }));
  await app.ready();
  return app;
}

async function measureAsync(name: string, fn: () => Promise<unknown>, seconds = 1.5) {
  const warm = performance.now() + 300;
  while (performance.now() < warm) await fn();
  let ops = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await fn();
    ops += 1;
  }
  report({ name, ops, seconds: (performance.now() - start) / 1000 });
  return ops / ((performance.now() - start) / 1000);
}

export default async function run(): Promise<void> {
  const variants: Variant[] = ['none', 'fixed', 'helmet'];
  const apps = await Promise.all(variants.map(build));
  const results = new Map<Variant, number[]>(variants.map((variant) => [variant, []]));
  // Alternate the variants several times and compare medians: a shared machine drifts between rounds.
  for (let round = 0; round < 5; round++) {
    for (const [index, variant] of variants.entries()) {
      const app = apps[index];
      if (!app) continue;
      const rate = await measureAsync(`round ${round + 1}: JSON answer, ${variant} headers`, () => app.inject({ method: 'GET', url: '/api/v1/thing' }), 0.5);
      results.get(variant)?.push(rate);
    }
  }
  const median = (values: number[] = []) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const base = median(results.get('none'));
  for (const variant of variants) {
    const rate = median(results.get(variant));
    const cost = (1e6 / rate - 1e6 / base).toFixed(1);
    console.log(`  median ${variant.padEnd(6)} ${Math.round(rate).toString().padStart(7)} answers/s  (+${cost} µs per answer over none)`);
  }
  await Promise.all(apps.map((app) => app.close()));
}
