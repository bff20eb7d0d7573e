/**
 * The API on a large owner account (bench/api-world.ts: 2,000 environments, 300 nested groups, 20 members, a member
 * with 50 shares on all levels and one with 50 group and environment shares, 100k audit events, 20k usage records),
 * through Fastify's inject: the whole hook chain (authentication included), the route, its queries and the
 * serializer, no sockets. Prints µs per request and SQL statements per request.
 *
 * On in-memory PGlite always; on PostgreSQL too when BENCH_DATABASE_URL is set (a fresh database is created on that
 * server and dropped after). BENCH_API_ROUTES=text runs only the routes whose name contains it.
 * BENCH_API_ANSWERS=file writes every measured route's answer on the fresh world, with ids replaced by their order of
 * first appearance, so two versions of the code can be compared with `diff`.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { inArray } from 'drizzle-orm';
import pg from 'pg';
import type { Database } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { environments } from '../src/db/schema/index.js';
import { countQueries, type QueryCounter } from '../test/support/statements.js';
import { type ApiWorld, buildApiWorld } from './api-world.js';

const only = process.env.BENCH_API_ROUTES ?? '';
const SECONDS = Number(process.env.BENCH_API_SECONDS ?? 1);

interface Route {
  name: string;
  /** One request (or a sequence, for "all pages"); returns how many HTTP requests it made. */
  run: () => Promise<number>;
}

async function get(world: ApiWorld, url: string, token: string): Promise<any> {
  const response = await world.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  if (response.statusCode !== 200) throw new Error(`GET ${url}: ${response.statusCode} ${response.body}`);
  return JSON.parse(response.body);
}

async function post(world: ApiWorld, url: string, token: string, expected: number): Promise<any> {
  const response = await world.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: {} });
  if (response.statusCode !== expected) throw new Error(`POST ${url}: ${response.statusCode} ${response.body}`);
  return JSON.parse(response.body);
}

/** Follows nextCursor to the end; returns every item and the number of pages. */
async function allPages(world: ApiWorld, url: string, token: string): Promise<{ items: unknown[]; pages: number }> {
  const items: unknown[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const separator = url.includes('?') ? '&' : '?';
    const page: { items: unknown[]; nextCursor: string | null } = await get(world, cursor === null ? url : `${url}${separator}cursor=${encodeURIComponent(cursor)}`, token);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor !== null);
  return { items, pages };
}

function routes(world: ApiWorld): { reads: Array<{ name: string; url: string; token: string; pages?: boolean }>; writes: Route[] } {
  const { owner, wide, narrow } = world;
  const env = world.environmentIds[1234 % world.environmentIds.length] ?? '';
  const wideEnv = world.wideStoppable[0] ?? env;
  const narrowEnv = world.narrowVisible[0] ?? env;
  const to = world.clock.now().toISOString();
  const reads = [
    { name: 'GET /me (authentication alone)', url: '/api/v1/me', token: owner.token },
    { name: 'GET /environments owner, first page (50)', url: '/api/v1/environments', token: owner.token },
    { name: 'GET /environments owner, all pages of 200', url: '/api/v1/environments?limit=200', token: owner.token, pages: true },
    { name: 'GET /environments wide member, first page', url: '/api/v1/environments', token: wide.token },
    { name: 'GET /environments wide member, owner only, first page', url: `/api/v1/environments?ownerId=${owner.id}`, token: wide.token },
    { name: 'GET /environments narrow member, first page', url: '/api/v1/environments', token: narrow.token },
    { name: 'GET /environments narrow member, all pages of 50', url: '/api/v1/environments', token: narrow.token, pages: true },
    { name: 'GET /environments?groupId= owner, first page', url: `/api/v1/environments?groupId=${world.groupIds[0] ?? ''}`, token: owner.token },
    { name: 'GET /environments/:id owner', url: `/api/v1/environments/${env}`, token: owner.token },
    { name: 'GET /environments/:id wide member', url: `/api/v1/environments/${wideEnv}`, token: wide.token },
    { name: 'GET /environments/:id narrow member', url: `/api/v1/environments/${narrowEnv}`, token: narrow.token },
    { name: 'GET /groups owner', url: '/api/v1/groups', token: owner.token },
    { name: 'GET /groups?ownerId= wide member', url: `/api/v1/groups?ownerId=${owner.id}`, token: wide.token },
    { name: 'GET /groups?ownerId= narrow member', url: `/api/v1/groups?ownerId=${owner.id}`, token: narrow.token },
    { name: 'GET /audit owner, first page', url: '/api/v1/audit', token: owner.token },
    { name: 'GET /audit owner, 5 pages', url: '/api/v1/audit?limit=100', token: owner.token, pages: true },
    { name: 'GET /audit owner, ?environmentId= (busy)', url: `/api/v1/audit?environmentId=${world.busyEnvironment}`, token: owner.token },
    { name: 'GET /audit owner, ?environmentId= (quiet)', url: `/api/v1/audit?environmentId=${env}`, token: owner.token },
    { name: 'GET /audit owner, ?action=environment.*&outcome=denied', url: '/api/v1/audit?action=environment.*&outcome=denied', token: owner.token },
    { name: 'GET /audit owner, ?actorId= (a member)', url: `/api/v1/audit?actorId=${narrow.id}`, token: owner.token },
    { name: 'GET /audit wide member, own actions (?ownerId=)', url: `/api/v1/audit?ownerId=${owner.id}`, token: wide.token },
    { name: 'GET /billing/usage owner, groupBy=environment', url: `/api/v1/billing/usage?groupBy=environment&to=${to}`, token: owner.token },
    { name: 'GET /billing/usage owner, groupBy=creator', url: `/api/v1/billing/usage?groupBy=creator&to=${to}`, token: owner.token },
    { name: 'GET /billing/usage narrow member, by environment', url: `/api/v1/billing/usage?ownerId=${owner.id}&groupBy=environment&to=${to}`, token: narrow.token },
    { name: 'GET /collaboration/members owner', url: '/api/v1/collaboration/members', token: owner.token },
  ];

  // Stops answer 202 only from running: each timed stop takes the next environment, reset in batches between rounds.
  const stopper = (token: string, ids: string[]): Route['run'] => {
    let next = 0;
    return async () => {
      const id = ids[next % ids.length] ?? '';
      next += 1;
      await post(world, `/api/v1/environments/${id}/stop`, token, 202);
      return 1;
    };
  };
  const ownerStoppable = world.environmentIds.filter((_, i) => i % 4 === 1).slice(0, 200);
  const writes: Route[] = [
    { name: 'POST /environments/:id/stop owner (202)', run: stopper(owner.token, ownerStoppable) },
    { name: 'POST /environments/:id/stop wide member (202)', run: stopper(wide.token, world.wideStoppable) },
  ];
  return { reads, writes };
}

