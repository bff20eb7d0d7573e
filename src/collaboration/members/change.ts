import { and, eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { type CollaborationStatus, collaborations } from '../../db/schema/index.js';
import { invalidState } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { deliverNotice, type Notice } from '../../notifications/deliver.js';
import { activatedNotice, suspendedNotice } from '../notices.js';
import { assertManageable, resolveOwnerScope } from '../scope.js';
import { loadMember, presentMember } from './load.js';

/** Sets or clears the owner's private alias for a member; the member never sees it. */
export async function renameMember(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  ownerId: string | undefined,
  id: string,
  displayName: string | null,
) {
  const scope = await resolveOwnerScope(ctx, meta, caller, ownerId, 'collaboration.update');
  const member = await loadMember(ctx.db, scope.owner.id, id);
  await assertManageable(ctx, scope, member.collaboration, 'collaboration.update');
  const now = ctx.clock.now();
  const saved = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(collaborations)
      .set({ displayName, updatedAt: now })
      .where(and(eq(collaborations.id, id), eq(collaborations.ownerId, scope.owner.id)))
      .returning();
    if (!row) throw invalidState('This member was removed meanwhile.');
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: scope.owner.id,
      action: 'collaboration.update',
      targetType: 'collaboration',
      targetId: id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { displayName },
    });
    return row;
  });
  return presentMember({ collaboration: saved, user: member.user }, now);
}

interface StatusChange {
  from: CollaborationStatus;
  to: CollaborationStatus;
  action: string;
  verb: string;
  notice: (ownerName: string) => Notice;
}

async function changeStatus(ctx: AppContext, meta: RequestMeta, caller: Caller, ownerId: string | undefined, id: string, change: StatusChange) {
  const scope = await resolveOwnerScope(ctx, meta, caller, ownerId, change.action);
  const member = await loadMember(ctx.db, scope.owner.id, id);
  await assertManageable(ctx, scope, member.collaboration, change.action);
  const wrongState = (status: string) => invalidState(`Only an ${change.from} member can be ${change.verb}; this member is ${status}.`);
  if (member.collaboration.status !== change.from) throw wrongState(member.collaboration.status);
  const now = ctx.clock.now();
  const saved = await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .update(collaborations)
      .set({ status: change.to, updatedAt: now })
      .where(and(eq(collaborations.id, id), eq(collaborations.ownerId, scope.owner.id), eq(collaborations.status, change.from)))
      .returning();
    if (!row) throw wrongState('no longer that');
    if (member.user) await deliverNotice(tx, ctx, member.user, change.notice(scope.owner.name));
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: scope.owner.id,
      action: change.action,
      targetType: 'collaboration',
      targetId: id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { email: row.email },
    });
    return row;
  });
  ctx.wake.mail();
  return presentMember({ collaboration: saved, user: member.user }, now);
}

/** Suspends an active member: access ends at once, shares are kept dormant. */
export function suspendMember(ctx: AppContext, meta: RequestMeta, caller: Caller, ownerId: string | undefined, id: string) {
  return changeStatus(ctx, meta, caller, ownerId, id, {
    from: 'active',
    to: 'suspended',
    action: 'collaboration.suspend',
    verb: 'suspended',
    notice: suspendedNotice,
  });
}

/** Re-activates a suspended member: its kept shares apply again. */
export function activateMember(ctx: AppContext, meta: RequestMeta, caller: Caller, ownerId: string | undefined, id: string) {
  return changeStatus(ctx, meta, caller, ownerId, id, {
    from: 'suspended',
    to: 'active',
    action: 'collaboration.activate',
    verb: 're-activated',
    notice: activatedNotice,
  });
}
