/**
 * What the security headers cost on the JSON API: the same JSON route answered with and without
 * @fastify/helmet (configured as src/app.ts does), through Fastify's inject, which runs the whole hook
 * chain and serializer but no sockets, so the difference is the headers' own work.
 */
import helmet from '@fastify/helmet';
import Fastify from 'fastify';
import { report } from './harness.js';

async function build(withHeaders: boolean) {
  const app = Fastify({ logger: false });
  if (withHeaders) {
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
  const plain = await build(false);
  const secured = await build(true);
  // Alternate the two several times and compare medians: a shared machine drifts between rounds.
  const without: number[] = [];
  const withHeaders: number[] = [];
  for (let round = 0; round < 5; round++) {
    without.push(await measureAsync(`round ${round + 1}: JSON answer without security headers`, () => plain.inject({ method: 'GET', url: '/api/v1/thing' }), 0.6));
    withHeaders.push(
      await measureAsync(`round ${round + 1}: JSON answer with security headers`, () => secured.inject({ method: 'GET', url: '/api/v1/thing' }), 0.6),
    );
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const a = median(without);
  const b = median(withHeaders);
  console.log(`  median: ${Math.round(a)} vs ${Math.round(b)} answers/s; the headers cost ${(((a - b) / a) * 100).toFixed(1)} % of throughput`);
  await plain.close();
  await secured.close();
}
