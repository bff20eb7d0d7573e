/**
 * The reference model: DESIGN.md section 6 written down as naively as possible, from the text alone, to check
 * src/access/decide.ts against. It favours being obviously right over being fast: ancestor chains are built as
 * lists, every level is computed in full before one is chosen, and the system roles are re-read from section 5.
 */
import type { TokenScope } from '../../src/access/token-scope.js';
import { permissions as catalogIds, type Permission } from '../../src/access/catalog.js';
import type { ShareFacts } from '../../src/access/snapshot.js';
import type { Question, TeamFacts, World } from './world.js';

export type ModelLevel = 'owner' | 'direct' | 'group' | 'account';
export type ModelBlock = 'not_member' | 'suspended' | 'trial_expired' | 'share_expired' | 'no_share' | 'token_scope' | 'two_factor_required' | 'token_lifetime_exceeded';

export interface ModelAnswer {
  level: ModelLevel | null;
  permissions: Set<Permission>;
  shareIds: Set<string>;
  blockedBy: ModelBlock | null;
}

// Section 5, copied from the text, not imported from the catalog: the model also checks the catalog's roles.
const VIEWER: Permission[] = ['env.view', 'env.logs'];
const OPERATOR: Permission[] = [...VIEWER, 'env.start', 'env.stop', 'env.restart'];
const DEVELOPER: Permission[] = [
  ...OPERATOR,
  ...(['env.rename', 'env.topology', 'env.deploy', 'env.config', 'env.exec', 'env.clone', 'env.groups', 'env.create'] as const),
];
const EVERY: Permission[] = [...catalogIds];
const SYSTEM_ROLES: Record<string, Permission[]> = { viewer: VIEWER, operator: OPERATOR, developer: DEVELOPER, admin: EVERY };

/** A role's permissions as section 5 and the owner's custom roles define them, before any level narrows them. */
export function rolePermissions(world: Pick<World, 'customRoles'>, roleId: string): Permission[] {
  const system = Object.hasOwn(SYSTEM_ROLES, roleId) ? SYSTEM_ROLES[roleId] : undefined;
  if (system) return system;
  // An unknown role grants nothing (a share naming it still is a share).
  return world.customRoles.find((role) => role.id === roleId)?.permissions ?? [];
}

/** "G, its parent, its parent's parent...": the whole chain as a list, stopping at a root or a loop. */
export function ancestorChain(world: World, groupId: string): string[] {
  const chain: string[] = [];
  let current: string | null = groupId;
  while (current !== null && !chain.includes(current)) {
    chain.push(current);
    const id: string = current;
    current = world.groups.find((g) => g.id === id)?.parentId ?? null;
  }
  return chain;
}

/** A share expires at `expiresAt`: from that instant on it grants nothing (as sessions and API tokens do). */
const unexpired = (share: ShareFacts, now: Date) => share.expiresAt === null || now.getTime() < share.expiresAt.getTime();

const onEnvironment = (id: string) => (s: ShareFacts) => s.resource.type === 'environment' && s.resource.id === id;
const onGroup = (id: string) => (s: ShareFacts) => s.resource.type === 'group' && s.resource.id === id;
const onAccount = (s: ShareFacts) => s.resource.type === 'account';

/** The shares each level would use, from the given shares, for a question: [direct, group, account]. */
function levels(world: World, question: Question, shares: ShareFacts[]): [ShareFacts[], ShareFacts[], ShareFacts[]] {
  const direct = question.kind === 'environment' ? shares.filter(onEnvironment(question.environmentId)) : [];

  let startGroups: string[] = [];
  if (question.kind === 'environment') startGroups = world.environments.find((e) => e.id === question.environmentId)?.groupIds ?? [];
  if (question.kind === 'create' && question.groupId !== null) startGroups = [question.groupId];
  const group: ShareFacts[] = [];
  for (const start of startGroups) {
    // The first group up the chain that has any share gives its shares' roles.
    const first = ancestorChain(world, start).find((g) => shares.some(onGroup(g)));
    if (first !== undefined) group.push(...shares.filter(onGroup(first)));
  }

  const account = shares.filter(onAccount);
  return [direct, group, account];
}

