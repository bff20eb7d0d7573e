/**
 * A large owner account for the API benchmark (bench/api.bench.ts), built through the real app: accounts, invitations,
 * groups and shares through HTTP (app.inject), and the volume (environments, their nodes and groups, audit events,
 * usage records) with bulk inserts through the Drizzle schema. Seeded and on a manual clock, so every run builds the
 * same world and answers the same way.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { HOUR, ManualClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import type { AppContext } from '../src/context.js';
import type { Database } from '../src/db/client.js';
import {
  auditEvents,
  environments,
  type EnvironmentStatus,
  groupEnvironments,
  nodeGroups,
  nodes,
  outbox,
  usageRecords,
  users,
} from '../src/db/schema/index.js';
import type { App } from '../src/http/types.js';
import { relaxedRateLimits } from '../src/http/rate-limit.js';
import { random } from './large-world.js';

export const PASSWORD = 'correct horse battery staple';

export interface Person {
  id: string;
  email: string;
  token: string;
}

export interface Member extends Person {
  /** The collaboration id. */
  collaborationId: string;
}

export interface ApiWorld {
  app: App;
  ctx: AppContext;
  clock: ManualClock;
  owner: Person;
  /** 50 shares on all three levels, the account share included: sees every environment. */
  wide: Member;
  /** 50 shares on groups and environments, no account share: sees a slice of the account. */
  narrow: Member;
  members: Member[];
  /** Every environment id, in creation order (ids are `env-00000`...). */
  environmentIds: string[];
  groupIds: string[];
  /** An environment the wide member may stop (operator through a direct share). */
  wideStoppable: string[];
  /** Environments the narrow member sees. */
  narrowVisible: string[];
  /** The environment with the most audit events, and one with few. */
  busyEnvironment: string;
  close(): Promise<void>;
}

export interface WorldSize {
  environments: number;
  groups: number;
  members: number;
  auditEvents: number;
  usageRecords: number;
}

export const defaultSize: WorldSize = { environments: 2000, groups: 300, members: 20, auditEvents: 100_000, usageRecords: 20_000 };

const DEFAULT_START = new Date('2025-06-01T12:00:00Z');

export async function call(app: App, method: string, url: string, token: string | undefined, payload?: object) {
  const response = await app.inject({
    method: method as 'GET',
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload }),
  });
  const body: any = response.body ? JSON.parse(response.body) : undefined;
  if (response.statusCode >= 300) throw new Error(`${method} ${url}: ${response.statusCode} ${response.body}`);
  return body;
}

export async function newestMailToken(ctx: AppContext, email: string, kind: string, prefix: string): Promise<string> {
  const [mail] = await ctx.db
    .select({ text: outbox.textBody })
    .from(outbox)
    .where(and(sql`lower(${outbox.toAddress}) = ${email.toLowerCase()}`, eq(outbox.kind, kind)))
    .orderBy(desc(outbox.id))
    .limit(1);
  const link = mail?.text.match(/https?:\/\/\S+/g)?.find((candidate) => candidate.startsWith(prefix));
  if (!link) throw new Error(`no ${kind} link for ${email}`);
  const url = new URL(link);
  return url.searchParams.get('token') ?? url.pathname.split('/').pop() ?? '';
}

export async function insertChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 1000): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Builds the world on a migrated, empty database. `start` is the world's clock: the fixed default makes every run
 * answer alike; a benchmark against a real server (system clock) passes the present, so sessions are current.
 */
