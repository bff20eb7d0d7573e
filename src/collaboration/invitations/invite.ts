import { and, eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { collaborations, shares, teamMembers } from '../../db/schema/index.js';
import { conflict, fieldError, invalidState, problem } from '../../http/errors.js';
import { inviterUnverified } from './errors.js';
import { hit } from '../../http/rate-limit.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { type Collaboration, type MemberRow, presentMember } from '../members/load.js';
import type { OwnerScope } from '../scope.js';
import { sendInvitation } from './mail.js';
import { newInvitationToken } from './token.js';

const DAY_SECONDS = 24 * 3600;
// These statuses hold the (owner, email) slot; rejected and left ones can be invited again.
const OPEN_STATUSES = new Set(['pending', 'active', 'suspended']);

const alreadyInvited = (email: string, status?: string) =>
  conflict(`${email} is already ${status ? `a ${status} member` : 'invited'} of this account.`, status ? { memberStatus: status } : undefined);

/**
 * Counts one invitation mail against the owner's daily allowance, in the database (so it holds across nodes) and
 * inside the inviting transaction (so refused or failed invitations do not use it up).
 */
async function countInvitation(tx: Db, ctx: AppContext, ownerId: string): Promise<void> {
  const max = ctx.config.invitationsPerDay;
  const { allowed, retryAfter } = await hit(tx, ctx.clock, `invitations:owner:${ownerId}`, { max, windowSeconds: DAY_SECONDS });
  if (!allowed) {
    throw problem(429, 'rate_limited', 'Too many invitations', `This account already sent its ${max} invitations for today; try again in ${Math.ceil(retryAfter / 3600)} h.`, {
      retryAfter,
    });
  }
}

export interface InviteInput {
  email: string;
  displayName?: string | null | undefined;
}

async function writeInvitation(ctx: AppContext, scope: OwnerScope, email: string, displayName: string | null | undefined): Promise<Collaboration> {
  const now = ctx.clock.now();
  const { token, tokenHash, expiresAt } = newInvitationToken(now, ctx.config.invitationTtlSeconds);
  const ownerId = scope.owner.id;
  return ctx.db.transaction(async (tx) => {
    await decideUnderLock(tx, now, scope.authorized);
    const [existing] = await tx
      .select()
      .from(collaborations)
      .where(and(eq(collaborations.ownerId, ownerId), sql`lower(${collaborations.email}) = ${email}`))
      .limit(1)
      .for('update');
    if (existing && OPEN_STATUSES.has(existing.status)) throw alreadyInvited(email, existing.status);
    await countInvitation(tx, ctx, ownerId);
    const fresh = { status: 'pending' as const, tokenHash, tokenExpiresAt: expiresAt, invitedBy: scope.actor.user.id, invitedAt: now, updatedAt: now };
    let saved: Collaboration | undefined;
    if (existing) {
      // A rejected or left member starts over: pending, unlinked, a new token and no shares.
      await tx.delete(shares).where(eq(shares.collaborationId, existing.id));
      await tx.delete(teamMembers).where(eq(teamMembers.collaborationId, existing.id));
      [saved] = await tx
        .update(collaborations)
        .set({ ...fresh, memberId: null, acceptedAt: null, displayName: displayName === undefined ? existing.displayName : displayName })
        .where(and(eq(collaborations.id, existing.id), eq(collaborations.status, existing.status)))
        .returning();
    } else {
      [saved] = await tx
        .insert(collaborations)
        .values({ ...fresh, ownerId, email, displayName: displayName ?? null })
        .returning();
    }
    if (!saved) throw alreadyInvited(email);
    await sendInvitation(tx, ctx, { email, owner: scope.owner, inviter: scope.actor.user, ownerId, token, expiresAt, resent: false });
    await recordAudit(tx, {
      at: now,
      actor: scope.actor.user,
      ownerId,
      action: 'collaboration.invite',
      targetType: 'collaboration',
      targetId: saved.id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: { email, ...(existing ? { previousStatus: existing.status } : {}) },
    });
    return saved;
  });
}

/** Invites an email into the owner's account: a pending member, and a mail with a single-use link. */
export async function inviteMember(ctx: AppContext, scope: OwnerScope, input: InviteInput) {
  if (!scope.actor.user.emailVerifiedAt) throw inviterUnverified();
  const email = input.email.toLowerCase();
  if (email === scope.owner.email.toLowerCase()) {
    throw fieldError('email', scope.managed ? "is the owner's own address" : 'is your own address: you cannot invite yourself');
  }
  let saved: Collaboration;
  try {
    saved = await writeInvitation(ctx, scope, email, input.displayName);
  } catch (error) {
    // Two invitations of one email at once: the unique index lets one through, the other lands here.
    if (isUniqueViolation(error, 'collaborations_owner_email_key')) throw alreadyInvited(email);
    throw error;
  }
  ctx.wake.mail();
  return presentMember({ collaboration: saved, user: null, hasSecondFactor: false }, ctx.clock.now());
}

/** Sends a pending invitation again with a new token and a new expiry; the old link dies. */
export async function resendInvitation(ctx: AppContext, scope: OwnerScope, member: MemberRow) {
  if (!scope.actor.user.emailVerifiedAt) throw inviterUnverified();
  const id = member.collaboration.id;
  const notPending = () => invalidState(`Only a pending invitation can be sent again; this member is ${member.collaboration.status}.`);
  if (member.collaboration.status !== 'pending') throw notPending();
  const now = ctx.clock.now();
  const { token, tokenHash, expiresAt } = newInvitationToken(now, ctx.config.invitationTtlSeconds);
  const saved = await ctx.db.transaction(async (tx) => {
    await decideUnderLock(tx, now, scope.authorized);
    await countInvitation(tx, ctx, scope.owner.id);
    const [row] = await tx
      .update(collaborations)
      .set({ tokenHash, tokenExpiresAt: expiresAt, updatedAt: now })
      .where(and(eq(collaborations.id, id), eq(collaborations.status, 'pending')))
      .returning();
    if (!row) throw notPending();
    await sendInvitation(tx, ctx, { email: row.email, owner: scope.owner, inviter: scope.actor.user, ownerId: scope.owner.id, token, expiresAt, resent: true });
    await recordAudit(tx, {
      at: now,
      actor: scope.actor.user,
      ownerId: scope.owner.id,
      action: scope.authorized.rule.action,
      targetType: 'collaboration',
      targetId: row.id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: { email: row.email },
    });
    return row;
  });
  ctx.wake.mail();
  return presentMember({ collaboration: saved, user: null, hasSecondFactor: false }, now);
}