const nothing = (blockedBy: ModelBlock): ModelAnswer => ({ level: null, permissions: new Set(), shareIds: new Set(), blockedBy });

/**
 * What the world's subject may do for one question, and why: with a scoped API token (issue 12), the intersection
 * of the token's scope and what the holder itself may do; a holder blocked is blocked the same through the token.
 * Any token living longer than the owner's cap gets nothing in the owner's account (never in the holder's own).
 */
export function modelAccess(world: World, question: Question): ModelAnswer {
  const held = modelHolderAccess(world, question);
  if (held.blockedBy !== null) return held;
  const { tokenLifetimeDays, ownerTokenMaxLifetimeDays } = world;
  if (world.subjectId !== world.ownerId && tokenLifetimeDays !== undefined && ownerTokenMaxLifetimeDays !== undefined && tokenLifetimeDays > ownerTokenMaxLifetimeDays) {
    return nothing('token_lifetime_exceeded');
  }
  const scope = world.tokenScope;
  if (!scope) return held;
  const reaches = scopeReaches(world, scope, question);
  const kept = new Set([...held.permissions].filter((p) => reaches && scope.permissions.includes(p)));
  if (kept.size === 0) return nothing('token_scope');
  // Deploying implies seeing, through a token as through a role.
  if ([...kept].some((p) => p.startsWith('env.'))) kept.add('env.view');
  return { ...held, permissions: kept };
}

/** Whether a token's scope covers a question: its account only; the account, an environment, or a group and all below it. */
function scopeReaches(world: World, scope: NonNullable<World['tokenScope']>, question: Question): boolean {
  if (scope.ownerId !== world.ownerId) return false;
  if (scope.resources.some((r) => r.type === 'account')) return true;
  const underScopedGroup = (groupId: string) => ancestorChain(world, groupId).some((g) => scope.resources.some((r) => r.type === 'group' && r.id === g));
  if (question.kind === 'account') return false;
  if (question.kind === 'create') return question.groupId !== null && underScopedGroup(question.groupId);
  if (scope.resources.some((r) => r.type === 'environment' && r.id === question.environmentId)) return true;
  return (world.environments.find((e) => e.id === question.environmentId)?.groupIds ?? []).some(underScopedGroup);
}

/** What the world's subject itself may do for one question, and why, by DESIGN.md section 6. */
function modelHolderAccess(world: World, question: Question): ModelAnswer {
  // Section 2: an expired trial gets trial_expired on every environment route, its own ones included.
  if (world.trialExpired) return nothing('trial_expired');
  if (world.subjectId === world.ownerId) return { level: 'owner', permissions: new Set(EVERY), shareIds: new Set(), blockedBy: null };
  if (world.membership === 'suspended') return nothing('suspended');
  if (world.membership !== 'active') return nothing('not_member');
  // Issue 12: an owner who requires two-factor sign-in gives a member without a second factor nothing at all.
  if (world.ownerRequiresTwoFactor === true && world.subjectHasSecondFactor !== true) return nothing('two_factor_required');

  // Issue 13: the shares of every team the subject is in count as its own, at every level (a union per level).
  const held = [...world.shares, ...(world.teams ?? []).flatMap((team) => (team.memberIds.includes(world.subjectId) ? team.shares : []))];
  const live = held.filter((s) => unexpired(s, world.now));
  const [direct, group, account] = levels(world, question, live);
  const names: ModelLevel[] = ['direct', 'group', 'account'];
  const chosen = [direct, group, account].findIndex((shares) => shares.length > 0);
  const level = names[chosen];
  const shares = [direct, group, account][chosen];
  if (level === undefined || shares === undefined) {
    // Would anything have decided had no share expired?
    const wouldHave = levels(world, question, held).some((s) => s.length > 0);
    return nothing(wouldHave ? 'share_expired' : 'no_share');
  }

  const permissions = new Set(shares.flatMap((s) => s.roleIds.flatMap((r) => rolePermissions(world, r))));
  // Section 6: collaboration.manage is read at account level only. env.create is about where a new environment
  // goes (section 5: an account or a group share), so a share on one environment cannot grant it.
  if (level !== 'account') permissions.delete('collaboration.manage');
  if (level === 'direct') permissions.delete('env.create');
  if ([...permissions].some((p) => p.startsWith('env.'))) permissions.add('env.view');
  return { level, permissions, shareIds: new Set(shares.map((s) => s.id)), blockedBy: null };
}

