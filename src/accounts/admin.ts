import { and, asc, eq, ilike, sql } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { type AccountType, users } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import { notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import type { Caller, User } from './caller.js';
import { hashPassword } from './passwords.js';
import { endEveryWayIn } from './sessions.js';
import { findUserByEmail } from './signup.js';

/** Finds accounts whose email contains the search text (all when empty), for the billing team. */
export async function findUsers(ctx: AppContext, email: string | undefined, limit: number): Promise<User[]> {
  const pattern = `%${(email ?? '').toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return ctx.db.select().from(users).where(ilike(users.email, pattern)).orderBy(asc(users.email)).limit(limit);
}

async function updateAccount(
  ctx: AppContext,
  meta: RequestMeta,
  admin: Caller,
  userId: string,
  action: string,
  change: Partial<typeof users.$inferInsert>,
): Promise<User> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.update(users).set(change).where(eq(users.id, userId)).returning();
    if (!user) throw notFound('user');
    await recordAudit(tx, {
      at: now,
      actor: admin.user,
      ownerId: user.id,
      action,
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { type: user.type, trialEndsAt: user.trialEndsAt?.toISOString() ?? null },
    });
    return user;
  });
}

/**
 * Converts an account to `paid` or `collaborator`. Neither expires, so an ended trial regains access at once;
 * the trial-end bookkeeping is cleared so a later trial would be handled again.
 */
export function convertAccount(ctx: AppContext, meta: RequestMeta, admin: Caller, userId: string, type: Exclude<AccountType, 'trial'>) {
  return updateAccount(ctx, meta, admin, userId, 'account.convert', {
    type,
    trialEndsAt: null,
    trialWarnedAt: null,
    trialEndedHandledAt: null,
  });
}

/** Moves a trial's end; moving it into the future restores access at once and re-arms the trial mails. */
export function setTrialEnd(ctx: AppContext, meta: RequestMeta, admin: Caller, userId: string, endsAt: Date) {
  return updateAccount(ctx, meta, admin, userId, 'account.set_trial_end', {
    type: 'trial',
    trialEndsAt: endsAt,
    trialWarnedAt: null,
    trialEndedHandledAt: null,
  });
}

/**
 * Makes sure the configured platform admin exists (ADMIN_EMAIL / ADMIN_PASSWORD), at every start. An account
 * someone else registered with that address is taken over, not trusted: it gets the configured password, and
 * every session and API token it had ends, so only the operator holds the admin's keys.
 */
export async function ensureAdmin(ctx: AppContext): Promise<void> {
  const { adminEmail, adminPassword } = ctx.config;
  if (!adminEmail || !adminPassword) return;
  const existing = await findUserByEmail(ctx.db, adminEmail);
  if (existing?.isAdmin) return;
  const passwordHash = await hashPassword(adminPassword);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    // Two nodes starting at once both try; the second finds the first's row and promotes nothing new.
    await tx
      .insert(users)
      .values({ email: adminEmail, name: 'Platform admin', passwordHash, type: 'paid', isAdmin: true, emailVerifiedAt: now, createdAt: now })
      .onConflictDoNothing();
    const [promoted] = await tx
      .update(users)
      .set({ isAdmin: true, passwordHash, emailVerifiedAt: now })
      .where(and(sql`lower(${users.email}) = ${adminEmail}`, eq(users.isAdmin, false)))
      .returning();
    if (!promoted) return;
    await endEveryWayIn(tx, promoted.id, now);
    await recordAudit(tx, {
      at: now,
      actor: null,
      ownerId: promoted.id,
      action: 'account.promote_admin',
      targetType: 'user',
      targetId: promoted.id,
      outcome: 'ok',
      details: { reason: 'ADMIN_EMAIL names this account; its password was replaced and its sessions and API tokens ended' },
    });
  });
}
