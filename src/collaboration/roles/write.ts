import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { systemRoles } from '../../access/catalog.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { Db } from '../../db/client.js';
import { collaborations, roles, shareRoles, shares, teamMembers, users } from '../../db/schema/index.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { roleChangedNotice } from '../notices.js';
import { conflict, forbidden, notFound, problem } from '../../http/errors.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { assertCanGrant, noticeBy, type OwnerScope } from '../scope.js';
import { presentRole } from './list.js';
import type { CreateRoleInput, UpdateRoleInput } from './schemas.js';
import { roleUsage } from './usage.js';

const nameTaken = (name: string) => conflict(`A role named "${name}" already exists in this account.`);

function refuseSystemName(name: string | undefined): void {
  if (name === undefined) return;
  const lower = name.toLowerCase();
  if (systemRoles.some((role) => role.id === lower || role.name.toLowerCase() === lower)) {
    throw conflict(`"${name}" is the name of a system role; choose another name.`);
  }
}

/** Creates a custom role in the owner's account (owner only). */
export async function createRole(ctx: AppContext, scope: OwnerScope, input: CreateRoleInput) {
  refuseSystemName(input.name);
  assertCanGrant(scope, input.permissions);
  const now = ctx.clock.now();
  try {
    const role = await ctx.db.transaction(async (tx) => {
      const [created] = await tx
        .insert(roles)
        .values({
          ownerId: scope.owner.id,
          name: input.name,
          description: input.description ?? '',
          permissions: input.permissions,
          receiveAlerts: input.receiveAlerts ?? false,
          createdAt: now,
        })
        .returning();
      if (!created) throw new Error('role insert returned nothing');
      await recordAudit(tx, {
        at: now,
        actor: scope.actor.user,
        ownerId: scope.owner.id,
        action: scope.authorized.rule.action,
        targetType: 'role',
        targetId: created.id,
        outcome: 'ok',
        requestId: scope.meta.requestId,
        details: { name: created.name, permissions: created.permissions, receiveAlerts: created.receiveAlerts },
      });
      return created;
    });
    return presentRole(role, undefined);
  } catch (error) {
    if (isUniqueViolation(error, 'roles_owner_name_key')) throw nameTaken(input.name);
    throw error;
  }
}

/** The members (active or suspended) holding a role through any of their shares or their teams' shares. */
async function roleHolders(tx: Db, roleId: string) {
  return tx
    .selectDistinct({ id: users.id, email: users.email, name: users.name })
    .from(shareRoles)
    .innerJoin(shares, eq(shares.id, shareRoles.shareId))
    .leftJoin(teamMembers, eq(teamMembers.teamId, shares.teamId))
    .innerJoin(collaborations, eq(collaborations.id, sql`coalesce(${shares.collaborationId}, ${teamMembers.collaborationId})`))
    .innerJoin(users, eq(users.id, collaborations.memberId))
    .where(and(eq(shareRoles.roleId, roleId), inArray(collaborations.status, ['active', 'suspended'])));
}

/** A role a team share uses may not come to hold collaboration.manage (managers are named one by one). */
async function assertNoTeamWouldManage(tx: Db, roleId: string, permissions: readonly string[] | undefined): Promise<void> {
  if (!permissions?.includes('collaboration.manage')) return;
  const [used] = await tx
    .select({ id: shares.id })
    .from(shareRoles)
    .innerJoin(shares, eq(shares.id, shareRoles.shareId))
    .where(and(eq(shareRoles.roleId, roleId), isNotNull(shares.teamId)))
    .limit(1);
  if (used) {
    throw problem(400, 'team_share_cannot_manage', 'A team cannot manage the account', 'A team share uses this role: collaboration.manage is given to members one by one, never through a team.', {
      errors: [{ path: 'permissions', message: 'a team share uses this role' }],
    });
  }
}

/** Changes a custom role; every share using it changes with it, and its holders are told. System roles are read-only. */
export async function updateRole(ctx: AppContext, scope: OwnerScope, id: string, input: UpdateRoleInput) {
  const target = { ownerId: scope.owner.id, action: scope.authorized.rule.action, targetType: 'role', targetId: id };
  if (systemRoles.some((role) => role.id === id)) throw forbidden('System roles are read-only; create a custom role instead.');
  refuseSystemName(input.name);
  if (input.permissions) assertCanGrant(scope, input.permissions);
  const now = ctx.clock.now();
  try {
    const role = await ctx.db.transaction(async (tx) => {
      // What every share using the role grants may change: every member's access is versioned anew.
      await decideUnderLock(tx, now, scope.authorized, 'everyone');
      const change: Partial<typeof roles.$inferInsert> = {};
      if (input.name !== undefined) change.name = input.name;
      if (input.description !== undefined) change.description = input.description;
      if (input.permissions !== undefined) change.permissions = input.permissions;
      if (input.receiveAlerts !== undefined) change.receiveAlerts = input.receiveAlerts;
      await assertNoTeamWouldManage(tx, id, input.permissions);
      const [before] = await tx
        .select({ permissions: roles.permissions })
        .from(roles)
        .where(and(eq(roles.id, id), eq(roles.ownerId, scope.owner.id)))
        .for('update');
      const [updated] = await tx
        .update(roles)
        .set(change)
        .where(and(eq(roles.id, id), eq(roles.ownerId, scope.owner.id)))
        .returning();
      if (!before || !updated) throw notFound('role');
      await recordAudit(tx, { ...target, at: now, actor: scope.actor.user, outcome: 'ok', requestId: scope.meta.requestId, details: change });
      const added = updated.permissions.filter((permission) => !before.permissions.includes(permission));
      const removed = before.permissions.filter((permission) => !updated.permissions.includes(permission));
      if (added.length + removed.length > 0) {
        // What every share using the role grants changed: its holders hear about it, as for a changed share.
        const by = await noticeBy(tx, scope);
        for (const holder of await roleHolders(tx, updated.id)) {
          await deliverNotice(tx, ctx, holder, { ...roleChangedNotice(scope.owner.name, updated.name, added, removed), by });
        }
      }
      return updated;
    });
    ctx.wake.mail();
    return presentRole(role, (await roleUsage(ctx.db, scope.owner.id)).get(role.id));
  } catch (error) {
    if (isUniqueViolation(error, 'roles_owner_name_key')) throw nameTaken(input.name ?? '');
    throw error;
  }
}