/**
 * The whole of one owner's account, every member at once: what the sequence test (sequence.test.ts) tracks while
 * random actors change it. Each member is asked about through `memberWorld`, so every answer still comes from
 * `modelAccess` above.
 */
export interface AccountModel {
  now: Date;
  ownerId: string;
  groups: { id: string; parentId: string | null }[];
  environments: { id: string; groupIds: string[] }[];
  customRoles: { id: string; permissions: Permission[] }[];
  members: AccountMember[];
  /** The owner's teams (issue 13), their members by user id. */
  teams: TeamFacts[];
}

export interface AccountMember {
  userId: string;
  membership: World['membership'];
  /** A trial account's end (expired from that instant on); null for accounts that never expire. */
  trialEndsAt: Date | null;
  shares: ShareFacts[];
  /** The scope of the API token the member acts through in this question; absent: a session. */
  tokenScope?: TokenScope | null;
}

/** The account as `member` stands in it, at `now` (default the account's), for `modelAccess`. */
export function memberWorld(account: AccountModel, member: AccountMember, now: Date = account.now): World {
  return {
    now,
    ownerId: account.ownerId,
    subjectId: member.userId,
    trialExpired: member.trialEndsAt !== null && member.trialEndsAt.getTime() <= now.getTime(),
    membership: member.membership,
    groups: account.groups,
    environments: account.environments,
    customRoles: account.customRoles,
    shares: member.shares,
    teams: account.teams,
    tokenScope: member.tokenScope ?? null,
  };
}

/** The account as its owner stands in it. */
export function ownerWorld(account: AccountModel): World {
  return { ...memberWorld(account, { userId: account.ownerId, membership: 'none', trialEndsAt: null, shares: [] }), subjectId: account.ownerId };
}

/**
 * Permissions about places, not about one environment (section 5): env.create says where new environments may go
 * and collaboration.manage is about the members. Section 6b speaks of permissions "on an environment": the others.
 */
export const PLACE_PERMISSIONS: readonly Permission[] = ['env.create', 'collaboration.manage'];

/** What a member may do on one environment itself (section 6b's sense), at `now`. */
export function onEnvironmentAt(account: AccountModel, member: AccountMember, environmentId: string, now: Date = account.now): Set<Permission> {
  const answer = modelAccess(memberWorld(account, member, now), { kind: 'environment', environmentId });
  return new Set([...answer.permissions].filter((p) => !PLACE_PERMISSIONS.includes(p)));
}

/** The account-level permissions a member holds now (a manager's limits are these). */
export function heldOnAccount(account: AccountModel, member: AccountMember): Set<Permission> {
  return modelAccess(memberWorld(account, member), { kind: 'account' }).permissions;
}

/** Whether a member manages the account: collaboration.manage on a live account share, whatever its status. */
export function isManager(account: AccountModel, member: AccountMember): boolean {
  return heldOnAccount(account, { ...member, membership: 'active', trialEndsAt: null }).has('collaboration.manage');
}

/**
 * The instants a change is judged at (section 6b, read literally: "would hold ... that it did not hold before",
 * today or at any later time without further change): now, and just after every expiry still ahead on either side.
 */
function instantsOf(now: Date, ...accounts: AccountModel[]): Date[] {
  const shares = accounts.flatMap((a) => [...a.members.flatMap((m) => m.shares), ...a.teams.flatMap((t) => t.shares)]);
  const ahead = shares.flatMap((s) => (s.expiresAt && s.expiresAt > now ? [s.expiresAt.getTime() + 1] : []));
  return [now, ...[...new Set(ahead)].sort((x, y) => x - y).map((ms) => new Date(ms))];
}

