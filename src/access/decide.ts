import { grantableAt, type Permission, permissions as allPermissions, type ShareLevel } from './catalog.js';
import type { AccessSnapshot, AccessTarget, ShareFacts, ShareResource } from './snapshot.js';
import { shareLookup } from './share-lookup.js';
import { scopedPermissions, scopeReaches } from './token-scope.js';

export type AccessLevel = 'owner' | 'direct' | 'group' | 'account';
export type BlockReason = 'not_member' | 'suspended' | 'trial_expired' | 'share_expired' | 'no_share' | 'token_scope' | 'two_factor_required';

export interface Grant {
  shareId: string;
  resource: ShareResource;
  roleIds: readonly string[];
}

/** What a person may do on a target, and why: the level that decided, the shares used, or what blocked them. */
export interface Access {
  level: AccessLevel | null;
  permissions: Permission[];
  via: Grant[];
  blockedBy: BlockReason | null;
}

export interface Decision extends Access {
  permission: Permission;
  allowed: boolean;
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

const grant = (share: ShareFacts): Grant => ({ shareId: share.id, resource: share.resource, roleIds: share.roleIds });

function found(snapshot: AccessSnapshot, level: ShareLevel, shares: readonly ShareFacts[]): Access {
  return { level, permissions: permissionsOf(snapshot, level, shares), via: shares.map(grant), blockedBy: null };
}

const none = (blockedBy: BlockReason): Access => ({ level: null, permissions: [], via: [], blockedBy });

/**
 * Effective access of the snapshot's subject on a target. With a scoped API token it is the intersection of the
 * token's scope and the holder's live access (`holderAccess`): outside the scope's resources, or with none of the
 * scope's permissions left, nothing (`token_scope`); a suspension, unlink, expired share or ended trial blocks it as
 * it blocks the holder.
 */
export function effectiveAccess(snapshot: AccessSnapshot, target: AccessTarget): Access {
  const held = holderAccess(snapshot, target);
  const scope = snapshot.subject.scope;
  if (!scope || held.blockedBy !== null) return held;
  const permissions = scopeReaches(scope, snapshot, target) ? scopedPermissions(scope, held.permissions) : [];
  return permissions.length > 0 ? { ...held, permissions } : none('token_scope');
}

/**
 * Access of the snapshot's subject itself on a target, by DESIGN.md section 6: an expired trial gets nothing
 * (section 2: even on its own environments); the owner has everything; otherwise only an active collaboration
 * counts, and only the highest level with any live share decides — direct, then group (the nearest shared
 * ancestor of each of the environment's groups, united), then account.
 */
export function holderAccess(snapshot: AccessSnapshot, target: AccessTarget): Access {
  if (snapshot.subject.trialExpired) return none('trial_expired');
  if (snapshot.subject.id === snapshot.ownerId) {
    return { level: 'owner', permissions: [...allPermissions], via: [], blockedBy: null };
  }
  const collaboration = snapshot.collaboration;
  if (!collaboration) return none('not_member');
  if (collaboration.status === 'suspended') return none('suspended');
  if (collaboration.status !== 'active') return none('not_member');
  // The owner requires a second factor of its members and this one has none (issue 12).
  if (collaboration.lacksRequiredSecondFactor === true) return none('two_factor_required');

  const shares = shareLookup(snapshot);
  let expired = false;

  if (target.kind === 'environment') {
    const direct = shares.environment(target.environmentId);
    if (direct.live.length > 0) return found(snapshot, 'direct', direct.live);
    expired ||= direct.expired;
  }

  const groupIds = target.kind === 'environment' ? target.groupIds : target.kind === 'create' && target.groupId !== null ? [target.groupId] : [];
  // Two groups may lead to the same nearest shared ancestor: count its shares once.
  const viaGroups = new Set<ShareFacts>();
  for (const groupId of groupIds) {
    const nearest = shares.nearestGroup(groupId);
    for (const share of nearest.live) viaGroups.add(share);
    expired ||= nearest.expired;
  }
  if (viaGroups.size > 0) return found(snapshot, 'group', [...viaGroups]);

  const account = shares.account();
  if (account.live.length > 0) return found(snapshot, 'account', account.live);
  expired ||= account.expired;

  return none(expired ? 'share_expired' : 'no_share');
}

/** Decides one permission on a target; `allowed` is true only if the effective access holds it. */
export function decide(snapshot: AccessSnapshot, target: AccessTarget, permission: Permission): Decision {
  const access = effectiveAccess(snapshot, target);
  return { ...access, permission, allowed: access.permissions.includes(permission) };
}

/** Whether the effective access lets the subject see an environment at all (an unseen one answers 404). */
export function canSee(access: Access): boolean {
  return access.permissions.includes(ENV_VIEW);
}
