/**
 * The cast of the sequence test (sequence.test.ts) and its stage: one app, one owner on a paid account, five members
 * who joined by the invitation link (collaborator accounts, never expiring) and one who joined as its own trial
 * account. Every sequence starts from the same committed state — the six active, with no group, environment, role
 * or share — and `resetStage` brings the database back to it between sequences.
 */
import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Permission } from '../../src/access/catalog.js';
import { effectiveAccess } from '../../src/access/decide.js';
import type { TokenScope } from '../../src/access/token-scope.js';
import { loadAccountFacts } from '../../src/access/load/account.js';
import type { AccessSnapshot, AccessTarget } from '../../src/access/snapshot.js';
import { isTrialExpired } from '../../src/accounts/caller.js';
import { ManualClock } from '../../src/clock.js';
import { rawRows } from '../../src/db/raw.js';
import { collaborations, users } from '../../src/db/schema/index.js';
import { type Account, adminOf, createOwner, createPaidOwner, setTrialEnd } from '../factories.js';
import { inviteAndAccept } from '../factories/collaboration.js';
import { startTestApp, type TestApp } from '../support/app.js';

export const START = new Date('2031-03-03T09:00:00Z');
const YEAR_SECONDS = 365 * 24 * 3600;
export const MEMBERS = 6;

export interface CastMember {
  /** m0..m5, as the step log names them. */
  key: string;
  account: Account;
  /** The one member whose own account is a trial (the others are collaborator accounts). */
  trial: boolean;
  /** The collaboration the stage starts with. */
  collaborationId: string;
  /** A scoped API token the member also acts through (kept across resets, like the accounts' sessions). */
  token?: { secret: string; scope: TokenScope };
}

export interface Stage {
  t: TestApp;
  clock: ManualClock;
  owner: Account;
  admin: Account;
  members: CastMember[];
  /** The tables a reset empties, in an order the foreign keys allow (found on the first reset). */
  emptying?: string[];
  resets?: number;
}

/**
 * The scopes of the tokens some members also act through, on the whole account: arranging only, managing within a
 * scope, creating and deleting, a lifecycle operator, and the trial member's (killed with its trial).
 */
const TOKEN_PERMISSIONS: Record<number, Permission[]> = {
  0: ['env.groups', 'env.view'],
  1: ['collaboration.manage', 'env.view', 'env.logs', 'env.groups'],
  2: ['env.create', 'env.groups', 'env.delete', 'env.clone'],
  3: ['env.start', 'env.stop', 'env.restart', 'env.logs'],
  5: ['env.view', 'env.groups', 'env.create'],
};

// Kept across resets: the accounts and their sign-ins (the slow part, argon2), the migrations, the saved start.
const KEPT = new Set(['users', 'sessions', 'api_tokens', '__drizzle_migrations', 'sequence_start_collaborations']);

/** Starts the app and brings the cast in through the API; then saves the collaborations every sequence starts from. */
export async function openStage(): Promise<Stage> {
  const clock = new ManualClock(START);
  const t = await startTestApp({
    clock,
    config: { sessionIdleSeconds: YEAR_SECONDS, sessionMaxSeconds: YEAR_SECONDS, invitationsPerDay: 1_000_000 },
  });
  const owner = await createPaidOwner(t, 'seq-owner');
  const admin = await adminOf(t);
  const members: CastMember[] = [];
  for (let i = 0; i < MEMBERS; i += 1) {
    const trial = i === MEMBERS - 1;
    const joined = trial ? await inviteAndAccept(t, owner, { account: await createOwner(t, 'seq-trial') }) : await inviteAndAccept(t, owner);
    const scoped = TOKEN_PERMISSIONS[i];
    const scope: TokenScope | undefined = scoped ? { ownerId: owner.id, resources: [{ type: 'account' }], permissions: scoped } : undefined;
    const minted = scope ? await t.http.as(joined).post('/api/v1/tokens', { name: 'sequence', scope, expiresAt: new Date(START.getTime() + YEAR_SECONDS * 1000).toISOString() }) : undefined;
    if (minted && minted.status !== 201) throw new Error(`minting m${i}'s token: ${minted.status} ${JSON.stringify(minted.body)}`);
    members.push({ key: `m${i}`, account: joined, trial, collaborationId: joined.memberId, ...(scope && minted ? { token: { secret: minted.body.token as string, scope } } : {}) });
  }
  await t.db.database.exec('create table sequence_start_collaborations as select * from collaborations');
  return { t, clock, owner, admin, members };
}

