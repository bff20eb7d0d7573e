import { eq } from 'drizzle-orm';
import type { Permission } from '../../access/catalog.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { shareRoles, shares } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { type AccessPreview, isPreview, previewOr } from '../arrange/preview.js';
import { beginArrangement, settleArrangement } from '../arrange/settle.js';
import { shareChangedNotice } from '../notices.js';
import { permissionsOf, resolveRoles, roleNames } from '../roles/resolve.js';
import { assertCanGrant, noticeBy, type OwnerScope } from '../scope.js';
import { environmentsReachedBy, futureExpiry } from './context.js';
import { assertTeamCanHold } from './create.js';
import { holderDetails, lockHolder, type ShareHolder, throughHolder } from './holder.js';
import { assertNoGainBeyondManager } from './manager-limits.js';
import { loadShare, presentShares } from './load.js';
import { describeResource } from './resource.js';

export interface UpdateShareInput {
  roleIds?: string[] | undefined;
  expiresAt?: string | null | undefined;
  reviewBy?: string | null | undefined;
}

/**
 * A change that only takes away from a share — fewer permissions, an earlier end — is a narrowing, an arrangement
 * (DESIGN.md section 6b): it must not widen anyone's access (a narrower share ending early lets a broader one show
 * through). Anything else is a grant, held to the granter's limits.
 */
function isNarrowing(before: { permissions: ReadonlySet<Permission>; expiresAt: Date | null }, after: { permissions: ReadonlySet<Permission>; expiresAt: Date | null }): boolean {
  const fewer = [...after.permissions].every((permission) => before.permissions.has(permission));
  const sooner = after.expiresAt !== null && (before.expiresAt === null || after.expiresAt.getTime() <= before.expiresAt.getTime());
  return fewer && (sooner || after.expiresAt?.getTime() === before.expiresAt?.getTime());
}

/** Replaces a share's roles and/or moves its expiry (null: never expires); `dryRun` previews the access changes. */
export async function updateShare(ctx: AppContext, scope: OwnerScope, holder: ShareHolder, shareId: string, input: UpdateShareInput, dryRun: boolean) {
  const now = ctx.clock.now();
  const expiresAt = futureExpiry(input.expiresAt, now);
  const reviewBy = futureExpiry(input.reviewBy, now, 'reviewBy');
  // A new review date alone changes nobody's access: the member is not told.
  const onlyReview = input.roleIds === undefined && input.expiresAt === undefined;
  const roleIds = input.roleIds ? [...new Set(input.roleIds)] : undefined;
  if (roleIds) {
    const granted = permissionsOf(await resolveRoles(ctx.db, scope.owner.id, roleIds));
    assertTeamCanHold(holder, granted);
    assertCanGrant(scope, granted);
  }
  const answer: AccessPreview | null = await previewOr(() =>
    ctx.db.transaction(async (tx) => {
      const { fresh, affected } = await lockHolder(tx, now, scope.authorized, holder);
      const before = await loadShare(tx, holder.key, shareId);
      const oldRoles = await resolveRoles(tx, scope.owner.id, before.roleIds, 'share');
      const roles = roleIds ? await resolveRoles(tx, scope.owner.id, roleIds) : oldRoles;
      const nextExpiry = expiresAt === undefined ? before.share.expiresAt : expiresAt;
      for (const member of affected) {
        await assertNoGainBeyondManager(tx, now, scope, { collaborationId: member.collaborationId, userId: member.user.id }, (current) =>
          current.map((share) => (share.id === shareId ? { ...share, roleIds: roleIds ?? share.roleIds, expiresAt: nextExpiry } : share)),
        );
      }
      const narrowing = isNarrowing(
        { permissions: permissionsOf(oldRoles), expiresAt: before.share.expiresAt },
        { permissions: permissionsOf(roles), expiresAt: nextExpiry },
      );
      const part = { environmentIds: await environmentsReachedBy(tx, scope.owner.id, before.resource), collaborationIds: affected.map((member) => member.collaborationId) };
      const actor = fresh.account?.snapshot ?? scope.authorized.account.snapshot;
      const arrangement = await beginArrangement(tx, now, fresh, actor, part, dryRun);
      const [updated] = await tx
        .update(shares)
        .set({ updatedAt: now, ...(expiresAt === undefined ? {} : { expiresAt }), ...(reviewBy === undefined ? {} : { reviewBy, reviewRemindedAt: null }) })
        .where(eq(shares.id, shareId))
        .returning();
      if (!updated) throw notFound('share');
      if (roleIds) {
        await tx.delete(shareRoles).where(eq(shareRoles.shareId, shareId));
        await tx.insert(shareRoles).values(roles.map((role) => ({ shareId, roleId: role.id })));
      }
      await settleArrangement(arrangement, part, { grant: !narrowing });
      const names = await roleNames(tx, scope.owner.id, [...before.roleIds, ...(roleIds ?? [])]);
      const nameOf = (id: string) => names.get(id) ?? id;
      const wording = {
        ownerName: scope.owner.name,
        resource: throughHolder(holder, describeResource(before.resource, scope.owner.name)),
        roleNames: (roleIds ?? before.roleIds).map(nameOf),
        expiresAt: updated.expiresAt,
      };
      if (!onlyReview) {
        const notice = shareChangedNotice(wording, { roleNames: before.roleIds.map(nameOf), expiresAt: before.share.expiresAt });
        const by = await noticeBy(tx, scope);
        for (const member of affected) await deliverNotice(tx, ctx, member.user, { ...notice, by });
      }
      await recordAudit(tx, {
        at: now,
        actor: scope.actor.user,
        ownerId: scope.owner.id,
        action: scope.authorized.rule.action,
        targetType: 'share',
        targetId: shareId,
        outcome: 'ok',
        requestId: scope.meta.requestId,
        details: {
          ...holderDetails(holder),
          before: { roleIds: before.roleIds, expiresAt: before.share.expiresAt?.toISOString() ?? null },
          after: { roleIds: roleIds ?? before.roleIds, expiresAt: updated.expiresAt?.toISOString() ?? null, reviewBy: updated.reviewBy?.toISOString() ?? null },
        },
      });
      return null;
    }),
  );
  if (isPreview(answer)) return answer;
  ctx.wake.mail();
  const [view] = await presentShares(ctx.db, scope.owner.id, [await loadShare(ctx.db, holder.key, shareId)], now);
  if (!view) throw notFound('share');
  return view;
}