async function resetRunning(world: ApiWorld): Promise<void> {
  const ids = [...world.environmentIds.filter((_, i) => i % 4 === 1).slice(0, 200), ...world.wideStoppable];
  await world.ctx.db.update(environments).set({ status: 'running', statusReason: null }).where(inArray(environments.id, ids));
}

interface Measured {
  name: string;
  micros: number;
  queries: number;
  requests: number;
}

async function measureRoute(name: string, run: () => Promise<number>, counter: QueryCounter, before?: () => Promise<void>): Promise<Measured> {
  for (let i = 0; i < 2; i += 1) {
    await before?.();
    await run();
  }
  let ops = 0;
  let requests = 0;
  let queries = 0;
  let elapsed = 0;
  while ((elapsed < SECONDS * 1000 || ops < 3) && ops < 100_000) {
    await before?.();
    const startQueries = counter.count;
    const start = performance.now();
    requests += await run();
    elapsed += performance.now() - start;
    queries += counter.count - startQueries;
    ops += 1;
  }
  const result = { name, micros: (elapsed * 1000) / ops, queries: queries / ops, requests: requests / ops };
  const perRequest = result.requests > 1 ? `  (${result.requests.toFixed(0)} requests)` : '';
  console.log(`  ${name.padEnd(60)} ${result.micros.toFixed(0).padStart(10)} µs ${result.queries.toFixed(1).padStart(7)} queries${perRequest}`);
  return result;
}

/** Replaces uuids (and other app-made ids) by their order of first appearance, so two runs compare equal. */
function normalize(value: unknown): unknown {
  const ids = new Map<string, string>();
  const text = (item: string) =>
    item.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, (id) => {
      if (!ids.has(id)) ids.set(id, `<id ${ids.size}>`);
      return ids.get(id) ?? id;
    });
  const walk = (item: unknown): unknown => {
    if (typeof item === 'string') return text(item);
    if (Array.isArray(item)) return item.map(walk);
    if (item && typeof item === 'object') return Object.fromEntries(Object.entries(item).map(([key, inner]) => [text(key), walk(inner)]));
    return item;
  };
  return walk(value);
}

