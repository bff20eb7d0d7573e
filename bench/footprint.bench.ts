/**
 * `npm run bench footprint`: the server's resident memory (its process tree) on a real process: after the first
 * start on an empty database (the embedded one is created then), after a restart on the seeded API world, and after
 * 20,000 requests on the hot routes; with the restart's time to a healthy answer. PGlite and, with
 * BENCH_DATABASE_URL, PostgreSQL.
 */
import type { DatabaseKind } from '../src/db/client.js';
import { load } from './http.bench.js';
import { startServer } from './server.js';
import { emptyDatabase, hotRoutes, seedServedWorld } from './served-world.js';

const REQUESTS = 20_000;
const mb = (n: number) => `${Math.round(n)} MB`;

async function footprintOn(kind: DatabaseKind): Promise<void> {
  const target = await emptyDatabase(kind);
  if (!target) return;
  try {
    const first = await startServer(target.env);
    const firstRss = first.rssMb();
    await first.stop();
    const world = await seedServedWorld(kind, undefined, target);
    if (!world) return;
    const again = await startServer(target.env);
    const restartRss = again.rssMb();
    try {
      const routes = hotRoutes(world).filter((route) => route.token);
      for (const route of routes) await load(`${again.url}${route.path}`, route.token, { amount: Math.ceil(REQUESTS / routes.length) });
      console.log(
        `footprint on ${kind}: first start ${mb(firstRss)} (healthy in ${Math.round(first.startedInMs)} ms) · restart ${mb(restartRss)} (healthy in ${Math.round(again.startedInMs)} ms) · after ${REQUESTS.toLocaleString('en-US')} requests ${mb(again.rssMb())}`,
      );
    } finally {
      await again.stop();
    }
  } finally {
    await target.drop();
  }
}

export default async function run(): Promise<void> {
  await footprintOn('pglite');
  await footprintOn('postgres');
}
