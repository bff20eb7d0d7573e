import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { recoveryCodes, totpFactors } from '../../db/schema/index.js';
import { fieldError, invalidState } from '../../http/errors.js';
import { enforce } from '../../http/rate-limit.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { enqueueMail } from '../../mail/outbox.js';
import type { Caller, User } from '../caller.js';
import { verifyPassword } from '../passwords.js';
import { sealCredential } from './credential-key.js';
import { recoveryCodesLeft, replaceRecoveryCodes } from './recovery-codes.js';
import { newTotpSecret, totpUri } from './totp.js';
import { findTotpFactor, withCode } from './verify-code.js';

/** The account's two-factor state as the API answers it. */
export async function twoFactorStatus(db: Db, userId: string) {
  const factor = await findTotpFactor(db, userId);
  const confirmed = factor?.confirmedAt ?? null;
  return {
    enabled: confirmed !== null,
    pending: factor !== undefined && confirmed === null,
    confirmedAt: confirmed?.toISOString() ?? null,
    recoveryCodesLeft: confirmed ? await recoveryCodesLeft(db, userId) : 0,
  };
}

async function audit(db: Db, ctx: AppContext, meta: RequestMeta, user: User, action: string, outcome: 'ok' | 'denied' = 'ok', details?: Record<string, unknown>) {
  await recordAudit(db, {
    at: ctx.clock.now(),
    actor: user,
    ownerId: user.id,
    action,
    targetType: 'user',
    targetId: user.id,
    outcome,
    requestId: meta.requestId,
    ...(details ? { details } : {}),
  });
}

async function mailChange(db: Db, ctx: AppContext, user: User, on: boolean) {
  await enqueueMail(db, ctx.clock, user.email, on ? 'account.two_factor_on' : 'account.two_factor_off', {
    subject: on ? 'Two-factor sign-in is on' : 'Two-factor sign-in was turned off',
    greeting: `Hello ${user.name},`,
    paragraphs: on
      ? ['Signing in to your Shareplane account now takes a code from your authenticator app after the password.', 'Keep your recovery codes somewhere safe: each one signs you in once if the app is lost.']
      : ['Signing in to your Shareplane account takes only the password again: the authenticator app and the recovery codes no longer work.'],
    footnote: 'If this was not you, reset your password at once and turn two-factor sign-in on again.',
  });
}

/**
 * Starts enrolment: a new secret (sealed under the server's key) waiting for its first code. Answers the secret and
 * its otpauth:// URI once; an unconfirmed enrolment is replaced, a confirmed factor must be disabled first.
 */
export async function enrolTotp(ctx: AppContext, meta: RequestMeta, caller: Caller) {
  const user = caller.user;
  const secret = newTotpSecret();
  await ctx.db.transaction(async (tx) => {
    const existing = await findTotpFactor(tx, user.id);
    if (existing?.confirmedAt) throw invalidState('Two-factor sign-in is already on. Turn it off first to enrol another authenticator.');
    const secretCipher = sealCredential(ctx.config, secret, user.id);
    await tx
      .insert(totpFactors)
      .values({ userId: user.id, secretCipher, createdAt: ctx.clock.now() })
      .onConflictDoUpdate({ target: totpFactors.userId, set: { secretCipher, createdAt: ctx.clock.now(), lastUsedStep: null } });
    await audit(tx, ctx, meta, user, 'account.two_factor.enrol');
  });
  return { secret, uri: totpUri(secret, user.email) };
}

/** Confirms a pending enrolment with its first code; answers the ten recovery codes, once. */
export async function confirmTotp(ctx: AppContext, meta: RequestMeta, caller: Caller, code: string) {
  const user = caller.user;
  const factor = await findTotpFactor(ctx.db, user.id);
  if (!factor || factor.confirmedAt) throw invalidState(factor ? 'Two-factor sign-in is already on.' : 'Start enrolment first (POST /api/v1/me/totp).');
  const confirmed = await withCode(ctx, { userId: user.id, ip: meta.ip }, factor, code, { recovery: false }, async (tx) => {
    await tx.update(totpFactors).set({ confirmedAt: ctx.clock.now() }).where(eq(totpFactors.userId, user.id));
    const codes = await replaceRecoveryCodes(tx, ctx.config, user.id);
    await audit(tx, ctx, meta, user, 'account.two_factor.confirm');
    await mailChange(tx, ctx, user, true);
    return { recoveryCodes: codes };
  });
  ctx.wake.mail();
  return confirmed;
}

async function confirmedFactor(ctx: AppContext, userId: string) {
  const factor = await findTotpFactor(ctx.db, userId);
  if (!factor?.confirmedAt) throw invalidState('Two-factor sign-in is not on.');
  return factor;
}

/** Replaces the recovery codes (the old ones stop working) after the password proves the person. */
export async function regenerateRecoveryCodes(ctx: AppContext, meta: RequestMeta, caller: Caller, password: string) {
  const user = caller.user;
  // A stolen session must not become a way to guess the password (same limit as a password change).
  await enforce(ctx.db, ctx.clock, `password:user:${user.id}`, ctx.rateLimits.passwordChangePerUser);
  await confirmedFactor(ctx, user.id);
  if (!(await verifyPassword(user.passwordHash, password))) {
    await ctx.db.transaction((tx) => audit(tx, ctx, meta, user, 'account.two_factor.recovery_codes', 'denied', { reason: 'password' }));
    throw fieldError('password', 'is not your current password');
  }
  return ctx.db.transaction(async (tx) => {
    const codes = await replaceRecoveryCodes(tx, ctx.config, user.id);
    await audit(tx, ctx, meta, user, 'account.two_factor.recovery_codes');
    return { recoveryCodes: codes };
  });
}

/** Turns two-factor sign-in off with the password and a code (TOTP or recovery); mails the account. */
export async function disableTotp(ctx: AppContext, meta: RequestMeta, caller: Caller, password: string, code: string) {
  const user = caller.user;
  // A stolen session must not become a way to guess the password (same limit as a password change).
  await enforce(ctx.db, ctx.clock, `password:user:${user.id}`, ctx.rateLimits.passwordChangePerUser);
  const factor = await confirmedFactor(ctx, user.id);
  if (!(await verifyPassword(user.passwordHash, password))) {
    await ctx.db.transaction((tx) => audit(tx, ctx, meta, user, 'account.two_factor.disable', 'denied', { reason: 'password' }));
    throw fieldError('password', 'is not your current password');
  }
  const onWrong = () => ctx.db.transaction((tx) => audit(tx, ctx, meta, user, 'account.two_factor.disable', 'denied', { reason: 'code' }));
  await withCode(ctx, { userId: user.id, ip: meta.ip }, factor, code, { recovery: true, onWrong }, async (tx, method) => {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id));
    await tx.delete(totpFactors).where(eq(totpFactors.userId, user.id));
    await audit(tx, ctx, meta, user, 'account.two_factor.disable', 'ok', { method });
    await mailChange(tx, ctx, user, false);
  });
  ctx.wake.mail();
}
