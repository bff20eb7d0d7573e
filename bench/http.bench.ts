/**
 * `npm run bench http`: autocannon at 50 connections against a real server process (bench/server.ts) on the API
 * world (2,000 environments, 300 groups, a collaborator with 50 group and environment shares), PGlite and, with
 * BENCH_DATABASE_URL, PostgreSQL. Prints each hot route's req/s, p50, p99 and its throughput as a share of the same
 * server's /api/health in the same run. BENCH_HTTP_SECONDS sets each window (default 10).
 */
import autocannon from 'autocannon';
import type { DatabaseKind } from '../src/db/client.js';
import { startServer } from './server.js';
import { hotRoutes, seedServedWorld } from './served-world.js';

const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const CONNECTIONS = 50;

export interface Load {
  perSecond: number;
  p50: number;
  p99: number;
  /** Answers that were not 2xx, errors and timeouts together. */
  failed: number;
}

/** One autocannon window on `url`. */
export async function load(url: string, token: string | undefined, options: { seconds?: number; amount?: number } = {}): Promise<Load> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    ...(options.amount ? { amount: options.amount } : { duration: options.seconds ?? SECONDS }),
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  return { perSecond: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors + result.timeouts };
}

const number = (n: number) => Math.round(n).toLocaleString('en-US');

async function httpOn(kind: DatabaseKind): Promise<void> {
  const seeding = performance.now();
  const world = await seedServedWorld(kind);
  if (!world) return;
  console.log(`http on ${kind}: world seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s; ${CONNECTIONS} connections, ${SECONDS} s per route`);
  const server = await startServer(world.env);
  try {
    let health = 0;
    for (const route of hotRoutes(world)) {
      // A short warm-up first: the server's JIT and caches, not its first second, are what is measured.
      await load(`${server.url}${route.path}`, route.token, { seconds: 2 });
      const measured = await load(`${server.url}${route.path}`, route.token);
      if (route.path === '/api/health') health = measured.perSecond;
      const ratio = health > 0 ? ` ${((100 * measured.perSecond) / health).toFixed(1).padStart(6)} % of health` : '';
      const failed = measured.failed > 0 ? `  (${number(measured.failed)} failed)` : '';
      console.log(
        `  ${route.name.padEnd(40)} ${number(measured.perSecond).padStart(8)} req/s  p50 ${String(measured.p50).padStart(5)} ms  p99 ${String(measured.p99).padStart(5)} ms${ratio}${failed}`,
      );
    }
    console.log(`  server RSS after the run: ${number(server.rssMb())} MB`);
  } finally {
    await server.stop();
    await world.drop();
  }
}

export default async function run(): Promise<void> {
  await httpOn('pglite');
  await httpOn('postgres');
}
