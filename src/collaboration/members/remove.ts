import { and, eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { collaborations, shares } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { removedNotice } from '../notices.js';
import { assertManageable, resolveOwnerScope } from '../scope.js';
import { loadMember } from './load.js';

/** Unlinks a member: the collaboration, its shares and any pending invitation token disappear together. */
export async function removeMember(ctx: AppContext, meta: RequestMeta, caller: Caller, ownerId: string | undefined, id: string): Promise<void> {
  const scope = await resolveOwnerScope(ctx, meta, caller, ownerId, 'collaboration.remove');
  const member = await loadMember(ctx.db, scope.owner.id, id);
  await assertManageable(ctx, scope, member.collaboration, 'collaboration.remove');
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const removedShares = await tx.delete(shares).where(eq(shares.collaborationId, id)).returning({ id: shares.id });
    const [removed] = await tx
      .delete(collaborations)
      .where(and(eq(collaborations.id, id), eq(collaborations.ownerId, scope.owner.id)))
      .returning();
    if (!removed) throw notFound('member');
    // Only people who had access are told; a pending, declined or departed address has nothing to lose.
    if (member.user && (removed.status === 'active' || removed.status === 'suspended')) {
      await deliverNotice(tx, ctx, member.user, removedNotice(scope.owner.name));
    }
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: scope.owner.id,
      action: 'collaboration.remove',
      targetType: 'collaboration',
      targetId: id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { email: removed.email, status: removed.status, sharesDeleted: removedShares.length },
    });
  });
  ctx.wake.mail();
}
