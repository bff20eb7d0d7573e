import { and, eq } from 'drizzle-orm';
import { systemRoles } from '../../access/catalog.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { roles } from '../../db/schema/index.js';
import { conflict, forbidden, notFound } from '../../http/errors.js';
import type { OwnerScope } from '../scope.js';
import { sharesUsingRole } from './usage.js';

/**
 * Deletes a custom role that no share uses. The role row is locked first, and shares lock the roles they name, so a
 * share cannot start using the role between the check and the delete.
 */
export async function deleteRole(ctx: AppContext, scope: OwnerScope, id: string): Promise<void> {
  const target = { ownerId: scope.owner.id, action: scope.authorized.rule.action, targetType: 'role', targetId: id };
  if (systemRoles.some((role) => role.id === id)) throw forbidden('System roles are read-only and cannot be deleted.');
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [role] = await tx
      .select()
      .from(roles)
      .where(and(eq(roles.id, id), eq(roles.ownerId, scope.owner.id)))
      .limit(1)
      .for('update');
    if (!role) throw notFound('role');
    const used = await sharesUsingRole(tx, scope.owner.id, id);
    if (used.length > 0) {
      const where = used.map((u) => `${u.displayName ?? u.email} (${u.resourceType}${u.groupId ?? u.environmentId ? ` ${u.groupId ?? u.environmentId}` : ''})`);
      throw conflict(`The role "${role.name}" is used by ${used.length} share(s): ${where.join(', ')}. Change or delete those shares first.`, {
        usedBy: used.map((u) => ({
          shareId: u.shareId,
          memberId: u.memberId,
          teamId: u.teamId,
          email: u.email,
          resource: { type: u.resourceType, ...(u.groupId ?? u.environmentId ? { id: u.groupId ?? u.environmentId } : {}) },
        })),
      });
    }
    await tx.delete(roles).where(eq(roles.id, id));
    await recordAudit(tx, { ...target, at: now, actor: scope.actor.user, outcome: 'ok', requestId: scope.meta.requestId, details: { name: role.name } });
  });
}