export async function buildApiWorld(database: Database, size: WorldSize = defaultSize, start: Date = DEFAULT_START): Promise<ApiWorld> {
  const START = start;
  const rand = random(7);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const clock = new ManualClock(START);
  const tick = () => clock.advance(1000);
  const config = { ...loadConfig({}), publicUrl: 'http://shareplane.bench', runtimeDelayMs: 0, logLevel: 'silent' as const };
  const { app, ctx } = await buildApp({
    config,
    database,
    clock,
    logger: false,
    rateLimits: relaxedRateLimits(1_000_000),
  });
  await app.ready();
  const { db } = ctx;

  // The owner: signed up, verified and signed in through the API, then a paid account.
  const ownerEmail = 'owner@bench.test';
  await call(app, 'POST', '/api/v1/auth/signup', undefined, { email: ownerEmail, password: PASSWORD, name: 'Bench Owner' });
  const verify = await newestMailToken(ctx, ownerEmail, 'account.verify', `${config.publicUrl}/verify-email?token=`);
  await call(app, 'POST', '/api/v1/auth/verify', undefined, { token: verify });
  const login = await call(app, 'POST', '/api/v1/auth/login', undefined, { email: ownerEmail, password: PASSWORD });
  const owner: Person = { id: login.user.id, email: ownerEmail, token: login.token };
  await db.update(users).set({ type: 'paid', trialEndsAt: null }).where(eq(users.id, owner.id));

  // Members: invited by the owner, each signing up through the invitation link.
  const members: Member[] = [];
  for (let i = 0; i < size.members; i += 1) {
    tick();
    const email = `member-${String(i).padStart(2, '0')}@bench.test`;
    const invited = await call(app, 'POST', '/api/v1/collaboration/members', owner.token, { email, displayName: `Member ${i}` });
    const token = await newestMailToken(ctx, email, 'collaboration.invited', `${config.publicUrl}/invitations/`);
    const signup = await call(app, 'POST', `/api/v1/invitations/${token}/signup`, undefined, { name: `Member ${i}`, password: PASSWORD });
    members.push({ id: signup.user.id, email, token: signup.token, collaborationId: invited.id });
  }
  const [wide, narrow] = members;
  if (!wide || !narrow) throw new Error('the world needs at least two members');
  const billingRole = (await call(app, 'POST', '/api/v1/roles', owner.token, { name: 'Accountant', permissions: ['env.view', 'billing.view'], receiveAlerts: false })).id as string;

  // Groups, nested five deep: each group's parent is a random group one level up.
  const levelSizes = [10, 30, 60, 100, 100].map((n) => Math.round((n * size.groups) / 300));
  const groupIds: string[] = [];
  const groupsByDepth: string[][] = [];
  for (const [depth, count] of levelSizes.entries()) {
    const level: string[] = [];
    for (let i = 0; i < count; i += 1) {
      tick();
      const parentId = depth === 0 ? null : pick(groupsByDepth[depth - 1] ?? []);
      const group = await call(app, 'POST', '/api/v1/groups', owner.token, { name: `group ${depth}-${String(i).padStart(3, '0')}`, parentId });
      level.push(group.id);
      groupIds.push(group.id);
    }
    groupsByDepth.push(level);
  }

  // Environments in bulk: two node roles each, in zero to two groups, created by the owner or a member.
  const statuses: EnvironmentStatus[] = ['running', 'running', 'running', 'stopped', 'failed'];
  const environmentIds: string[] = [];
  const envRows: (typeof environments.$inferInsert)[] = [];
  const topologyRows: (typeof nodeGroups.$inferInsert)[] = [];
  const nodeRows: (typeof nodes.$inferInsert)[] = [];
  const membershipRows: (typeof groupEnvironments.$inferInsert)[] = [];
  const creators = [owner.id, ...members.slice(0, 5).map((member) => member.id)];
  for (let i = 0; i < size.environments; i += 1) {
    const id = `env-${String(i).padStart(5, '0')}`;
    environmentIds.push(id);
    const createdAt = new Date(START.getTime() - (size.environments - i) * 60_000);
    const status = pick(statuses);
    envRows.push({
      id,
      ownerId: owner.id,
      // Names are not in id order, so listing by name is not listing by insertion.
      name: `app-${((i * 7919) % 100_000).toString(36)}-${i}`,
      displayName: `Application ${i}`,
      status,
      createdBy: pick(creators),
      variables: { NODE_ENV: 'production' },
      deployedSource: i % 3 === 0 ? `https://git.example/app-${i}.git` : null,
      statusReason: status === 'failed' ? 'The app node did not start.' : null,
      createdAt,
      updatedAt: createdAt,
    });
    for (const [role, count, cloudlets] of [
      ['app', 2, 4],
      ['db', 1, 8],
    ] as const) {
      topologyRows.push({ environmentId: id, role, image: role === 'app' ? 'node:20' : 'postgres:16', count, cloudlets });
      for (let ordinal = 1; ordinal <= count; ordinal += 1) {
        nodeRows.push({ id: `${id}-${role}-${ordinal}`, environmentId: id, role, ordinal, status: status === 'running' ? 'running' : 'stopped', address: `10.${i % 250}.${ordinal}.${role === 'app' ? 1 : 2}` });
      }
    }
    const r = rand();
    const inGroups = r < 0.05 ? 0 : r < 0.85 ? 1 : 2;
    const chosen = new Set<string>();
    while (chosen.size < inGroups) chosen.add(pick(groupIds));
    for (const groupId of chosen) membershipRows.push({ groupId, environmentId: id });
  }
  // A neighbour account with twice as many environments, their names interleaved with the owner's: listing one
  // owner's environments by name must not walk everyone's.
  const neighbour = await call(app, 'POST', '/api/v1/auth/signup', undefined, { email: 'neighbour@bench.test', password: PASSWORD, name: 'Neighbour' });
  const neighbourId: string = neighbour.user.id;
  for (let i = 0; i < size.environments * 2; i += 1) {
    const createdAt = new Date(START.getTime() - i * 30_000);
    envRows.push({
      id: `nenv-${String(i).padStart(5, '0')}`,
      ownerId: neighbourId,
      name: `app-${((i * 104_729) % 1_000_000).toString(36)}-n${i}`,
      displayName: `Neighbour ${i}`,
      status: 'stopped',
      createdBy: neighbourId,
      createdAt,
      updatedAt: createdAt,
    });
  }
  await insertChunks(envRows, (chunk) => db.insert(environments).values(chunk));
  await insertChunks(topologyRows, (chunk) => db.insert(nodeGroups).values(chunk));
  await insertChunks(nodeRows, (chunk) => db.insert(nodes).values(chunk));
  await insertChunks(membershipRows, (chunk) => db.insert(groupEnvironments).values(chunk));

  // Shares through the API. The wide member: account viewer, 20 groups, 29 environments (some expired).
  const expiredAt = new Date(START.getTime() + 3 * 24 * HOUR).toISOString();
  const share = (member: Member, resource: object, roleIds: string[], expiresAt?: string) =>
    call(app, 'POST', `/api/v1/collaboration/members/${member.collaborationId}/shares`, owner.token, { resource, roleIds, ...(expiresAt ? { expiresAt } : {}) });
  await share(wide, { type: 'account' }, ['viewer']);
  const wideGroups = new Set<string>();
  while (wideGroups.size < 20) wideGroups.add(pick(groupIds));
  for (const [i, id] of [...wideGroups].entries()) await share(wide, { type: 'group', id }, [i % 2 ? 'developer' : 'operator'], i % 5 === 0 ? expiredAt : undefined);
  const wideEnvironments = new Set<string>();
  while (wideEnvironments.size < 29) wideEnvironments.add(pick(environmentIds));
  const wideStoppable: string[] = [];
  for (const [i, id] of [...wideEnvironments].entries()) {
    await share(wide, { type: 'environment', id }, ['operator'], i % 7 === 0 ? expiredAt : undefined);
    if (i % 7 !== 0) wideStoppable.push(id);
  }
  // The narrow member: 15 deep groups and 35 environments, no account share; billing.view on some.
  const narrowGroups = new Set<string>();
  while (narrowGroups.size < 15) narrowGroups.add(pick([...(groupsByDepth[3] ?? []), ...(groupsByDepth[4] ?? [])]));
  for (const [i, id] of [...narrowGroups].entries()) await share(narrow, { type: 'group', id }, i % 3 ? ['viewer'] : ['viewer', billingRole]);
  const narrowEnvironments = new Set<string>();
  while (narrowEnvironments.size < 35) narrowEnvironments.add(pick(environmentIds));
  for (const [i, id] of [...narrowEnvironments].entries()) await share(narrow, { type: 'environment', id }, i % 2 ? ['developer'] : ['operator', billingRole]);
  // A few more members with an account share each, so the owner's share table is not just two people's.
  for (const member of members.slice(2, 10)) await share(member, { type: 'account' }, [pick(['viewer', 'operator', 'developer'])]);

  const narrowList = await call(app, 'GET', '/api/v1/environments?limit=200', narrow.token);
  const narrowVisible = (narrowList.items as Array<{ id: string }>).map((env) => env.id);

  // Usage: hourly records of 10% of the environments over the last 30 days.
  const usageRows: (typeof usageRecords.$inferInsert)[] = [];
  const metered = environmentIds.filter((_, i) => i % 10 === 0);
  const hours = Math.ceil(size.usageRecords / Math.max(1, metered.length));
  const envById = new Map(envRows.map((row) => [row.id, row]));
  for (const environmentId of metered) {
    const env = envById.get(environmentId);
    for (let h = 0; h < hours && usageRows.length < size.usageRecords; h += 1) {
      const hour = new Date(Math.floor(START.getTime() / HOUR) * HOUR - (h + 1) * HOUR);
      usageRows.push({
        environmentId,
        environmentName: env?.name ?? environmentId,
        ownerId: owner.id,
        createdBy: env?.createdBy ?? null,
        hour,
        cloudlets: 16,
        cost: '0.032000',
        chargedAt: new Date(hour.getTime() + HOUR),
      });
    }
  }
  await insertChunks(usageRows, (chunk) => db.insert(usageRecords).values(chunk));

  // Audit: owner and members acting on environments and groups, over the last 90 days; ids stay in time order.
  const actors = [{ id: owner.id, email: owner.email }, ...members.map((member) => ({ id: member.id, email: member.email }))];
  const actions = ['environment.start', 'environment.stop', 'environment.restart', 'environment.deploy', 'environment.rename', 'group.update', 'share.create', 'account.login'];
  const busyEnvironment = environmentIds[0] ?? '';
  const auditRows: (typeof auditEvents.$inferInsert)[] = [];
  const span = 90 * 24 * HOUR;
  for (let i = 0; i < size.auditEvents; i += 1) {
    const actor = rand() < 0.5 ? actors[0] : pick(actors);
    const action = pick(actions);
    const onEnvironment = action.startsWith('environment.');
    const environmentId = i % 50 === 0 ? busyEnvironment : pick(environmentIds);
    auditRows.push({
      at: new Date(START.getTime() - span + Math.floor((i * span) / size.auditEvents)),
      actorId: actor?.id ?? null,
      actorEmail: actor?.email ?? null,
      ownerId: owner.id,
      action,
      targetType: onEnvironment ? 'environment' : action.startsWith('group.') ? 'group' : action.startsWith('share.') ? 'share' : 'account',
      targetId: onEnvironment ? environmentId : action.startsWith('group.') ? pick(groupIds) : null,
      outcome: rand() < 0.95 ? 'ok' : 'denied',
      requestId: null,
      details: onEnvironment ? { from: 'running', to: 'stopping' } : action.startsWith('share.') ? { environmentId } : null,
    });
  }
  await insertChunks(auditRows, (chunk) => db.insert(auditEvents).values(chunk));
  await database.exec('analyze');

  return {
    app,
    ctx,
    clock,
    owner,
    wide,
    narrow,
    members,
    environmentIds,
    groupIds,
    wideStoppable,
    narrowVisible,
    busyEnvironment,
    close: () => app.close(),
  };
}
