import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { collaborations, shares } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { removedNotice } from '../notices.js';
import { noticeBy, type OwnerScope } from '../scope.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import type { MemberRow } from './load.js';

/** Unlinks a member: the collaboration, its shares and any pending invitation token disappear together. */
export async function removeMember(ctx: AppContext, scope: OwnerScope, member: MemberRow): Promise<void> {
  const id = member.collaboration.id;
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await decideUnderLock(tx, now, scope.authorized, { collaborationIds: [id] });
    const removedShares = await tx.delete(shares).where(eq(shares.collaborationId, id)).returning({ id: shares.id });
    const [removed] = await tx
      .delete(collaborations)
      .where(and(eq(collaborations.id, id), eq(collaborations.ownerId, scope.owner.id)))
      .returning();
    if (!removed) throw notFound('member');
    // Only people who had access are told; a pending, declined or departed address has nothing to lose.
    if (member.user && (removed.status === 'active' || removed.status === 'suspended')) {
      await deliverNotice(tx, ctx, member.user, { ...removedNotice(scope.owner.name), by: await noticeBy(tx, scope) });
    }
    await recordAudit(tx, {
      at: now,
      actor: scope.actor.user,
      ownerId: scope.owner.id,
      action: scope.authorized.rule.action,
      targetType: 'collaboration',
      targetId: id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: { email: removed.email, status: removed.status, sharesDeleted: removedShares.length },
    });
  });
  ctx.wake.mail();
}
