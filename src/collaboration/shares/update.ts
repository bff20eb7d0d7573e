import { eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { shareRoles, shares } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { shareChangedNotice } from '../notices.js';
import { permissionsOf, resolveRoles, roleNames } from '../roles/resolve.js';
import { assertCanGrant } from '../scope.js';
import { futureExpiry, lockShareable, shareTarget } from './context.js';
import { assertNoGainBeyondManager } from './manager-limits.js';
import { loadShare, presentShares } from './load.js';
import { describeResource } from './resource.js';

export interface UpdateShareInput {
  roleIds?: string[] | undefined;
  expiresAt?: string | null | undefined;
}

/** Replaces a share's roles and/or moves its expiry (null: never expires). */
export async function updateShare(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  ownerId: string | undefined,
  memberId: string,
  shareId: string,
  input: UpdateShareInput,
) {
  const { scope, member } = await shareTarget(ctx, meta, caller, ownerId, memberId, 'share.update');
  const before = await loadShare(ctx.db, memberId, shareId);
  const now = ctx.clock.now();
  const expiresAt = futureExpiry(input.expiresAt, now);
  const roleIds = input.roleIds ? [...new Set(input.roleIds)] : undefined;
  const denial = { ownerId: scope.owner.id, action: 'share.update', targetType: 'share', targetId: shareId };
  if (roleIds) {
    const granted = await resolveRoles(ctx.db, scope.owner.id, roleIds);
    await assertCanGrant(ctx, scope, permissionsOf(granted), denial);
  }
  await assertNoGainBeyondManager(
    ctx,
    scope,
    { collaborationId: memberId, userId: member.user.id },
    (current) =>
      current.map((share) =>
        share.id === shareId ? { ...share, roleIds: roleIds ?? share.roleIds, expiresAt: expiresAt === undefined ? share.expiresAt : expiresAt } : share,
      ),
    denial,
  );
  await ctx.db.transaction(async (tx) => {
    await lockShareable(tx, memberId);
    const roles = roleIds ? await resolveRoles(tx, scope.owner.id, roleIds) : undefined;
    const [updated] = await tx
      .update(shares)
      .set({ updatedAt: now, ...(expiresAt === undefined ? {} : { expiresAt }) })
      .where(eq(shares.id, shareId))
      .returning();
    if (!updated) throw notFound('share');
    if (roles) {
      await tx.delete(shareRoles).where(eq(shareRoles.shareId, shareId));
      await tx.insert(shareRoles).values(roles.map((role) => ({ shareId, roleId: role.id })));
    }
    const names = await roleNames(tx, scope.owner.id, [...before.roleIds, ...(roleIds ?? [])]);
    const nameOf = (id: string) => names.get(id) ?? id;
    const wording = {
      ownerName: scope.owner.name,
      resource: describeResource(before.resource, scope.owner.name),
      roleNames: (roleIds ?? before.roleIds).map(nameOf),
      expiresAt: updated.expiresAt,
    };
    await deliverNotice(tx, ctx, member.user, shareChangedNotice(wording, { roleNames: before.roleIds.map(nameOf), expiresAt: before.share.expiresAt }));
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: scope.owner.id,
      action: 'share.update',
      targetType: 'share',
      targetId: shareId,
      outcome: 'ok',
      requestId: meta.requestId,
      details: {
        memberId,
        before: { roleIds: before.roleIds, expiresAt: before.share.expiresAt?.toISOString() ?? null },
        after: { roleIds: roleIds ?? before.roleIds, expiresAt: updated.expiresAt?.toISOString() ?? null },
      },
    });
  });
  ctx.wake.mail();
  const [view] = await presentShares(ctx.db, scope.owner.id, [await loadShare(ctx.db, memberId, shareId)], now);
  if (!view) throw notFound('share');
  return view;
}
