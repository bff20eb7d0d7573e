import { and, eq, gt, type SQL } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { collaborations } from '../../db/schema/index.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { hashSecret } from '../../secrets.js';
import { ownerOf, presentCollaboration } from '../members/mine.js';
import { rejectedNotice } from '../notices.js';
import { invitationNotFound } from './errors.js';
import { findMyInvitation } from './accept.js';
import { findInvitation } from './token.js';

async function rejectPending(ctx: AppContext, meta: RequestMeta, caller: Caller | null, which: SQL, via: string) {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [updated] = await tx
      .update(collaborations)
      .set({ status: 'rejected', memberId: caller?.user.id ?? null, tokenHash: null, tokenExpiresAt: null, updatedAt: now })
      .where(and(which, eq(collaborations.status, 'pending'), gt(collaborations.tokenExpiresAt, now)))
      .returning();
    if (!updated) throw invitationNotFound();
    const owner = await ownerOf(tx, updated);
    // The invitee may have no account: it is known by the invited address, and the owner's alias for it.
    const initiator = { kind: 'member' as const, id: caller?.user.id ?? `invitee:${updated.id}`, name: updated.email, email: updated.email, alias: updated.displayName, manager: false };
    await deliverNotice(tx, ctx, owner, { ...rejectedNotice({ email: updated.email, alias: updated.displayName }, updated.id), by: { initiator, ownerId: owner.id } });
    await recordAudit(tx, {
      at: now,
      actor: caller?.user ?? null,
      ownerId: updated.ownerId,
      action: 'collaboration.reject',
      targetType: 'collaboration',
      targetId: updated.id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { email: updated.email, via },
    });
    return updated;
  });
  ctx.wake.mail();
  return row;
}

/** Declines an invitation by its link alone: whoever holds the link may say no. */
export async function rejectInvitation(ctx: AppContext, meta: RequestMeta, caller: Caller | null, token: string) {
  const invitation = await findInvitation(ctx.db, token, ctx.clock.now());
  const which = and(eq(collaborations.id, invitation.id), eq(collaborations.tokenHash, hashSecret(token)));
  // Link the account only when the signed-in person is the invited one.
  const invitee = caller && caller.user.email.toLowerCase() === invitation.email.toLowerCase() ? caller : null;
  await rejectPending(ctx, meta, invitee, which ?? eq(collaborations.id, invitation.id), 'link');
  return { status: 'rejected' as const };
}

/** Declines a pending invitation to the caller's verified address, by id. */
export async function rejectCollaboration(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string) {
  const invitation = await findMyInvitation(ctx, meta, caller, id, 'collaboration.reject');
  const row = await rejectPending(ctx, meta, caller, eq(collaborations.id, invitation.id), 'dashboard');
  return presentCollaboration(row, await ownerOf(ctx.db, row));
}
