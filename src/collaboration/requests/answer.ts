import { and, eq, gt } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { accessRequests } from '../../db/schema/index.js';
import type { AccountScope, Authorized } from '../../http/authorize/authorized.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { fieldError, problem } from '../../http/errors.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { HOUR } from '../../clock.js';
import type { MemberRow } from '../members/load.js';
import { roleNames } from '../roles/resolve.js';
import { noticeBy, scopeOf } from '../scope.js';
import { createShare } from '../shares/create.js';
import { memberHolder } from '../shares/holder.js';
import { shareableMember } from '../shares/context.js';
import { describeResource, resolveResource } from '../shares/resource.js';
import { type AccessRequestRow, presentRequest, resourceOf, statusAt } from './load.js';
import { approvedNotice, deniedNotice } from './notices.js';

type Answering = Authorized & { account: AccountScope; member: MemberRow; accessRequest: AccessRequestRow };

const closed = (status: string) =>
  problem(409, 'access_request_closed', 'Request already closed', `This request is ${status}: only a pending request can be answered or cancelled.`, { status });

function assertPending(request: AccessRequestRow, now: Date): void {
  const status = statusAt(request, now);
  if (status !== 'pending') throw closed(status);
}

/** Locks the request row in the answer's transaction and checks it is still pending (two answers never both win). */
async function lockPending(tx: Db, id: string, now: Date): Promise<void> {
  const [row] = await tx.select().from(accessRequests).where(eq(accessRequests.id, id)).for('update');
  if (!row) throw closed('gone');
  assertPending(row, now);
}

export interface Approval {
  roleIds?: string[] | undefined;
  durationHours?: number | undefined;
}

/**
 * The owner or a manager approves a pending request, possibly with fewer roles or fewer hours: through the normal
 * share creation (manager limits, lock, access version, notice, audit), a share that ends after the granted hours,
 * beside any share the member already holds on that resource.
 */
export async function approveRequest(ctx: AppContext, authorized: Answering, approval: Approval) {
  const request = authorized.accessRequest;
  const now = ctx.clock.now();
  assertPending(request, now);
  const roleIds = [...new Set(approval.roleIds ?? request.roleIds)];
  if (roleIds.some((id) => !request.roleIds.includes(id))) throw fieldError('roleIds', 'must be among the requested roles (an approval may only narrow)');
  const hours = approval.durationHours ?? request.durationHours;
  if (hours > request.durationHours) throw fieldError('durationHours', `must be at most the ${request.durationHours} hours requested`);
  const owner = authorized.account.owner;
  if (hours > owner.accessRequestMaxHours) {
    throw problem(400, 'access_request_too_long', 'Requested for too long', `This account grants requested access for at most ${owner.accessRequestMaxHours} hours.`, {
      maxHours: owner.accessRequestMaxHours,
      errors: [{ path: 'durationHours', message: `must be at most ${owner.accessRequestMaxHours}` }],
    });
  }
  const scope = scopeOf(authorized);
  const resource = resourceOf(request);
  const described = describeResource(await resolveResource(ctx.db, owner.id, resource), owner.name);
  await createShare(ctx, scope, memberHolder(authorized.member), { resource, roleIds, expiresAt: new Date(now.getTime() + hours * HOUR).toISOString() }, {
    accessRequestId: request.id,
    notice: (names, expiresAt) => approvedNotice({ ownerName: owner.name, resource: described, roleNames: names, hours }, expiresAt),
    within: async (tx, shareId) => {
      await lockPending(tx, request.id, now);
      await tx
        .update(accessRequests)
        .set({ status: 'approved', decidedAt: now, decidedBy: scope.actor.user.id, grantedRoleIds: roleIds, grantedHours: hours, shareId })
        .where(eq(accessRequests.id, request.id));
      await recordAudit(tx, {
        at: now,
        actor: scope.actor.user,
        ownerId: owner.id,
        action: 'access_request.approve',
        targetType: 'access_request',
        targetId: request.id,
        outcome: 'ok',
        requestId: scope.meta.requestId,
        details: { memberId: request.collaborationId, shareId, roleIds, durationHours: hours, requested: { roleIds: request.roleIds, durationHours: request.durationHours } },
      });
    },
  });
  return presentRequest(ctx.db, now, request.id, true);
}

/** The owner or a manager denies a pending request, with an optional comment the requester reads. */
export async function denyRequest(ctx: AppContext, authorized: Answering, comment: string | null) {
  const request = authorized.accessRequest;
  const now = ctx.clock.now();
  assertPending(request, now);
  const scope = scopeOf(authorized);
  const member = shareableMember(authorized.member);
  const owner = authorized.account.owner;
  const described = describeResource(await resolveResource(ctx.db, owner.id, resourceOf(request)), owner.name);
  const names = await roleNames(ctx.db, owner.id, request.roleIds);
  await ctx.db.transaction(async (tx) => {
    await decideUnderLock(tx, now, authorized);
    await lockPending(tx, request.id, now);
    await tx.update(accessRequests).set({ status: 'denied', decidedAt: now, decidedBy: scope.actor.user.id, comment }).where(eq(accessRequests.id, request.id));
    const notice = deniedNotice({ ownerName: owner.name, resource: described, roleNames: request.roleIds.map((id) => names.get(id) ?? id) }, comment);
    await deliverNotice(tx, ctx, member.user, { ...notice, by: await noticeBy(tx, scope) });
    await recordAudit(tx, {
      at: now,
      actor: scope.actor.user,
      ownerId: owner.id,
      action: 'access_request.deny',
      targetType: 'access_request',
      targetId: request.id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: { memberId: request.collaborationId, comment },
    });
  });
  ctx.wake.mail();
  return presentRequest(ctx.db, now, request.id, true);
}

/** The requester withdraws its own pending request. */
export async function cancelRequest(ctx: AppContext, authorized: Answering) {
  const request = authorized.accessRequest;
  const now = ctx.clock.now();
  assertPending(request, now);
  await ctx.db.transaction(async (tx) => {
    await decideUnderLock(tx, now, authorized);
    const [updated] = await tx
      .update(accessRequests)
      .set({ status: 'cancelled', decidedAt: now, decidedBy: authorized.caller.user.id })
      .where(and(eq(accessRequests.id, request.id), eq(accessRequests.status, 'pending'), gt(accessRequests.lapsesAt, now)))
      .returning({ id: accessRequests.id });
    if (!updated) throw closed('answered');
    await recordAudit(tx, {
      at: now,
      actor: authorized.caller.user,
      ownerId: authorized.account.owner.id,
      action: 'access_request.cancel',
      targetType: 'access_request',
      targetId: request.id,
      outcome: 'ok',
      requestId: authorized.meta.requestId,
    });
  });
  return presentRequest(ctx.db, now, request.id, false);
}
