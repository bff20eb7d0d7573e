import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { collaborations, teamMembers } from '../../db/schema/index.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { invalidState, notFound } from '../../http/errors.js';
import { deliverNotice } from '../../notifications/deliver.js';
import type { MemberRow } from '../members/load.js';
import { noticeBy, type OwnerScope } from '../scope.js';
import { lockTeam, type TeamRow } from '../shares/holder.js';
import { presentTeam, type TeamView } from './load.js';
import { joinedTeamNotice, leftTeamNotice } from './notices.js';
import { teamAudit } from './write.js';


/**
 * Puts an active member in a team: the team's shares count for it from its next request. Locks the team row (so a
 * change to the team's shares waits or comes first), then the member's collaboration, moving its access version.
 * Adding a member already in the team changes nothing.
 */
export async function addTeamMember(ctx: AppContext, scope: OwnerScope, team: TeamRow, member: MemberRow): Promise<TeamView> {
  const now = ctx.clock.now();
  const collaborationId = member.collaboration.id;
  await ctx.db.transaction(async (tx) => {
    await lockTeam(tx, scope.owner.id, team.id);
    await decideUnderLock(tx, now, scope.authorized, { collaborationIds: [collaborationId] });
    const [current] = await tx.select({ status: collaborations.status }).from(collaborations).where(eq(collaborations.id, collaborationId)).limit(1);
    if (!current || current.status !== 'active' || !member.user) {
      throw invalidState(`Only active members join teams: this member is ${current?.status ?? 'removed'}.`);
    }
    const added = await tx.insert(teamMembers).values({ teamId: team.id, collaborationId, addedAt: now }).onConflictDoNothing().returning({ teamId: teamMembers.teamId });
    if (added.length === 0) return;
    await deliverNotice(tx, ctx, member.user, { ...joinedTeamNotice(scope.owner.name, team.name), by: await noticeBy(tx, scope) });
    await recordAudit(tx, teamAudit(scope, now, 'team.member_add', team.id, { memberId: collaborationId }));
  });
  ctx.wake.mail();
  return presentTeam(ctx.db, team);
}

/** Takes a member out of a team: what the team's shares gave it ends at its next request. */
export async function removeTeamMember(ctx: AppContext, scope: OwnerScope, team: TeamRow, member: MemberRow): Promise<void> {
  const now = ctx.clock.now();
  const collaborationId = member.collaboration.id;
  await ctx.db.transaction(async (tx) => {
    await lockTeam(tx, scope.owner.id, team.id);
    await decideUnderLock(tx, now, scope.authorized, { collaborationIds: [collaborationId] });
    const removed = await tx
      .delete(teamMembers)
      .where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.collaborationId, collaborationId)))
      .returning({ teamId: teamMembers.teamId });
    if (removed.length === 0) throw notFound('team member');
    if (member.user && (member.collaboration.status === 'active' || member.collaboration.status === 'suspended')) {
      await deliverNotice(tx, ctx, member.user, { ...leftTeamNotice(scope.owner.name, team.name, false), by: await noticeBy(tx, scope) });
    }
    await recordAudit(tx, teamAudit(scope, now, 'team.member_remove', team.id, { memberId: collaborationId }));
  });
  ctx.wake.mail();
}
