import { and, eq, inArray } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import { collaborations, environments, groups, shareRoles, shares, users } from '../../db/schema/index.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { type DeliveryContext, deliverNotice } from '../../notifications/deliver.js';
import { initiatorOf } from '../../notifications/initiator.js';
import { shareRevokedNotice } from '../notices.js';
import { roleNames } from '../roles/resolve.js';
import { describeResource } from './resource.js';

/** What is going away, taking the shares on it along: groups being deleted, or an environment. */
export type Disappearing = { groupIds: readonly string[] } | { environmentId: string };

/**
 * Ends, explicitly and in the caller's transaction, every share on groups or an environment about to disappear:
 * each member concerned gets the share.revoked notice and mail, and each share its own audit event naming the
 * deleted resource (DESIGN.md section 6b: deleting what a share points at is a revocation, never a silent cascade).
 * Answers the collaborations whose shares ended.
 */
export async function revokeSharesOn(
  tx: Db,
  ctx: DeliveryContext,
  who: { caller: Caller; meta: RequestMeta; action: string },
  ownerId: string,
  what: Disappearing,
): Promise<string[]> {
  const on =
    'groupIds' in what
      ? what.groupIds.length > 0
        ? inArray(shares.groupId, [...what.groupIds])
        : undefined
      : eq(shares.environmentId, what.environmentId);
  if (!on) return [];
  const doomed = await tx
    .select({
      share: shares,
      member: { id: users.id, name: users.name, email: users.email },
      status: collaborations.status,
      groupName: groups.name,
      environmentName: environments.displayName,
    })
    .from(shares)
    .innerJoin(collaborations, eq(collaborations.id, shares.collaborationId))
    .leftJoin(users, eq(users.id, collaborations.memberId))
    .leftJoin(groups, eq(groups.id, shares.groupId))
    .leftJoin(environments, eq(environments.id, shares.environmentId))
    .where(and(eq(collaborations.ownerId, ownerId), on));
  if (doomed.length === 0) return [];
  const [owner = { id: ownerId, name: '' }] = await tx.select({ id: users.id, name: users.name }).from(users).where(eq(users.id, ownerId)).limit(1);
  const ids = doomed.map((row) => row.share.id);
  const links = await tx.select().from(shareRoles).where(inArray(shareRoles.shareId, ids));
  const names = await roleNames(tx, owner.id, links.map((link) => link.roleId));
  await tx.delete(shares).where(inArray(shares.id, ids));
  const now = ctx.clock.now();
  const by = { initiator: await initiatorOf(tx, owner.id, who.caller.user), ownerId: owner.id };
  for (const { share, member, status, groupName, environmentName } of doomed) {
    const type = share.resourceType === 'group' ? 'group' : 'environment';
    const name = groupName ?? environmentName ?? undefined;
    const resource = describeResource({ type, name }, owner.name);
    const roleIds = links.filter((link) => link.shareId === share.id).map((link) => link.roleId);
    // Only people who had or may again have access are told; a departed member has nothing to lose.
    if (member && (status === 'active' || status === 'suspended')) {
      const wording = { ownerName: owner.name, resource, roleNames: roleIds.map((id) => names.get(id) ?? id), expiresAt: share.expiresAt };
      await deliverNotice(tx, ctx, member, { ...shareRevokedNotice(wording, `${resource} was deleted`), by });
    }
    await recordAudit(tx, {
      at: now,
      actor: who.caller.user,
      ownerId: owner.id,
      action: 'share.delete',
      targetType: 'share',
      targetId: share.id,
      outcome: 'ok',
      requestId: who.meta.requestId,
      details: {
        memberId: share.collaborationId,
        resource: { type, id: share.groupId ?? share.environmentId, name: name ?? null },
        roleIds,
        because: who.action,
      },
    });
  }
  return [...new Set(doomed.map((row) => row.share.collaborationId))];
}
