import { isPermission, type Permission, permissions as allPermissions } from './catalog.js';
import type { AccessSnapshot, AccessTarget, GroupFacts } from './snapshot.js';

/** What a scoped API token reaches: the whole account, a group (with its subgroups) or one environment. */
export type ScopeResource = { type: 'account' } | { type: 'group'; id: string } | { type: 'environment'; id: string };

/**
 * The most a scoped API token may do: in one owner's account, on these resources, with these permissions. A request
 * made with it gets the intersection of this and its holder's live access at that moment.
 */
export interface TokenScope {
  ownerId: string;
  resources: readonly ScopeResource[];
  permissions: readonly Permission[];
}

const ENV_VIEW: Permission = 'env.view';

/** Whether `groupId` is a scoped group or sits below one (walking up the owner's group tree). */
function underScopedGroup(groups: ReadonlyMap<string, GroupFacts>, scoped: ReadonlySet<string>, groupId: string): boolean {
  const seen = new Set<string>();
  for (let at: string | null | undefined = groupId; at && !seen.has(at); at = groups.get(at)?.parentId) {
    if (scoped.has(at)) return true;
    seen.add(at);
  }
  return false;
}

/** Whether the scope's resources reach the target at all. */
export function scopeReaches(scope: TokenScope, snapshot: AccessSnapshot, target: AccessTarget): boolean {
  if (scope.ownerId !== snapshot.ownerId) return false;
  if (scope.resources.some((resource) => resource.type === 'account')) return true;
  if (target.kind === 'account') return false;
  const scopedGroups = new Set(scope.resources.flatMap((resource) => (resource.type === 'group' ? [resource.id] : [])));
  if (target.kind === 'create') return target.groupId !== null && underScopedGroup(snapshot.groups, scopedGroups, target.groupId);
  if (scope.resources.some((resource) => resource.type === 'environment' && resource.id === target.environmentId)) return true;
  return target.groupIds.some((groupId) => underScopedGroup(snapshot.groups, scopedGroups, groupId));
}

/** The holder's permissions a token's scope keeps: seeing an environment comes with any other env permission kept. */
export function scopedPermissions(scope: TokenScope, held: readonly Permission[]): Permission[] {
  const allowed = new Set(scope.permissions);
  const kept = new Set(held.filter((permission) => allowed.has(permission)));
  if ([...kept].some((permission) => permission.startsWith('env.')) && held.includes(ENV_VIEW)) kept.add(ENV_VIEW);
  return allPermissions.filter((permission) => kept.has(permission));
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Whether the subject acts through an API token that lives longer (expiry minus creation) than the owner lets tokens
 * act in its account. Only in another owner's account: the holder's own account and accounts without a cap are not
 * concerned.
 */
export function outlivesOwnersCap(snapshot: AccessSnapshot): boolean {
  const lifetime = snapshot.subject.tokenLifetimeMs;
  const cap = snapshot.collaboration?.tokenMaxLifetimeDays;
  if (lifetime === undefined || lifetime === null || cap === undefined || cap === null) return false;
  return snapshot.subject.id !== snapshot.ownerId && lifetime > cap * DAY_MS;
}

/** A scope as stored: permissions no longer in the catalog grant nothing. */
export function readTokenScope(stored: { ownerId: string; resources: readonly ScopeResource[]; permissions: readonly string[] }): TokenScope {
  return { ownerId: stored.ownerId, resources: stored.resources, permissions: stored.permissions.filter(isPermission) };
}
