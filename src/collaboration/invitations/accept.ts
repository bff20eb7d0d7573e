import { and, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Caller, User } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { collaborations } from '../../db/schema/index.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { initiatorOf } from '../../notifications/initiator.js';
import { hashSecret } from '../../secrets.js';
import type { Collaboration } from '../members/load.js';
import { ownerOf, presentCollaboration } from '../members/mine.js';
import { acceptedNotice } from '../notices.js';
import { recordRefusal } from '../../http/authorize/refusal.js';
import { emailUnverified, invitationEmailMismatch, invitationExpired, invitationNotFound } from './errors.js';
import type { ProblemError } from '../../http/errors.js';
import { findInvitation } from './token.js';

/**
 * Makes a pending invitation active for `user` in one statement that also checks it is still pending and
 * unexpired: of two accepts racing on one token, exactly one updates the row; the other finds nothing (404).
 * Tells the owner, and audits, in the caller's transaction.
 */
export async function activateInvitation(tx: Db, ctx: AppContext, meta: RequestMeta, which: SQL, user: User, via: string): Promise<Collaboration> {
  const now = ctx.clock.now();
  const [row] = await tx
    .update(collaborations)
    .set({ status: 'active', memberId: user.id, acceptedAt: now, tokenHash: null, tokenExpiresAt: null, updatedAt: now })
    .where(and(which, eq(collaborations.status, 'pending'), gt(collaborations.tokenExpiresAt, now)))
    .returning();
  if (!row) throw invitationNotFound();
  const owner = await ownerOf(tx, row);
  await deliverNotice(tx, ctx, owner, { ...acceptedNotice({ ...user, alias: row.displayName }, row.id), by: { initiator: await initiatorOf(tx, owner.id, user), ownerId: owner.id } });
  await recordAudit(tx, {
    at: now,
    actor: user,
    ownerId: row.ownerId,
    action: 'collaboration.accept',
    targetType: 'collaboration',
    targetId: row.id,
    outcome: 'ok',
    requestId: meta.requestId,
    details: { email: row.email, via },
  });
  return row;
}

/** Only the account whose verified email is the invited one may accept; a refusal is audited and the token kept. */
async function checkAcceptor(ctx: AppContext, meta: RequestMeta, caller: Caller, invitation: Collaboration, action: string): Promise<void> {
  const target = { ownerId: invitation.ownerId, action, targetType: 'collaboration', targetId: invitation.id };
  const refuse = async (problem: ProblemError) => {
    await recordRefusal(ctx.db, ctx.clock.now(), meta, caller, target, problem);
    return problem;
  };
  if (caller.user.email.toLowerCase() !== invitation.email.toLowerCase()) throw await refuse(invitationEmailMismatch(invitation.email));
  if (!caller.user.emailVerifiedAt) throw await refuse(emailUnverified());
}

/** Accepts an invitation by its link's token as the signed-in account. */
export async function acceptInvitation(ctx: AppContext, meta: RequestMeta, caller: Caller, token: string) {
  const invitation = await findInvitation(ctx.db, token, ctx.clock.now());
  await checkAcceptor(ctx, meta, caller, invitation, 'collaboration.accept');
  const which = and(eq(collaborations.id, invitation.id), eq(collaborations.tokenHash, hashSecret(token)));
  const row = await ctx.db.transaction((tx) => activateInvitation(tx, ctx, meta, which ?? sql`false`, caller.user, 'link'));
  ctx.wake.mail();
  return presentCollaboration(row, await ownerOf(ctx.db, row));
}

/** A pending invitation to the caller's own address, by id, for the member-side routes. */
export async function findMyInvitation(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string, action: string): Promise<Collaboration> {
  const [row] = await ctx.db
    .select()
    .from(collaborations)
    .where(and(eq(collaborations.id, id), eq(collaborations.status, 'pending'), sql`lower(${collaborations.email}) = ${caller.user.email.toLowerCase()}`))
    .limit(1);
  if (!row || !row.tokenExpiresAt) throw invitationNotFound();
  await checkAcceptor(ctx, meta, caller, row, action);
  if (row.tokenExpiresAt.getTime() <= ctx.clock.now().getTime()) throw invitationExpired(row.tokenExpiresAt);
  return row;
}

/** Accepts a pending invitation to the caller's verified address, by id (the dashboard's "shared with me" page). */
export async function acceptCollaboration(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string) {
  const invitation = await findMyInvitation(ctx, meta, caller, id, 'collaboration.accept');
  const row = await ctx.db.transaction((tx) => activateInvitation(tx, ctx, meta, eq(collaborations.id, invitation.id), caller.user, 'dashboard'));
  ctx.wake.mail();
  return presentCollaboration(row, await ownerOf(ctx.db, row));
}