async function dumpAnswers(world: ApiWorld, file: string): Promise<void> {
  const { reads } = routes(world);
  const answers: Record<string, unknown> = {};
  for (const route of reads) {
    answers[route.name] = route.pages ? (await allPages(world, route.url, route.token)).items : await get(world, route.url, route.token);
  }
  // Every environment, one by one, for the owner and both members (404s included), and the narrow member's groups.
  const detail: Record<string, unknown> = {};
  for (const who of [world.owner, world.wide, world.narrow]) {
    for (const id of world.environmentIds.filter((_, i) => i % 40 === 0)) {
      const response = await world.app.inject({ method: 'GET', url: `/api/v1/environments/${id}`, headers: { authorization: `Bearer ${who.token}` } });
      detail[`${who.email} ${id}`] = { status: response.statusCode, body: JSON.parse(response.body) };
    }
  }
  answers['GET /environments/:id, every 40th, three callers'] = detail;
  const groupPages: Record<string, unknown> = {};
  for (const who of [world.owner, world.wide, world.narrow]) {
    for (const groupId of world.groupIds.filter((_, i) => i % 15 === 0)) {
      const response = await world.app.inject({ method: 'GET', url: `/api/v1/environments?groupId=${groupId}&limit=200`, headers: { authorization: `Bearer ${who.token}` } });
      groupPages[`${who.email} ${groupId}`] = { status: response.statusCode, body: JSON.parse(response.body) };
    }
  }
  answers['GET /environments?groupId=, every 15th group, three callers'] = groupPages;
  writeFileSync(file, `${JSON.stringify(normalize(answers), null, 1)}\n`);
  console.log(`  answers written to ${file}`);
}

/** Prints the statements of one request of each selected read route, with their times (BENCH_API_PROFILE=1). */
async function profile(world: ApiWorld, reads: ReturnType<typeof routes>['reads'], counter: QueryCounter): Promise<void> {
  for (const route of reads) {
    if (!route.name.includes(only)) continue;
    await get(world, route.url, route.token);
    counter.record(true);
    const start = performance.now();
    await get(world, route.url, route.token);
    const total = performance.now() - start;
    const statements = [...counter.seen];
    counter.record(false);
    const inQueries = statements.reduce((sum, entry) => sum + entry.ms, 0);
    console.log(`  ${route.name}: ${total.toFixed(1)} ms, ${statements.length} statements, ${inQueries.toFixed(1)} ms in them`);
    for (const entry of statements) console.log(`    ${entry.ms.toFixed(2).padStart(8)} ms  ${entry.sql.replace(/\s+/g, ' ').slice(0, 220)}`);
  }
}

async function benchOn(label: string, database: Database): Promise<void> {
  const building = performance.now();
  await migrate(database);
  const world = await buildApiWorld(database);
  const counter = countQueries();
  console.log(
    `api on ${label}: ${world.environmentIds.length.toLocaleString('en-US')} environments (and a neighbour with twice as many), ${world.groupIds.length} groups, ${world.members.length} members, ` +
      `100,000 audit events, 20,000 usage records (built in ${((performance.now() - building) / 1000).toFixed(1)} s); ` +
      `the narrow member sees ${world.narrowVisible.length} environments`,
  );
  try {
    if (process.env.BENCH_API_ANSWERS) await dumpAnswers(world, `${process.env.BENCH_API_ANSWERS}.${label}.json`);
    const { reads, writes } = routes(world);
    if (process.env.BENCH_API_PROFILE) await profile(world, reads, counter);
    for (const route of reads) {
      if (!route.name.includes(only)) continue;
      await measureRoute(
        route.name,
        async () => {
          if (!route.pages) {
            await get(world, route.url, route.token);
            return 1;
          }
          // The audit log is long: five pages stand for "browsing" it; other lists are read to the end.
          if (route.url.startsWith('/api/v1/audit')) {
            let url = route.url;
            for (let i = 0; i < 5; i += 1) {
              const page = await get(world, url, route.token);
              url = `${route.url}&cursor=${page.nextCursor}`;
            }
            return 5;
          }
          return (await allPages(world, route.url, route.token)).pages;
        },
        counter,
      );
    }
    for (const route of writes) {
      if (!route.name.includes(only)) continue;
      // Reset before the first stop and then every 10 (fewer than the environments each caller may stop).
      let sinceReset = 10;
      await measureRoute(route.name, route.run, counter, async () => {
        if (sinceReset >= 10) {
          sinceReset = 0;
          await resetRunning(world);
        }
        sinceReset += 1;
      });
      await resetRunning(world);
    }
  } finally {
    await world.close();
  }
}

/** Measures the API routes on PGlite, and on PostgreSQL when BENCH_DATABASE_URL is set. */
export default async function run(): Promise<void> {
  const pglite = await openDatabase({ dataDir: 'memory://' });
  try {
    await benchOn('pglite', pglite);
  } finally {
    await pglite.close();
  }

  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return;
  const name = `shareplane_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const target = new URL(url);
  target.pathname = `/${name}`;
  const postgres = await openDatabase({ databaseUrl: target.toString(), poolSize: 10 });
  try {
    await benchOn('postgres', postgres);
  } finally {
    await postgres.close();
    await admin.query(`drop database if exists ${name}`);
    await admin.end();
  }
}
