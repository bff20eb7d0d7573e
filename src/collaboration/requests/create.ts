import { and, count, eq } from 'drizzle-orm';
import { canSee } from '../../access/decide.js';
import { accessTo, groupIdsOf } from '../../access/load/environments.js';
import { isVisible, visibleGroupIds } from '../../access/load/groups.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { accessRequests } from '../../db/schema/index.js';
import type { AccountScope, Authorized } from '../../http/authorize/authorized.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { forbidden, notFound, problem } from '../../http/errors.js';
import { enforce } from '../../http/rate-limit.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { initiatorOf } from '../../notifications/initiator.js';
import { resolveRoles } from '../roles/resolve.js';
import { describeResource, type ResolvedResource, type ResourceInput, resolveResource } from '../shares/resource.js';
import { requestedNotice } from './notices.js';
import { hasStatus, MAX_PENDING_REQUESTS, presentRequest, REQUEST_LAPSE_MS } from './load.js';

export interface AccessRequestInput {
  resource: ResourceInput;
  roleIds: string[];
  durationHours: number;
  reason: string;
}

/** The resource must be one the member sees (an environment, a group) or the account: anything else is the same 404. */
async function assertVisible(ctx: AppContext, account: AccountScope, resource: ResolvedResource): Promise<void> {
  if (resource.environmentId) {
    const groupIds = (await groupIdsOf(ctx.db, [resource.environmentId])).get(resource.environmentId) ?? [];
    if (!canSee(accessTo(account.snapshot, { id: resource.environmentId }, groupIds))) throw notFound('environment');
  }
  if (resource.groupId && !isVisible(await visibleGroupIds(ctx.db, account.snapshot), resource.groupId)) throw notFound('group');
}

/** A member asks the owner for roles on the account, a group or an environment it sees, for a while, with a reason. */
export async function requestAccess(ctx: AppContext, authorized: Authorized & { account: AccountScope }, input: AccessRequestInput) {
  const { owner } = authorized.account;
  const requester = authorized.caller.user;
  if (owner.id === requester.id) throw forbidden('You own this account and hold everything in it: there is nothing to request.');
  const now = ctx.clock.now();
  if (input.durationHours > owner.accessRequestMaxHours) {
    throw problem(400, 'access_request_too_long', 'Requested for too long', `This account grants requested access for at most ${owner.accessRequestMaxHours} hours.`, {
      maxHours: owner.accessRequestMaxHours,
      errors: [{ path: 'durationHours', message: `must be at most ${owner.accessRequestMaxHours}` }],
    });
  }
  const resource = await resolveResource(ctx.db, owner.id, input.resource);
  await assertVisible(ctx, authorized.account, resource);
  const roleIds = [...new Set(input.roleIds)];
  const roles = await resolveRoles(ctx.db, owner.id, roleIds);
  await enforce(ctx.db, ctx.clock, `access_request.create:user:${requester.id}`, ctx.rateLimits.accessRequestsPerUser);
  const collaborationId = authorized.account.snapshot.collaboration?.id;
  if (!collaborationId) throw notFound('account');
  const id = await ctx.db.transaction(async (tx) => {
    // Locks the requester's collaboration (a suspension that commits first wins) and counts its pending requests.
    await decideUnderLock(tx, now, authorized);
    const [pending] = await tx
      .select({ n: count() })
      .from(accessRequests)
      .where(and(eq(accessRequests.collaborationId, collaborationId), hasStatus('pending', now)));
    if ((pending?.n ?? 0) >= MAX_PENDING_REQUESTS) {
      throw problem(409, 'access_request_limit', 'Too many pending requests', `You already have ${MAX_PENDING_REQUESTS} pending requests in this account: cancel one or wait for an answer.`, {
        maxPending: MAX_PENDING_REQUESTS,
      });
    }
    const lapsesAt = new Date(now.getTime() + REQUEST_LAPSE_MS);
    const [created] = await tx
      .insert(accessRequests)
      .values({
        ownerId: owner.id,
        collaborationId,
        resourceType: resource.type,
        groupId: resource.groupId,
        environmentId: resource.environmentId,
        roleIds,
        durationHours: input.durationHours,
        reason: input.reason,
        status: 'pending',
        createdAt: now,
        lapsesAt,
      })
      .returning({ id: accessRequests.id });
    if (!created) throw new Error('access request insert returned nothing');
    const by = { initiator: await initiatorOf(tx, owner.id, requester), ownerId: owner.id };
    const memberLabel = by.initiator.kind === 'member' ? (by.initiator.alias ?? requester.name) : requester.name;
    const wording = {
      ownerName: owner.name,
      memberLabel,
      resource: describeResource(resource, owner.name),
      roleNames: roles.map((role) => role.name),
      hours: input.durationHours,
      reason: input.reason,
    };
    await deliverNotice(tx, ctx, owner, { ...requestedNotice(wording, owner.id, lapsesAt), by });
    await recordAudit(tx, {
      at: now,
      actor: requester,
      ownerId: owner.id,
      action: 'access_request.create',
      targetType: 'access_request',
      targetId: created.id,
      outcome: 'ok',
      requestId: authorized.meta.requestId,
      details: { memberId: collaborationId, resource: input.resource, roleIds, durationHours: input.durationHours },
    });
    return created.id;
  });
  ctx.wake.mail();
  return presentRequest(ctx.db, now, id, false);
}
