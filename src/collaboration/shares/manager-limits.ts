import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Permission } from '../../access/catalog.js';
import { effectiveAccess } from '../../access/decide.js';
import type { AccessSnapshot, AccessTarget, ShareFacts } from '../../access/snapshot.js';
import type { Db } from '../../db/client.js';
import { environments, groupEnvironments } from '../../db/schema/index.js';
import { missingPermission } from '../../http/errors.js';
import { loadGroupTree, loadRolePermissions, loadShares } from '../../access/load/snapshot.js';
import { grantsWithinHeld, type OwnerScope } from '../scope.js';

/** Every place a member's access can differ: the account, creating at the root and in each group, each environment. */
async function everyTarget(db: Db, ownerId: string, groupIds: Iterable<string>): Promise<AccessTarget[]> {
  const envs = await db
    .select({ id: environments.id })
    .from(environments)
    .where(and(eq(environments.ownerId, ownerId), isNull(environments.deletedAt)));
  const links = envs.length
    ? await db
        .select()
        .from(groupEnvironments)
        .where(inArray(groupEnvironments.environmentId, envs.map((env) => env.id)))
    : [];
  return [
    { kind: 'account' },
    { kind: 'create', groupId: null },
    ...[...groupIds].map((groupId): AccessTarget => ({ kind: 'create', groupId })),
    ...envs.map(
      (env): AccessTarget => ({
        kind: 'environment',
        environmentId: env.id,
        groupIds: links.filter((link) => link.environmentId === env.id).map((link) => link.groupId),
      }),
    ),
  ];
}

function firstGainBeyond(before: AccessSnapshot, after: AccessSnapshot, place: AccessTarget, held: ReadonlySet<Permission>): Permission | undefined {
  const had = new Set(effectiveAccess(before, place).permissions);
  return effectiveAccess(after, place).permissions.find((permission) => !had.has(permission) && !held.has(permission));
}

/**
 * A manager may never leave a member holding, anywhere, a permission the manager does not hold on the whole
 * account: not by granting a role, and not by removing a narrower share or extending an expiry so that a broader
 * one shows through, and not by re-activating a suspended member whose shares hold more (`wakingUp`: the member
 * had nothing before). Judges the member as if active (a suspended member's shares wake up on re-activation) by
 * comparing its access on every target before and after `change`, in the caller's transaction.
 */
export async function assertNoGainBeyondManager(
  db: Db,
  now: Date,
  scope: OwnerScope,
  member: { collaborationId: string; userId: string },
  change: (shares: readonly ShareFacts[]) => ShareFacts[],
  options: { wakingUp?: boolean } = {},
): Promise<void> {
  if (!grantsWithinHeld(scope)) return;
  const [shares, groups, rolePermissions] = await Promise.all([
    loadShares(db, member.collaborationId),
    loadGroupTree(db, scope.owner.id),
    loadRolePermissions(db, scope.owner.id),
  ]);
  const base = {
    now,
    subject: { id: member.userId, trialExpired: false },
    ownerId: scope.owner.id,
    collaboration: { id: member.collaborationId, status: 'active' as const },
    groups,
    rolePermissions,
  };
  const changed = change(shares);
  // Judged now and just after every expiry ahead: extending a share, or shortening a narrower one, gives nothing
  // today but shows its effect when the old or the new expiry passes.
  const instants = [now, ...[...shares, ...changed].flatMap((share) => (share.expiresAt && share.expiresAt > now ? [new Date(share.expiresAt.getTime() + 1)] : []))];
  const places = await everyTarget(db, scope.owner.id, groups.keys());
  for (const at of instants) {
    const before: AccessSnapshot = { ...base, now: at, shares: options.wakingUp ? [] : shares };
    const after: AccessSnapshot = { ...base, now: at, shares: changed };
    const beyond = places.map((place) => firstGainBeyond(before, after, place, scope.held)).find((found) => found !== undefined);
    if (beyond) throw missingPermission(beyond, `This change would give the member ${beyond}, which you do not hold on the whole account yourself.`);
  }
}
