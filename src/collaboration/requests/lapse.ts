import { and, asc, eq, lte } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { accessRequests, collaborations, users } from '../../db/schema/index.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { roleNames } from '../roles/resolve.js';
import { describeResource, resolveResource } from '../shares/resource.js';
import { resourceOf } from './load.js';
import { lapsedNotice } from './notices.js';

const BATCH = 50;

/**
 * Settles requests nobody answered within 24 hours: each is marked `lapsed` (it already reads so at its lapse time,
 * statusAt), its requester is told and the lapse audited in the owner's account. Rows are claimed with FOR UPDATE
 * SKIP LOCKED and changed in the notice's transaction, so any number of nodes settle each request once.
 */
export async function lapseRequests(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const settled = await ctx.db.transaction(async (tx) => {
    const due = await tx
      .select({ request: accessRequests, owner: users, memberId: collaborations.memberId })
      .from(accessRequests)
      .innerJoin(users, eq(users.id, accessRequests.ownerId))
      .innerJoin(collaborations, eq(collaborations.id, accessRequests.collaborationId))
      .where(and(eq(accessRequests.status, 'pending'), lte(accessRequests.lapsesAt, now)))
      .orderBy(asc(accessRequests.lapsesAt))
      .limit(BATCH)
      .for('update', { of: accessRequests, skipLocked: true });
    for (const { request, owner, memberId } of due) {
      await tx.update(accessRequests).set({ status: 'lapsed', decidedAt: request.lapsesAt }).where(eq(accessRequests.id, request.id));
      const [requester] = memberId ? await tx.select().from(users).where(eq(users.id, memberId)).limit(1) : [];
      if (requester) {
        const resource = describeResource(await resolveResource(tx, owner.id, resourceOf(request)), owner.name);
        const names = await roleNames(tx, owner.id, request.roleIds);
        const notice = lapsedNotice({ ownerName: owner.name, resource, roleNames: request.roleIds.map((id) => names.get(id) ?? id) });
        await deliverNotice(tx, ctx, requester, { ...notice, by: { initiator: { kind: 'system' }, ownerId: owner.id } });
      }
      await recordAudit(tx, {
        at: now,
        actor: null,
        ownerId: owner.id,
        action: 'access_request.lapse',
        targetType: 'access_request',
        targetId: request.id,
        outcome: 'ok',
        details: { memberId: request.collaborationId, lapsedAt: request.lapsesAt.toISOString() },
      });
    }
    return due.length;
  });
  if (settled > 0) ctx.wake.mail();
  return settled;
}
