import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { type CollaborationStatus, collaborations } from '../../db/schema/index.js';
import { invalidState } from '../../http/errors.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { deliverNotice, type NoticeText } from '../../notifications/deliver.js';
import { activatedNotice, suspendedNotice } from '../notices.js';
import { assertNoGainBeyondManager } from '../shares/manager-limits.js';
import { noticeBy, type OwnerScope } from '../scope.js';
import { type MemberRow, presentMember } from './load.js';

/** Sets or clears the owner's private alias for a member; the member never sees it. */
export async function renameMember(ctx: AppContext, scope: OwnerScope, member: MemberRow, displayName: string | null) {
  const id = member.collaboration.id;
  const now = ctx.clock.now();
  const saved = await ctx.db.transaction(async (tx) => {
    await decideUnderLock(tx, now, scope.authorized);
    const [row] = await tx
      .update(collaborations)
      .set({ displayName, updatedAt: now })
      .where(and(eq(collaborations.id, id), eq(collaborations.ownerId, scope.owner.id)))
      .returning();
    if (!row) throw invalidState('This member was removed meanwhile.');
    await recordAudit(tx, {
      at: now,
      actor: scope.actor.user,
      ownerId: scope.owner.id,
      action: scope.authorized.rule.action,
      targetType: 'collaboration',
      targetId: id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: { displayName },
    });
    return row;
  });
  return presentMember({ ...member, collaboration: saved }, now, scope.actor.user.id);
}

interface StatusChange {
  from: CollaborationStatus;
  to: CollaborationStatus;
  verb: string;
  notice: (ownerName: string) => NoticeText;
}

async function changeStatus(ctx: AppContext, scope: OwnerScope, member: MemberRow, change: StatusChange) {
  const id = member.collaboration.id;
  const wrongState = (status: string) => invalidState(`Only an ${change.from} member can be ${change.verb}; this member is ${status}.`);
  if (member.collaboration.status !== change.from) throw wrongState(member.collaboration.status);
  const now = ctx.clock.now();
  const saved = await ctx.db.transaction(async (tx) => {
    await decideUnderLock(tx, now, scope.authorized, { collaborationIds: [id] });
    // Re-activating wakes the member's shares: for a manager that is a grant, within what it holds itself.
    if (change.to === 'active' && member.user) {
      await assertNoGainBeyondManager(tx, now, scope, { collaborationId: id, userId: member.user.id }, (shares) => [...shares], { wakingUp: true });
    }
    const [row] = await tx
      .update(collaborations)
      .set({ status: change.to, updatedAt: now })
      .where(and(eq(collaborations.id, id), eq(collaborations.ownerId, scope.owner.id), eq(collaborations.status, change.from)))
      .returning();
    if (!row) throw wrongState('no longer that');
    if (member.user) await deliverNotice(tx, ctx, member.user, { ...change.notice(scope.owner.name), by: await noticeBy(tx, scope) });
    await recordAudit(tx, {
      at: now,
      actor: scope.actor.user,
      ownerId: scope.owner.id,
      action: scope.authorized.rule.action,
      targetType: 'collaboration',
      targetId: id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: { email: row.email },
    });
    return row;
  });
  ctx.wake.mail();
  return presentMember({ ...member, collaboration: saved }, now, scope.actor.user.id);
}

/** Suspends an active member: access ends at once, shares are kept dormant. */
export function suspendMember(ctx: AppContext, scope: OwnerScope, member: MemberRow) {
  return changeStatus(ctx, scope, member, { from: 'active', to: 'suspended', verb: 'suspended', notice: suspendedNotice });
}

/** Re-activates a suspended member: its kept shares apply again. */
export function activateMember(ctx: AppContext, scope: OwnerScope, member: MemberRow) {
  return changeStatus(ctx, scope, member, { from: 'suspended', to: 'active', verb: 're-activated', notice: activatedNotice });
}
