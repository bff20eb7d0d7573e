import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors.js';
import { shareRoles, shares } from '../../db/schema/index.js';
import { conflict, notFound } from '../../http/errors.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import type { MemberRow } from '../members/load.js';
import type { Db } from '../../db/client.js';
import type { NoticeText } from '../../notifications/deliver.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { shareGrantedNotice } from '../notices.js';
import { permissionsOf, resolveRoles } from '../roles/resolve.js';
import { assertCanGrant, noticeBy, type OwnerScope } from '../scope.js';
import { assertStillShareable, futureExpiry, shareableMember } from './context.js';
import { loadShare, presentShares } from './load.js';
import { describeResource, type ResourceInput, resolveResource } from './resource.js';

export interface CreateShareInput {
  resource: ResourceInput;
  roleIds: string[];
  expiresAt?: string | null | undefined;
  reviewBy?: string | null | undefined;
}

/** How a grant made on behalf of something else (an approved access request) differs from a plain share. */
export interface GrantOrigin {
  /** The access request the share answers: the share is temporary and sits beside any standing share. */
  accessRequestId: string;
  /** The member's notice instead of the plain "shared with you" one. */
  notice: (roleNames: string[], expiresAt: Date | null) => NoticeText;
  /** Runs in the share's transaction, after the insert: settles the request (and may refuse, rolling all back). */
  within: (tx: Db, shareId: string) => Promise<void>;
}

/** Gives a member roles on the whole account, a group or an environment of the owner. */
export async function createShare(ctx: AppContext, scope: OwnerScope, target: MemberRow, input: CreateShareInput, origin?: GrantOrigin) {
  const member = shareableMember(target);
  const memberId = member.collaboration.id;
  const now = ctx.clock.now();
  const expiresAt = futureExpiry(input.expiresAt, now) ?? null;
  const reviewBy = futureExpiry(input.reviewBy, now, 'reviewBy') ?? null;
  const resource = await resolveResource(ctx.db, scope.owner.id, input.resource);
  const roleIds = [...new Set(input.roleIds)];
  const granted = await resolveRoles(ctx.db, scope.owner.id, roleIds);
  assertCanGrant(scope, permissionsOf(granted));
  let shareId: string;
  try {
    shareId = await ctx.db.transaction(async (tx) => {
      await decideUnderLock(tx, now, scope.authorized, { collaborationIds: [memberId] });
      await assertStillShareable(tx, memberId);
      const roles = await resolveRoles(tx, scope.owner.id, roleIds);
      const [created] = await tx
        .insert(shares)
        .values({
          collaborationId: memberId,
          resourceType: resource.type,
          groupId: resource.groupId,
          environmentId: resource.environmentId,
          expiresAt,
          accessRequestId: origin?.accessRequestId ?? null,
          reviewBy,
          createdBy: scope.actor.user.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: shares.id });
      if (!created) throw new Error('share insert returned nothing');
      await tx.insert(shareRoles).values(roles.map((role) => ({ shareId: created.id, roleId: role.id })));
      const wording = { ownerName: scope.owner.name, resource: describeResource(resource, scope.owner.name), roleNames: roles.map((r) => r.name), expiresAt };
      await origin?.within(tx, created.id);
      const notice = origin ? origin.notice(wording.roleNames, expiresAt) : shareGrantedNotice(wording);
      await deliverNotice(tx, ctx, member.user, { ...notice, by: await noticeBy(tx, scope) });
      await recordAudit(tx, {
        at: now,
        actor: scope.actor.user,
        ownerId: scope.owner.id,
        action: 'share.create',
        targetType: 'share',
        targetId: created.id,
        outcome: 'ok',
        requestId: scope.meta.requestId,
        details: {
          memberId,
          resource: input.resource,
          roleIds,
          expiresAt: expiresAt?.toISOString() ?? null,
          ...(origin ? { accessRequestId: origin.accessRequestId } : {}),
        },
      });
      return created.id;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'shares_collaboration_resource_key')) {
      const [existing] = await ctx.db
        .select({ id: shares.id })
        .from(shares)
        .where(and(eq(shares.collaborationId, memberId), eq(shares.resourceType, resource.type), sql`coalesce(${shares.groupId}, ${shares.environmentId}, '') = ${resource.groupId ?? resource.environmentId ?? ''}`))
        .limit(1);
      throw conflict(`This member already has a share on ${describeResource(resource, scope.owner.name)}; change that share instead.`, existing ? { shareId: existing.id } : undefined);
    }
    // The group or environment was deleted between the check and the insert.
    if (isForeignKeyViolation(error)) throw notFound(resource.type);
    throw error;
  }
  ctx.wake.mail();
  const [view] = await presentShares(ctx.db, scope.owner.id, [await loadShare(ctx.db, memberId, shareId)], now);
  if (!view) throw notFound('share');
  return view;
}