export interface ModelGain {
  userId: string;
  environmentId: string;
  gained: Permission[];
}

/** A member whose shares are kept (active or suspended), as it stands once awake: active, its trial running. */
const awake = (member: AccountMember | undefined): AccountMember | undefined =>
  member && (member.membership === 'active' || member.membership === 'suspended') ? { ...member, membership: 'active', trialEndsAt: null } : undefined;

/**
 * Section 6b: who would hold on some environment a permission it did not hold before, between two states of the
 * account. A member who sleeps (suspended, or its trial ended) counts as it will stand once woken: its shares wake
 * up with it, so an arrangement must not widen them meanwhile either. `baselineOf` names what an environment of
 * `after` is compared with (a clone: its source); one absent before is compared with nothing.
 */
export function modelGains(before: AccountModel, after: AccountModel, baselineOf: (environmentId: string) => string = (id) => id): ModelGain[] {
  const gains: ModelGain[] = [];
  const at = instantsOf(after.now, before, after);
  for (const sleeper of after.members) {
    const member = awake(sleeper);
    if (!member) continue;
    const was = awake(before.members.find((m) => m.userId === member.userId));
    for (const env of after.environments) {
      const baseline = baselineOf(env.id);
      const existed = before.environments.some((e) => e.id === baseline);
      const gained = new Set<Permission>();
      for (const instant of at) {
        const had = was && existed ? onEnvironmentAt(before, was, baseline, instant) : new Set<Permission>();
        for (const p of onEnvironmentAt(after, member, env.id, instant)) if (!had.has(p)) gained.add(p);
      }
      if (gained.size > 0) gains.push({ userId: member.userId, environmentId: env.id, gained: [...gained] });
    }
  }
  return gains;
}

/** Every question about an account: each environment, creating at the root and in each group, the account. */
function accountQuestions(account: AccountModel): Question[] {
  return [
    { kind: 'account' },
    { kind: 'create', groupId: null },
    ...account.groups.map((g): Question => ({ kind: 'create', groupId: g.id })),
    ...account.environments.map((e): Question => ({ kind: 'environment', environmentId: e.id })),
  ];
}

/**
 * Section 6: a manager "may never grant a role holding a permission it does not hold itself at account level" — and
 * so may never leave a member holding, anywhere, such a permission it did not hold before: the first such permission
 * between `before` and `after` for `member`, judged as if active (a suspended member's shares wake up) now and
 * after every expiry ahead.
 */
export function gainBeyond(before: AccountModel, after: AccountModel, userId: string, held: ReadonlySet<Permission>): Permission | undefined {
  const awake = (account: AccountModel) => {
    const member = account.members.find((m) => m.userId === userId);
    return member ? { ...member, membership: 'active' as const, trialEndsAt: null } : undefined;
  };
  const [was, is] = [awake(before), awake(after)];
  if (!is) return undefined;
  for (const instant of instantsOf(after.now, before, after)) {
    for (const question of accountQuestions(after)) {
      const had = was ? modelAccess(memberWorld(before, was, instant), question).permissions : new Set<Permission>();
      const has = modelAccess(memberWorld(after, is, instant), question).permissions;
      const beyond = [...has].find((p) => !had.has(p) && !held.has(p));
      if (beyond) return beyond;
    }
  }
  return undefined;
}

/** The groups a member is shown (API.md): all when it sees the account, else shared ones and their subgroups, and the groups of environments it sees. */
export function visibleGroups(account: AccountModel, member: AccountMember | 'owner'): Set<string> {
  if (member === 'owner') return new Set(account.groups.map((g) => g.id));
  const world = memberWorld(account, member);
  if (modelAccess(world, { kind: 'account' }).permissions.has('env.view')) return new Set(account.groups.map((g) => g.id));
  const visible = new Set(account.groups.filter((g) => modelAccess(world, { kind: 'create', groupId: g.id }).permissions.has('env.view')).map((g) => g.id));
  for (const env of account.environments) {
    if (modelAccess(world, { kind: 'environment', environmentId: env.id }).permissions.has('env.view')) for (const id of env.groupIds) visible.add(id);
  }
  return visible;
}
