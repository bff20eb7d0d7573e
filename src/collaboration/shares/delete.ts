import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { shares } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { type AccessPreview, previewOr } from '../arrange/preview.js';
import { beginArrangement, settleArrangement } from '../arrange/settle.js';
import { shareRevokedNotice } from '../notices.js';
import { roleNames } from '../roles/resolve.js';
import { noticeBy, type OwnerScope } from '../scope.js';
import { environmentsReachedBy } from './context.js';
import { holderDetails, lockHolder, type ShareHolder, throughHolder } from './holder.js';
import { heldBy, loadShare } from './load.js';
import { assertNoGainBeyondManager } from './manager-limits.js';
import { describeResource } from './resource.js';

/**
 * Deletes a share: what it granted ends at once. An arrangement (DESIGN.md section 6b): deleting a narrower share
 * can let a broader one show through, so for anyone but the owner it is refused when the member would gain
 * anything, and `dryRun` previews it. A manager is also held to its limits for a suspended member, whose shares
 * wake up on re-activation.
 */
export async function deleteShare(ctx: AppContext, scope: OwnerScope, holder: ShareHolder, shareId: string, dryRun: boolean): Promise<AccessPreview | null> {
  const now = ctx.clock.now();
  const answer = await previewOr(() =>
    ctx.db.transaction(async (tx) => {
      const { fresh, affected } = await lockHolder(tx, now, scope.authorized, holder);
      const before = await loadShare(tx, holder.key, shareId);
      for (const member of affected) {
        await assertNoGainBeyondManager(tx, now, scope, { collaborationId: member.collaborationId, userId: member.user.id }, (current) => current.filter((share) => share.id !== shareId));
      }
      const part = { environmentIds: await environmentsReachedBy(tx, scope.owner.id, before.resource), collaborationIds: affected.map((member) => member.collaborationId) };
      const actor = fresh.account?.snapshot ?? scope.authorized.account.snapshot;
      const arrangement = await beginArrangement(tx, now, fresh, actor, part, dryRun);
      const [deleted] = await tx
        .delete(shares)
        .where(and(eq(shares.id, shareId), heldBy(holder.key)))
        .returning({ id: shares.id });
      if (!deleted) throw notFound('share');
      await settleArrangement(arrangement, part);
      const names = await roleNames(tx, scope.owner.id, before.roleIds);
      const wording = {
        ownerName: scope.owner.name,
        resource: throughHolder(holder, describeResource(before.resource, scope.owner.name)),
        roleNames: before.roleIds.map((id) => names.get(id) ?? id),
        expiresAt: before.share.expiresAt,
      };
      const by = await noticeBy(tx, scope);
      for (const member of affected) await deliverNotice(tx, ctx, member.user, { ...shareRevokedNotice(wording), by });
      await recordAudit(tx, {
        at: now,
        actor: scope.actor.user,
        ownerId: scope.owner.id,
        action: scope.authorized.rule.action,
        targetType: 'share',
        targetId: shareId,
        outcome: 'ok',
        requestId: scope.meta.requestId,
        details: { ...holderDetails(holder), resource: { type: before.resource.type, id: before.resource.groupId ?? before.resource.environmentId }, roleIds: before.roleIds },
      });
      return null;
    }),
  );
  if (answer === null) ctx.wake.mail();
  return answer;
}
