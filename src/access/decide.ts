import { grantableAt, type Permission, permissions as allPermissions, type ShareLevel } from './catalog.js';
import type { AccessSnapshot, AccessTarget, ShareFacts, ShareResource } from './snapshot.js';
import { sharesOnAccount, sharesOnEnvironment, sharesOnNearestGroup } from './share-lookup.js';
import { sharesIndex } from './snapshot-index.js';
import { outlivesOwnersCap, scopedPermissions, scopeReaches } from './token-scope.js';

export type AccessLevel = 'owner' | 'direct' | 'group' | 'account';
export type BlockReason = 'not_member' | 'suspended' | 'trial_expired' | 'share_expired' | 'no_share' | 'token_scope' | 'two_factor_required' | 'token_lifetime_exceeded';

export interface Grant {
  shareId: string;
  resource: ShareResource;
  roleIds: readonly string[];
  /** The team the share was given to, when it counts through one. */
  teamId: string | null;
}

/** What a person may do on a target, and why: the level that decided, the shares used, or what blocked them. */
export interface Access {
  level: AccessLevel | null;
  permissions: Permission[];
  via: Grant[];
  blockedBy: BlockReason | null;
}

/**
 * One permission decided: whether it is allowed, the level that decided and what blocked. The full answer (every
 * permission, the shares used) is `effectiveAccess()`; `decide()` only tests the one permission asked.
 */
export interface Decision {
  permission: Permission;
  allowed: boolean;
  level: AccessLevel | null;
  blockedBy: BlockReason | null;
}

const ENV_VIEW: Permission = 'env.view';

/** The union of the shares' role permissions that a share at `level` grants (catalog `levels`). */
function permissionsOf(snapshot: AccessSnapshot, level: ShareLevel, shares: Iterable<ShareFacts>): Permission[] {
  const grantable = grantableAt[level];
  const granted = new Set<Permission>();
  let anyEnv = false;
  for (const share of shares) {
    for (const roleId of share.roleIds) {
      for (const permission of snapshot.rolePermissions.get(roleId) ?? []) {
        if (!grantable.has(permission)) continue;
        granted.add(permission);
        if (permission.startsWith('env.')) anyEnv = true;
      }
    }
  }
  // Any other env permission implies seeing the environment.
  if (anyEnv) granted.add(ENV_VIEW);
  return allPermissions.filter((p) => granted.has(p));
}

/** Whether the shares at `level` grant `permission`, as `permissionsOf` would list it, without listing anything. */
function grants(snapshot: AccessSnapshot, level: ShareLevel, shares: readonly ShareFacts[], permission: Permission): boolean {
  const grantable = grantableAt[level];
  if (!grantable.has(permission)) return false;
  const viewing = permission === ENV_VIEW;
  for (const share of shares) {
    for (const roleId of share.roleIds) {
      const held = snapshot.rolePermissions.get(roleId);
      if (held === undefined) continue;
      if (!viewing) {
        if (held.includes(permission)) return true;
        continue;
      }
      for (const p of held) if (p.startsWith('env.') && grantable.has(p)) return true;
    }
  }
  return false;
}

const grant = (share: ShareFacts): Grant => ({ shareId: share.id, resource: share.resource, roleIds: share.roleIds, teamId: share.teamId ?? null });

const none = (blockedBy: BlockReason): Access => ({ level: null, permissions: [], via: [], blockedBy });

/**
 * Effective access of the snapshot's subject on a target. With a scoped API token it is the intersection of the
 * token's scope and the holder's live access (`holderAccess`): outside the scope's resources, or with none of the
 * scope's permissions left, nothing (`token_scope`); a suspension, unlink, expired share or ended trial blocks it as
 * it blocks the holder. Any API token, scoped or not, that lives longer than the owner lets tokens act in its account
 * gets nothing there (`token_lifetime_exceeded`), while its holder keeps its access.
 */
export function effectiveAccess(snapshot: AccessSnapshot, target: AccessTarget): Access {
  const held = holderAccess(snapshot, target);
  if (held.blockedBy !== null) return held;
  if (outlivesOwnersCap(snapshot)) return none('token_lifetime_exceeded');
  const scope = snapshot.subject.scope;
  if (!scope) return held;
  const permissions = scopeReaches(scope, snapshot, target) ? scopedPermissions(scope, held.permissions) : [];
  return permissions.length > 0 ? { level: held.level, permissions, via: held.via, blockedBy: null } : none('token_scope');
}

