import { and, eq } from 'drizzle-orm';
import { systemRoles } from '../../access/catalog.js';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { roles } from '../../db/schema/index.js';
import { conflict, forbidden, notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { denied, requireOwner, resolveOwnerScope } from '../scope.js';
import { sharesUsingRole } from './usage.js';

/**
 * Deletes a custom role that no share uses. The role row is locked first, and shares lock the roles they name, so a
 * share cannot start using the role between the check and the delete.
 */
export async function deleteRole(ctx: AppContext, meta: RequestMeta, caller: Caller, ownerId: string | undefined, id: string): Promise<void> {
  const scope = await resolveOwnerScope(ctx, meta, caller, ownerId, 'role.delete');
  const target = { ownerId: scope.owner.id, action: 'role.delete', targetType: 'role', targetId: id };
  await requireOwner(ctx, scope, target);
  if (systemRoles.some((role) => role.id === id)) {
    throw await denied(ctx, meta, caller, target, forbidden('System roles are read-only and cannot be deleted.'));
  }
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
          email: u.email,
          resource: { type: u.resourceType, ...(u.groupId ?? u.environmentId ? { id: u.groupId ?? u.environmentId } : {}) },
        })),
      });
    }
    await tx.delete(roles).where(eq(roles.id, id));
    await recordAudit(tx, { ...target, at: now, actor: caller.user, outcome: 'ok', requestId: meta.requestId, details: { name: role.name } });
  });
}
