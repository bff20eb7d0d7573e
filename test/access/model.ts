/**
 * The reference model: DESIGN.md section 6 written down as naively as possible, from the text alone, to check
 * src/access/decide.ts against. It favours being obviously right over being fast: ancestor chains are built as
 * lists, every level is computed in full before one is chosen, and the system roles are re-read from section 5.
 */
import { permissions as catalogIds, type Permission } from '../../src/access/catalog.js';
import type { ShareFacts } from '../../src/access/snapshot.js';
import type { Question, World } from './world.js';

export type ModelLevel = 'owner' | 'direct' | 'group' | 'account';
export type ModelBlock = 'not_member' | 'suspended' | 'trial_expired' | 'share_expired' | 'no_share' | 'token_scope';

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

function rolePermissions(world: World, roleId: string): Permission[] {
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
 */
export function modelAccess(world: World, question: Question): ModelAnswer {
  const held = modelHolderAccess(world, question);
  const scope = world.tokenScope;
  if (!scope || held.blockedBy !== null) return held;
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

  const live = world.shares.filter((s) => unexpired(s, world.now));
  const [direct, group, account] = levels(world, question, live);
  const names: ModelLevel[] = ['direct', 'group', 'account'];
  const chosen = [direct, group, account].findIndex((shares) => shares.length > 0);
  const level = names[chosen];
  const shares = [direct, group, account][chosen];
  if (level === undefined || shares === undefined) {
    // Would anything have decided had no share expired?
    const wouldHave = levels(world, question, world.shares).some((s) => s.length > 0);
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
