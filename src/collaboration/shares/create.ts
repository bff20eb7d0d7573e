import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Permission } from '../../access/catalog.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/errors.js';
import { shareRoles, shares } from '../../db/schema/index.js';
import { conflict, notFound, problem } from '../../http/errors.js';
import type { Db } from '../../db/client.js';
import type { NoticeText } from '../../notifications/deliver.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { shareGrantedNotice } from '../notices.js';
import { permissionsOf, resolveRoles } from '../roles/resolve.js';
import { assertCanGrant, noticeBy, type OwnerScope } from '../scope.js';
import { futureExpiry } from './context.js';
import { type ShareHolder, holderDetails, lockHolder, throughHolder } from './holder.js';
import { heldBy, loadShare, presentShares } from './load.js';
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

/** A team share may not hold collaboration.manage: managers are named one by one, never through a team. */
export function assertTeamCanHold(holder: ShareHolder, permissions: Iterable<Permission>): void {
  if (holder.kind !== 'team') return;
  if ([...permissions].includes('collaboration.manage')) {
    throw problem(400, 'team_share_cannot_manage', 'A team cannot manage the account', 'collaboration.manage is given to members one by one, never through a team: share a role without it.', {
      errors: [{ path: 'roleIds', message: 'holds collaboration.manage' }],
    });
  }
}

/** Gives a member, or a team, roles on the whole account, a group or an environment of the owner. */
export async function createShare(ctx: AppContext, scope: OwnerScope, holder: ShareHolder, input: CreateShareInput, origin?: GrantOrigin) {
  const now = ctx.clock.now();
  const expiresAt = futureExpiry(input.expiresAt, now) ?? null;
  const reviewBy = futureExpiry(input.reviewBy, now, 'reviewBy') ?? null;
  const resource = await resolveResource(ctx.db, scope.owner.id, input.resource);
  const roleIds = [...new Set(input.roleIds)];
  const granted = await resolveRoles(ctx.db, scope.owner.id, roleIds);
  assertTeamCanHold(holder, permissionsOf(granted));
  assertCanGrant(scope, permissionsOf(granted));
  let shareId: string;
  try {
    shareId = await ctx.db.transaction(async (tx) => {
      const { affected } = await lockHolder(tx, now, scope.authorized, holder);
      const roles = await resolveRoles(tx, scope.owner.id, roleIds);
      assertTeamCanHold(holder, permissionsOf(roles));
      const [created] = await tx
        .insert(shares)
        .values({
          ...holder.key,
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
      const wording = {
        ownerName: scope.owner.name,
        resource: throughHolder(holder, describeResource(resource, scope.owner.name)),
        roleNames: roles.map((r) => r.name),
        expiresAt,
      };
      await origin?.within(tx, created.id);
      const notice = origin ? origin.notice(wording.roleNames, expiresAt) : shareGrantedNotice(wording);
      const by = await noticeBy(tx, scope);
      for (const member of affected) await deliverNotice(tx, ctx, member.user, { ...notice, by });
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
          ...holderDetails(holder),
          resource: input.resource,
          roleIds,
          expiresAt: expiresAt?.toISOString() ?? null,
          ...(origin ? { accessRequestId: origin.accessRequestId } : {}),
        },
      });
      return created.id;
    });
  } catch (error) {
    if (isUniqueViolation(error, 'shares_collaboration_resource_key') || isUniqueViolation(error, 'shares_team_resource_key')) {
      const [existing] = await ctx.db
        .select({ id: shares.id })
        .from(shares)
        .where(and(heldBy(holder.key), isNull(shares.accessRequestId), eq(shares.resourceType, resource.type), sql`coalesce(${shares.groupId}, ${shares.environmentId}, '') = ${resource.groupId ?? resource.environmentId ?? ''}`))
        .limit(1);
      throw conflict(`This ${holder.kind} already has a share on ${describeResource(resource, scope.owner.name)}; change that share instead.`, existing ? { shareId: existing.id } : undefined);
    }
    // The group or environment was deleted between the check and the insert.
    if (isForeignKeyViolation(error)) throw notFound(resource.type);
    throw error;
  }
  ctx.wake.mail();
  const [view] = await presentShares(ctx.db, scope.owner.id, [await loadShare(ctx.db, holder.key, shareId)], now);
  if (!view) throw notFound('share');
  return view;
}
