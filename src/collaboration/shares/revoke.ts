import { and, eq, inArray, or } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import { collaborations, environments, groups, shareRoles, shares, teams, users } from '../../db/schema/index.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { type DeliveryContext, deliverNotice } from '../../notifications/deliver.js';
import { initiatorOf } from '../../notifications/initiator.js';
import { shareRevokedNotice } from '../notices.js';
import { roleNames } from '../roles/resolve.js';
import { type Affected, teamAffected } from './holder.js';
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
    .leftJoin(collaborations, eq(collaborations.id, shares.collaborationId))
    .leftJoin(teams, eq(teams.id, shares.teamId))
    .leftJoin(users, eq(users.id, collaborations.memberId))
    .leftJoin(groups, eq(groups.id, shares.groupId))
    .leftJoin(environments, eq(environments.id, shares.environmentId))
    .where(and(or(eq(collaborations.ownerId, ownerId), eq(teams.ownerId, ownerId)), on));
  if (doomed.length === 0) return [];
  // A team's share ends for every member of the team: each is told, and each one's access version moves.
  const teamIds = [...new Set(doomed.flatMap((row) => (row.share.teamId === null ? [] : [row.share.teamId])))];
  const teamMembersOf = new Map<string, Affected[]>();
  for (const teamId of teamIds) teamMembersOf.set(teamId, await teamAffected(tx, teamId));
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
    const told = share.teamId !== null ? (teamMembersOf.get(share.teamId) ?? []).map((affected) => affected.user) : member && (status === 'active' || status === 'suspended') ? [member] : [];
    const wording = { ownerName: owner.name, resource, roleNames: roleIds.map((id) => names.get(id) ?? id), expiresAt: share.expiresAt };
    for (const person of told) await deliverNotice(tx, ctx, person, { ...shareRevokedNotice(wording, `${resource} was deleted`), by });
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
        ...(share.teamId !== null ? { teamId: share.teamId } : { memberId: share.collaborationId }),
        resource: { type, id: share.groupId ?? share.environmentId, name: name ?? null },
        roleIds,
        because: who.action,
      },
    });
  }
  const ended = doomed.flatMap((row) => (row.share.collaborationId === null ? [] : [row.share.collaborationId]));
  for (const members of teamMembersOf.values()) ended.push(...members.map((affected) => affected.collaborationId));
  return [...new Set(ended)];
}
