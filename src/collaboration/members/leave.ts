import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { collaborations, shares, teamMembers } from '../../db/schema/index.js';
import { invalidState, notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { initiatorOf } from '../../notifications/initiator.js';
import { leftNotice } from '../notices.js';
import { ownerOf, presentCollaboration } from './mine.js';

/** The member ends its collaboration: access ends at once and its shares are deleted. Works for ended trials too. */
export async function leaveCollaboration(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string) {
  const [found] = await ctx.db
    .select()
    .from(collaborations)
    .where(and(eq(collaborations.id, id), eq(collaborations.memberId, caller.user.id)))
    .limit(1);
  if (!found) throw notFound('collaboration');
  const wrongState = () => invalidState(`Only an active or suspended collaboration can be left; this one is ${found.status}.`);
  if (found.status !== 'active' && found.status !== 'suspended') throw wrongState();
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [left] = await tx
      .update(collaborations)
      .set({ status: 'left', tokenHash: null, tokenExpiresAt: null, updatedAt: now, accessVersion: sql`${collaborations.accessVersion} + 1` })
      .where(and(eq(collaborations.id, id), eq(collaborations.memberId, caller.user.id), inArray(collaborations.status, ['active', 'suspended'])))
      .returning();
    if (!left) throw wrongState();
    const deleted = await tx.delete(shares).where(eq(shares.collaborationId, id)).returning({ id: shares.id });
    // Leaving the account is leaving its teams too: joining again starts with none.
    const teamsLeft = await tx.delete(teamMembers).where(eq(teamMembers.collaborationId, id)).returning({ teamId: teamMembers.teamId });
    const owner = await ownerOf(tx, left);
    await deliverNotice(tx, ctx, owner, { ...leftNotice({ ...caller.user, alias: left.displayName }, id), by: { initiator: await initiatorOf(tx, owner.id, caller.user), ownerId: owner.id } });
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: left.ownerId,
      action: 'collaboration.leave',
      targetType: 'collaboration',
      targetId: id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { sharesDeleted: deleted.length, teamsLeft: teamsLeft.map((row) => row.teamId) },
    });
    return left;
  });
  ctx.wake.mail();
  return presentCollaboration(row, await ownerOf(ctx.db, row));
}