/** The level that decides and its live shares, or what blocks: the decision before any permission is read. */
type Deciding = { level: ShareLevel; shares: readonly ShareFacts[] } | { level: 'owner' } | BlockReason;

const OWNER: Deciding = { level: 'owner' };

/**
 * By DESIGN.md section 6: an expired trial gets nothing (section 2: even on its own environments); the owner has
 * everything; otherwise only an active collaboration counts, and only the highest level with any live share
 * decides — direct, then group (the nearest shared ancestor of each of the environment's groups, united), then
 * account.
 */
function deciding(snapshot: AccessSnapshot, target: AccessTarget): Deciding {
  if (snapshot.subject.trialExpired) return 'trial_expired';
  if (snapshot.subject.id === snapshot.ownerId) return OWNER;
  const collaboration = snapshot.collaboration;
  if (!collaboration) return 'not_member';
  if (collaboration.status === 'suspended') return 'suspended';
  if (collaboration.status !== 'active') return 'not_member';
  // The owner requires a second factor of its members and this one has none (issue 12).
  if (collaboration.lacksRequiredSecondFactor === true) return 'two_factor_required';

  const index = sharesIndex(snapshot, target);
  const now = snapshot.now.getTime();
  const passed = { expired: false };
  if (target.kind === 'environment') {
    const direct = sharesOnEnvironment(index, now, target.environmentId, passed);
    if (direct.length > 0) return { level: 'direct', shares: direct };
  }

  // Two groups may lead to the same nearest shared ancestor: count its shares once.
  let viaGroups: readonly ShareFacts[] = [];
  let united: Set<ShareFacts> | undefined;
  const groupIds = target.kind === 'environment' ? target.groupIds : target.kind === 'create' && target.groupId !== null ? [target.groupId] : [];
  for (const groupId of groupIds) {
    const nearest = sharesOnNearestGroup(index, snapshot, now, groupId, passed);
    if (nearest.length === 0 || nearest === viaGroups) continue;
    if (viaGroups.length === 0) viaGroups = nearest;
    else for (const share of nearest) (united ??= new Set(viaGroups)).add(share);
  }
  if (united) viaGroups = [...united];
  if (viaGroups.length > 0) return { level: 'group', shares: viaGroups };

  const account = sharesOnAccount(index, now, passed);
  if (account.length > 0) return { level: 'account', shares: account };
  return passed.expired ? 'share_expired' : 'no_share';
}

/** Access of the snapshot's subject itself on a target (see `deciding`), with every permission and the shares used. */
export function holderAccess(snapshot: AccessSnapshot, target: AccessTarget): Access {
  const found = deciding(snapshot, target);
  if (typeof found === 'string') return none(found);
  if (found.level === 'owner') return { level: 'owner', permissions: [...allPermissions], via: [], blockedBy: null };
  return { level: found.level, permissions: permissionsOf(snapshot, found.level, found.shares), via: found.shares.map(grant), blockedBy: null };
}

/** Decides one permission on a target; `allowed` is true only if the effective access holds it. */
export function decide(snapshot: AccessSnapshot, target: AccessTarget, permission: Permission): Decision {
  if (snapshot.subject.scope) {
    // A scoped token intersects whole permission lists (scopedPermissions): decided on the full answer.
    const access = effectiveAccess(snapshot, target);
    return { permission, allowed: access.permissions.includes(permission), level: access.level, blockedBy: access.blockedBy };
  }
  const found = deciding(snapshot, target);
  if (typeof found === 'string') return { permission, allowed: false, level: null, blockedBy: found };
  if (outlivesOwnersCap(snapshot)) return { permission, allowed: false, level: null, blockedBy: 'token_lifetime_exceeded' };
  if (found.level === 'owner') return { permission, allowed: true, level: 'owner', blockedBy: null };
  return { permission, allowed: grants(snapshot, found.level, found.shares, permission), level: found.level, blockedBy: null };
}

/** Whether the effective access lets the subject see an environment at all (an unseen one answers 404). */
export function canSee(access: Access): boolean {
  return access.permissions.includes(ENV_VIEW);
}
