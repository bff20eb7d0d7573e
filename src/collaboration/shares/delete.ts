import { and, eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { shares } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { shareRevokedNotice } from '../notices.js';
import { roleNames } from '../roles/resolve.js';
import { shareTarget } from './context.js';
import { loadShare } from './load.js';
import { assertNoGainBeyondManager } from './manager-limits.js';
import { describeResource } from './resource.js';

/** Deletes a share: what it granted ends at once. */
export async function deleteShare(ctx: AppContext, meta: RequestMeta, caller: Caller, ownerId: string | undefined, memberId: string, shareId: string): Promise<void> {
  const { scope, member } = await shareTarget(ctx, meta, caller, ownerId, memberId, 'share.delete');
  const before = await loadShare(ctx.db, memberId, shareId);
  await assertNoGainBeyondManager(
    ctx,
    scope,
    { collaborationId: memberId, userId: member.user.id },
    (current) => current.filter((share) => share.id !== shareId),
    { ownerId: scope.owner.id, action: 'share.delete', targetType: 'share', targetId: shareId },
  );
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [deleted] = await tx
      .delete(shares)
      .where(and(eq(shares.id, shareId), eq(shares.collaborationId, memberId)))
      .returning({ id: shares.id });
    if (!deleted) throw notFound('share');
    const names = await roleNames(tx, scope.owner.id, before.roleIds);
    const wording = {
      ownerName: scope.owner.name,
      resource: describeResource(before.resource, scope.owner.name),
      roleNames: before.roleIds.map((id) => names.get(id) ?? id),
      expiresAt: before.share.expiresAt,
    };
    await deliverNotice(tx, ctx, member.user, shareRevokedNotice(wording));
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: scope.owner.id,
      action: 'share.delete',
      targetType: 'share',
      targetId: shareId,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { memberId, resource: { type: before.resource.type, id: before.resource.groupId ?? before.resource.environmentId }, roleIds: before.roleIds },
    });
  });
  ctx.wake.mail();
}
