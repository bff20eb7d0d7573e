import { auditLogin } from './login-audit.js';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { users } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import { enqueueMail } from '../mail/outbox.js';
import { HOUR } from '../clock.js';
import { fieldError, invalidCredentials, invalidToken } from '../http/errors.js';
import { enforce, hit } from '../http/rate-limit.js';
import type { RequestMeta } from '../http/request-meta.js';
import type { Caller, User } from './caller.js';
import { consumeEmailToken, issueEmailToken } from './email-tokens.js';
import { hashPassword, verifyPassword } from './passwords.js';
import { endEveryWayIn, endOtherSessions, endSession, startSession } from './sessions.js';
import { assertMayTrySignIn, recordSignInFailure, recordSignInSuccess } from './signin-throttle.js';
import { findUserByEmail } from './signup.js';
import { issueChallenge } from './factors/challenge.js';
import { secondStepMethods } from './factors/second-factor.js';

/**
 * Checks the password and starts a new session; always a new token, so a planted session id is useless. Only wrong
 * passwords are counted (signin-throttle.ts), so guessing slows the guesser and never locks the owner out. With a
 * second factor the answer is a challenge for the second step (factors/challenge.ts) instead of a session.
 */
export async function signIn(ctx: AppContext, meta: RequestMeta, email: string, password: string) {
  await assertMayTrySignIn(ctx, email, meta.ip);
  const user = await findUserByEmail(ctx.db, email);
  const ok = await verifyPassword(user?.passwordHash, password);
  const now = ctx.clock.now();
  if (!user || !ok) {
    const delayMs = await recordSignInFailure(ctx, email, meta.ip, user);
    if (user) {
      await auditLogin(ctx.db, now, meta, user, 'denied');
    }
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    throw invalidCredentials();
  }
  await recordSignInSuccess(ctx, email, meta.ip);
  const methods = await secondStepMethods(ctx.db, user.id);
  if (methods.length > 0) return { secondStep: await issueChallenge(ctx, meta, user, methods) };
  return ctx.db.transaction(async (tx) => {
    const session = await startSession(ctx, tx, user.id, meta);
    await auditLogin(tx, now, meta, user, 'ok');
    return { session: { user, ...session } };
  });
}

/** Ends the caller's session (a no-op for API tokens, which are revoked instead). */
export async function signOut(ctx: AppContext, caller: Caller): Promise<void> {
  if (caller.sessionId) await endSession(ctx.db, caller.sessionId);
}

/** Changes the password after checking the current one, and ends every other session. */
export async function changePassword(ctx: AppContext, meta: RequestMeta, caller: Caller, current: string, next: string) {
  // A stolen session must not become a way to guess the password.
  await enforce(ctx.db, ctx.clock, `password:user:${caller.user.id}`, ctx.rateLimits.passwordChangePerUser);
  if (!(await verifyPassword(caller.user.passwordHash, current))) {
    throw fieldError('currentPassword', 'is not your current password');
  }
  const passwordHash = await hashPassword(next);
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, caller.user.id));
    await endOtherSessions(tx, caller.user.id, caller.sessionId);
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: caller.user.id,
      action: 'account.password_change',
      targetType: 'user',
      targetId: caller.user.id,
      outcome: 'ok',
      requestId: meta.requestId,
    });
  });
}

/**
 * Mails a reset link when the email has an account. The answer is the same either way, so the route does
 * not tell who has an account.
 */
export async function requestPasswordReset(ctx: AppContext, meta: RequestMeta, email: string): Promise<void> {
  await enforce(ctx.db, ctx.clock, `forgot:ip:${meta.ip}`, ctx.rateLimits.forgotPerIp);
  const user = await findUserByEmail(ctx.db, email);
  if (!user) return;
  const perEmail = ctx.rateLimits.forgotPerEmail;
  // Over the per-email limit we quietly send nothing: answering 429 would reveal the account.
  if (!(await hit(ctx.db, ctx.clock, `forgot:email:${user.id}`, perEmail)).allowed) return;
  await ctx.db.transaction(async (tx) => {
    const token = await issueEmailToken(tx, user.id, 'reset', ctx.clock.now(), HOUR);
    await enqueueMail(tx, ctx.clock, user.email, 'account.reset', {
      subject: 'Reset your Shareplane password',
      greeting: `Hello ${user.name},`,
      paragraphs: [
        'Someone asked to reset the password of your Shareplane account. If it was you, choose a new password with the link below.',
        'The link works once and expires in one hour. Resetting the password signs you out everywhere.',
      ],
      action: { label: 'Choose a new password', url: `${ctx.config.publicUrl}/reset-password?token=${token}` },
      footnote: 'If you did not ask for this, ignore this mail: your password stays as it is.',
    });
  });
  ctx.wake.mail();
}

/** Sets a new password with a mailed reset token; ends every session of the account. */
export async function resetPassword(ctx: AppContext, meta: RequestMeta, token: string, password: string): Promise<User> {
  await enforce(ctx.db, ctx.clock, `reset:ip:${meta.ip}`, ctx.rateLimits.resetPerIp);
  const passwordHash = await hashPassword(password);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const userId = await consumeEmailToken(tx, token, 'reset', now);
    if (!userId) throw invalidToken('This reset link is unknown, already used or expired. Ask for a new one.');
    // The link reached the mailbox, so it also proves the email address.
    const [user] = await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: now })
      .where(eq(users.id, userId))
      .returning();
    if (!user) throw invalidToken('This reset link belongs to an account that no longer exists.');
    // Whoever held the account before the mailbox's holder reset it (it may have been registered by someone
    // else) keeps no way in: every session and API token ends.
    await endEveryWayIn(tx, user.id, now);
    await recordAudit(tx, {
      at: now,
      actor: user,
      ownerId: user.id,
      action: 'account.password_reset',
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      requestId: meta.requestId,
    });
    return user;
  });
}