/**
 * Back to the start: every table but the accounts and their sessions emptied, the six collaborations restored as the
 * API made them (active, no shares), the clock at START and the trial member's end moved by the admin route.
 */
export async function resetStage(stage: Stage, trialEndsAt: Date): Promise<void> {
  stage.emptying ??= await emptyingOrder(stage);
  stage.resets = (stage.resets ?? 0) + 1;
  // The restored collaborations keep their ids, so their access versions must still only grow, as they do in
  // production: the in-memory access cache (snapshot-cache.ts) trusts an (id, version) pair it has seen before.
  await stage.t.db.database.exec(
    `${stage.emptying.map((name) => `delete from "${name}";`).join(' ')} insert into collaborations select * from sequence_start_collaborations;
     update collaborations set access_version = access_version + ${stage.resets * 1_000_000};`,
  );
  stage.clock.set(START);
  const trial = stage.members.find((m) => m.trial);
  if (trial) await setTrialEnd(stage.t, trial.account, trialEndsAt);
}

/**
 * The tables a reset empties, each after every table whose foreign keys point at it. Rows are deleted rather than
 * truncated: on PostgreSQL truncating thirty small tables costs more than a whole sequence.
 */
async function emptyingOrder(stage: Stage): Promise<string[]> {
  const db = stage.t.ctx.db;
  const tables = await rawRows<{ name: string }>(db, sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`);
  const links = await rawRows<{ child: string; parent: string }>(
    db,
    sql`select c.conrelid::regclass::text as child, c.confrelid::regclass::text as parent from pg_constraint c where c.contype = 'f'`,
  );
  const unquote = (name: string) => name.replace(/^"|"$/g, '');
  const left = new Set(tables.map((row) => row.name).filter((name) => !KEPT.has(name)));
  const order: string[] = [];
  while (left.size > 0) {
    // A table can go once no table still to empty points at it.
    const next = [...left].find((name) => !links.some((link) => unquote(link.parent) === name && unquote(link.child) !== name && left.has(unquote(link.child))));
    if (next === undefined) throw new Error(`foreign keys form a cycle among ${[...left].join(', ')}`);
    order.push(next);
    left.delete(next);
  }
  return order;
}

/** Permissions by environment id (only those the member holds anything on), sorted. */
export type PermissionsByEnvironment = Record<string, string[]>;

export interface RealAccess {
  /** Per member key: what it holds on each environment, on the account and where it may create. */
  environments: Record<string, PermissionsByEnvironment>;
  places: Record<string, Record<string, string[]>>;
  environmentIds: string[];
}

/**
 * What the server would decide now for every member, read with the real loaders and the real decide(): the whole
 * account as an arrangement reads it (loadAccountFacts: every member whose shares are kept, their shares, groups,
 * roles, environments and their groups) and, as the request path does, each member's collaboration status and
 * whether its trial has ended (isTrialExpired), which decide() turns into no access. Per step this costs six
 * queries for the whole account, where each member's GET /environments would cost six requests: the HTTP listing
 * is compared once per sequence (`readListings`), and 300 sequences of 25 steps stay within minutes.
 */
export async function readRealAccess(stage: Stage): Promise<RealAccess> {
  const db = stage.t.ctx.db;
  const now = stage.clock.now();
  const [ids, standing] = await Promise.all([
    rawRows<{ id: string }>(db, sql`select id from environments where owner_id = ${stage.owner.id} and deleted_at is null order by id`),
    db
      .select({ userId: users.id, type: users.type, trialEndsAt: users.trialEndsAt, status: collaborations.status })
      .from(collaborations)
      .innerJoin(users, eq(users.id, collaborations.memberId))
      .where(eq(collaborations.ownerId, stage.owner.id)),
  ]);
  const environmentIds = ids.map((row) => row.id);
  const facts = await loadAccountFacts(db, now, stage.owner.id, { environmentIds });
  const environments: RealAccess['environments'] = {};
  const places: RealAccess['places'] = {};
  for (const member of stage.members) {
    const found = facts.members.find((m) => m.userId === member.account.id);
    const stands = standing.find((row) => row.userId === member.account.id);
    const onEnvironments: PermissionsByEnvironment = {};
    const onPlaces: Record<string, string[]> = {};
    environments[member.key] = onEnvironments;
    places[member.key] = onPlaces;
    if (!found || !stands) continue;
    const snapshot: AccessSnapshot = {
      now,
      subject: { id: found.userId, trialExpired: isTrialExpired(stands, now) },
      ownerId: facts.ownerId,
      collaboration: { id: found.collaborationId, status: stands.status },
      shares: found.shares,
      groups: facts.groups,
      rolePermissions: facts.rolePermissions,
    };
    for (const env of facts.environments) {
      const held = effectiveAccess(snapshot, { kind: 'environment', environmentId: env.id, groupIds: env.groupIds }).permissions;
      if (held.length > 0) onEnvironments[env.id] = [...held].sort();
    }
    const placeTargets: Array<[string, AccessTarget]> = [
      ['account', { kind: 'account' }],
      ['root', { kind: 'create', groupId: null }],
      ...[...facts.groups.keys()].map((id): [string, AccessTarget] => [`group:${id}`, { kind: 'create', groupId: id }]),
    ];
    for (const [name, target] of placeTargets) {
      const held = effectiveAccess(snapshot, target).permissions;
      if (held.length > 0) onPlaces[name] = [...held].sort();
    }
  }
  return { environments, places, environmentIds };
}

/** Each member's GET /environments, the owner's environments only: the HTTP side of the same reading. */
export async function readListings(stage: Stage): Promise<Record<string, PermissionsByEnvironment | { status: number; code: string }>> {
  const listings: Record<string, PermissionsByEnvironment | { status: number; code: string }> = {};
  const listers = stage.members.flatMap((member) => [
    { key: member.key, as: member.account as Account | string },
    ...(member.token ? [{ key: `${member.key} token`, as: member.token.secret }] : []),
  ]);
  for (const lister of listers) {
    const answer = await stage.t.http.as(lister.as).get('/api/v1/environments', { query: { limit: 200 } });
    if (answer.status !== 200) {
      listings[lister.key] = { status: answer.status, code: answer.body.code };
      continue;
    }
    expect(answer.body.nextCursor).toBeNull();
    const items = answer.body.items as Array<{ id: string; owner: { id: string }; permissions: string[] }>;
    listings[lister.key] = Object.fromEntries(items.filter((i) => i.owner.id === stage.owner.id).map((i) => [i.id, [...i.permissions].sort()]));
  }
  return listings;
}

/**
 * One query over every row the access decision reads for this owner — collaborations and their status, shares
 * (a member's and a team's), team memberships,
 * their roles and ends, groups, filing, custom roles, live environments, the members' trials — digested. When a step
 * leaves it unchanged (a refused request, an idempotent one) and the clock stood still, the server decides exactly as
 * before (decide() is pure over these rows), so the previous reading stands and the six reading queries are saved.
 */
export async function accessDigest(stage: Stage): Promise<string> {
  const owner = stage.owner.id;
  const [row] = await rawRows<{ d: string }>(
    stage.t.ctx.db,
    sql`select md5(concat_ws('|',
      (select string_agg(c.id || ':' || c.status || ':' || coalesce(c.member_id, ''), ',' order by c.id) from collaborations c where c.owner_id = ${owner}),
      (select string_agg(s.id || ':' || coalesce(s.collaboration_id, '') || ':' || coalesce(s.team_id, '') || ':' || s.resource_type || ':' || coalesce(s.group_id, '') || ':' || coalesce(s.environment_id, '') || ':' || coalesce(s.expires_at::text, ''), ',' order by s.id)
         from shares s left join collaborations c on c.id = s.collaboration_id left join teams t on t.id = s.team_id where coalesce(c.owner_id, t.owner_id) = ${owner}),
      (select string_agg(r.share_id || ':' || r.role_id, ',' order by r.share_id, r.role_id)
         from share_roles r join shares s on s.id = r.share_id left join collaborations c on c.id = s.collaboration_id left join teams t on t.id = s.team_id
         where coalesce(c.owner_id, t.owner_id) = ${owner}),
      (select string_agg(m.team_id || ':' || m.collaboration_id, ',' order by m.team_id, m.collaboration_id) from team_members m join teams t on t.id = m.team_id where t.owner_id = ${owner}),
      (select string_agg(g.id || ':' || coalesce(g.parent_id, ''), ',' order by g.id) from groups g where g.owner_id = ${owner}),
      (select string_agg(ge.group_id || ':' || ge.environment_id, ',' order by ge.group_id, ge.environment_id)
         from group_environments ge join groups g on g.id = ge.group_id where g.owner_id = ${owner}),
      (select string_agg(r.id || ':' || array_to_string(r.permissions, ' '), ',' order by r.id) from roles r where r.owner_id = ${owner}),
      (select string_agg(e.id, ',' order by e.id) from environments e where e.owner_id = ${owner} and e.deleted_at is null),
      (select string_agg(u.id || ':' || u.type || ':' || coalesce(u.trial_ends_at::text, ''), ',' order by u.id) from users u)
    )) as d`,
  );
  return row?.d ?? '';
}
