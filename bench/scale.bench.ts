/**
 * `npm run bench scale`: an owner with 100,000 environments (and 200 groups, three deep) and a collaborator who
 * sees 1,000 of them — 800 through 8 group shares (some on a parent of the groups holding them), 200 through direct
 * shares — whose names are spread over the whole account. A real server process; the collaborator walks every page
 * of GET /environments in turn, one connection, and each page step's latency is recorded. The walk must find exactly
 * the 1,000 (no truncation): the bench fails otherwise. PGlite and, with BENCH_DATABASE_URL, PostgreSQL.
 * BENCH_SCALE_LIMIT sets the page size (default 200), BENCH_SCALE_WALKS the number of walks (default 20).
 */
import { buildApp } from '../src/app.js';
import { ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import type { DatabaseKind } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { environments, groupEnvironments, users } from '../src/db/schema/index.js';
import { relaxedRateLimits } from '../src/http/rate-limit.js';
import { eq } from 'drizzle-orm';
import { call, insertChunks, newestMailToken, PASSWORD } from './api-world.js';
import { startServer } from './server.js';
import { emptyDatabase } from './served-world.js';

const ENVIRONMENTS = 100_000;
const LIMIT = Number(process.env.BENCH_SCALE_LIMIT ?? 200);
const WALKS = Number(process.env.BENCH_SCALE_WALKS ?? 20);

interface ScaleWorld {
  collaboratorToken: string;
  visible: Set<string>;
}

export async function seed(kind: DatabaseKind, env: Record<string, string>): Promise<ScaleWorld> {
  const database = await openDatabase(kind === 'pglite' ? { dataDir: env.DATA_DIR } : { databaseUrl: env.DATABASE_URL });
  try {
    await migrate(database);
    const clock = new ManualClock(new Date());
    const config = { ...loadConfig({}), publicUrl: 'http://shareplane.bench', runtimeDelayMs: 0, logLevel: 'silent' as const };
    const { app, ctx } = await buildApp({ config, database, clock, logger: false, rateLimits: relaxedRateLimits(1_000_000) });
    await app.ready();
    try {
      const email = 'owner@scale.test';
      await call(app, 'POST', '/api/v1/auth/signup', undefined, { email, password: PASSWORD, name: 'Scale Owner' });
      await call(app, 'POST', '/api/v1/auth/verify', undefined, { token: await newestMailToken(ctx, email, 'account.verify', `${config.publicUrl}/verify-email?token=`) });
      const owner = await call(app, 'POST', '/api/v1/auth/login', undefined, { email, password: PASSWORD });
      await ctx.db.update(users).set({ type: 'paid', trialEndsAt: null }).where(eq(users.id, owner.user.id));
      const memberEmail = 'member@scale.test';
      const invited = await call(app, 'POST', '/api/v1/collaboration/members', owner.token, { email: memberEmail, displayName: 'Member' });
      const invitation = await newestMailToken(ctx, memberEmail, 'collaboration.invited', `${config.publicUrl}/invitations/`);
      const member = await call(app, 'POST', `/api/v1/invitations/${invitation}/signup`, undefined, { name: 'Member', password: PASSWORD });

      // 20 roots, 60 children, 120 grandchildren; environments 0..79,999 fill the grandchildren (a few groups each).
      const roots: string[] = [];
      const children: string[] = [];
      const leaves: string[] = [];
      for (let i = 0; i < 20; i += 1) roots.push((await call(app, 'POST', '/api/v1/groups', owner.token, { name: `root ${i}`, parentId: null })).id);
      for (let i = 0; i < 60; i += 1) children.push((await call(app, 'POST', '/api/v1/groups', owner.token, { name: `child ${i}`, parentId: roots[i % 20] })).id);
      for (let i = 0; i < 120; i += 1) leaves.push((await call(app, 'POST', '/api/v1/groups', owner.token, { name: `leaf ${i}`, parentId: children[i % 60] })).id);

      const rows: (typeof environments.$inferInsert)[] = [];
      const memberships: (typeof groupEnvironments.$inferInsert)[] = [];
      const inLeaf = new Map<string, string[]>();
      const created = new Date();
      for (let i = 0; i < ENVIRONMENTS; i += 1) {
        const id = `senv-${String(i).padStart(6, '0')}`;
        // Names out of id order, so a collaborator's environments are spread over the whole sorted account.
        rows.push({ id, ownerId: owner.user.id, name: `app-${((i * 7919) % ENVIRONMENTS).toString(36)}-${i}`, displayName: id, status: 'stopped', createdBy: owner.user.id, createdAt: created, updatedAt: created });
        // 80,000 environments sit in a leaf group each, 100 per leaf group in the shared ones (below).
        if (i < 80_000) {
          const leaf = leaves[i % leaves.length] ?? '';
          memberships.push({ groupId: leaf, environmentId: id });
          const list = inLeaf.get(leaf);
          if (list) list.push(id);
          else inLeaf.set(leaf, [id]);
        }
      }
      await insertChunks(rows, (chunk) => ctx.db.insert(environments).values(chunk));
      await insertChunks(memberships, (chunk) => ctx.db.insert(groupEnvironments).values(chunk));

      // Leaf groups hold ~667 environments each; 8 more groups hold the first 100 of one leaf each (an environment
      // sits in several groups), and the collaborator's group shares are on those.
      const visible = new Set<string>();
      const share = (resource: object) => call(app, 'POST', `/api/v1/collaboration/members/${invited.id}/shares`, owner.token, { resource, roleIds: ['viewer'] });
      for (let g = 0; g < 8; g += 1) {
        // Odd ones are shared through an otherwise empty parent: the decision walks up to it.
        const wrapper = g % 2 === 1 ? ((await call(app, 'POST', '/api/v1/groups', owner.token, { name: `wrapper ${g}`, parentId: null })).id as string) : null;
        const group = (await call(app, 'POST', '/api/v1/groups', owner.token, { name: `shared ${g}`, parentId: wrapper })).id as string;
        const ids = (inLeaf.get(leaves[g * 7] ?? '') ?? []).slice(0, 100);
        await insertChunks(ids.map((environmentId) => ({ groupId: group, environmentId })), (chunk) => ctx.db.insert(groupEnvironments).values(chunk));
        for (const id of ids) visible.add(id);
        await share({ type: 'group', id: wrapper ?? group });
      }
      for (let i = 0; visible.size < 1000; i += 1) {
        const id = `senv-${String(80_000 + i * 97).padStart(6, '0')}`;
        visible.add(id);
        await share({ type: 'environment', id });
      }
      await database.exec('analyze');
      return { collaboratorToken: member.token, visible };
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function scaleOn(kind: DatabaseKind): Promise<void> {
  const target = await emptyDatabase(kind);
  if (!target) return;
  try {
    const seeding = performance.now();
    const world = await seed(kind, target.env);
    console.log(`scale on ${kind}: ${ENVIRONMENTS.toLocaleString('en-US')} environments, the collaborator sees ${world.visible.size}; seeded in ${((performance.now() - seeding) / 1000).toFixed(1)} s`);
    const server = await startServer(target.env);
    try {
      const steps: number[] = [];
      let pages = 0;
      for (let walk = 0; walk <= WALKS; walk += 1) {
        const seen = new Set<string>();
        let cursor: string | null = null;
        pages = 0;
        do {
          const started = performance.now();
          const response = await fetch(`${server.url}/api/v1/environments?limit=${LIMIT}${cursor === null ? '' : `&cursor=${encodeURIComponent(cursor)}`}`, {
            headers: { authorization: `Bearer ${world.collaboratorToken}` },
          });
          const page = (await response.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
          // The first walk warms the server up and is not counted.
          if (walk > 0) steps.push(performance.now() - started);
          if (response.status !== 200) throw new Error(`a page answered ${response.status}`);
          for (const item of page.items) seen.add(item.id);
          cursor = page.nextCursor;
          pages += 1;
        } while (cursor !== null);
        const exact = seen.size === world.visible.size && [...seen].every((id) => world.visible.has(id));
        if (!exact) throw new Error(`the walk found ${seen.size} environments, not exactly the ${world.visible.size} shared`);
      }
      steps.sort((a, b) => a - b);
      console.log(
        `  walk of ${pages} pages of ${LIMIT}, exact (all ${world.visible.size}, no truncation): page step p50 ${percentile(steps, 50).toFixed(1)} ms · p99 ${percentile(steps, 99).toFixed(1)} ms · max ${(steps.at(-1) ?? 0).toFixed(1)} ms over ${steps.length} steps`,
      );
    } finally {
      await server.stop();
    }
  } finally {
    await target.drop();
  }
}

export default async function run(): Promise<void> {
  await scaleOn('pglite');
  await scaleOn('postgres');
}
