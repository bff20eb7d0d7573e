import { type Permission, permissions as allPermissions } from './catalog.js';
import type { AccessSnapshot, AccessTarget, ShareFacts, ShareResource } from './snapshot.js';

export type AccessLevel = 'owner' | 'direct' | 'group' | 'account';
export type BlockReason = 'not_member' | 'suspended' | 'trial_expired' | 'share_expired' | 'no_share';

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

const live = (share: ShareFacts, now: Date) => share.expiresAt === null || share.expiresAt.getTime() > now.getTime();

function permissionsOf(snapshot: AccessSnapshot, shares: readonly ShareFacts[]): Permission[] {
  const granted = new Set<Permission>();
  for (const share of shares) {
    for (const roleId of share.roleIds) {
      for (const permission of snapshot.rolePermissions.get(roleId) ?? []) granted.add(permission);
    }
  }
  // Any other env permission implies seeing the environment.
  if ([...granted].some((p) => p.startsWith('env.'))) granted.add(ENV_VIEW);
  return allPermissions.filter((p) => granted.has(p));
}

const grant = (share: ShareFacts): Grant => ({ shareId: share.id, resource: share.resource, roleIds: share.roleIds });

function found(snapshot: AccessSnapshot, level: AccessLevel, shares: ShareFacts[]): Access {
  return { level, permissions: permissionsOf(snapshot, shares), via: shares.map(grant), blockedBy: null };
}

const none = (blockedBy: BlockReason): Access => ({ level: null, permissions: [], via: [], blockedBy });

/** The share on `group` or on its nearest ancestor that has one, walking up; `expired` collects dead ones seen. */
function nearestGroupShare(snapshot: AccessSnapshot, groupId: string, expired: ShareFacts[]): ShareFacts | undefined {
  const seen = new Set<string>();
  let current: string | null = groupId;
  while (current !== null && !seen.has(current)) {
    seen.add(current);
    const here = snapshot.shares.filter((s) => s.resource.type === 'group' && s.resource.id === current);
    const alive = here.find((s) => live(s, snapshot.now));
    if (alive) return alive;
    expired.push(...here);
    current = snapshot.groups.get(current)?.parentId ?? null;
  }
  return undefined;
}

/**
 * Effective access of the snapshot's subject on a target, by DESIGN.md section 6: the owner has everything;
 * otherwise only an active collaboration counts, and only the highest level with any live share decides —
 * direct, then group (nearest shared ancestor of each of the environment's groups, united), then account.
 */
export function effectiveAccess(snapshot: AccessSnapshot, target: AccessTarget): Access {
  if (snapshot.subject.id === snapshot.ownerId) {
    return { level: 'owner', permissions: [...allPermissions], via: [], blockedBy: null };
  }
  if (snapshot.subject.trialExpired) return none('trial_expired');
  const collaboration = snapshot.collaboration;
  if (!collaboration) return none('not_member');
  if (collaboration.status === 'suspended') return none('suspended');
  if (collaboration.status !== 'active') return none('not_member');

  const now = snapshot.now;
  const expired: ShareFacts[] = [];

  if (target.kind === 'environment') {
    const direct = snapshot.shares.filter((s) => s.resource.type === 'environment' && s.resource.id === target.environmentId);
    const liveDirect = direct.filter((s) => live(s, now));
    if (liveDirect.length > 0) return found(snapshot, 'direct', liveDirect);
    expired.push(...direct);
  }

  const groupIds = target.kind === 'environment' ? target.groupIds : target.kind === 'create' && target.groupId ? [target.groupId] : [];
  const byGroup = new Map<string, ShareFacts>();
  for (const groupId of groupIds) {
    const share = nearestGroupShare(snapshot, groupId, expired);
    if (share) byGroup.set(share.id, share);
  }
  if (byGroup.size > 0) return found(snapshot, 'group', [...byGroup.values()]);

  const account = snapshot.shares.filter((s) => s.resource.type === 'account');
  const liveAccount = account.filter((s) => live(s, now));
  if (liveAccount.length > 0) return found(snapshot, 'account', liveAccount);
  expired.push(...account);

  return none(expired.length > 0 ? 'share_expired' : 'no_share');
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
