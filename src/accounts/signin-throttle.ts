import type { AppContext } from '../context.js';
import { enqueueMail } from '../mail/outbox.js';
import { forget, hit, peek } from '../http/rate-limit.js';
import { rateLimited } from '../http/errors.js';
import type { User } from './caller.js';

/** Slowest answer to a wrong password on an account under attack. */
export const MAX_FAILURE_DELAY_MS = 5_000;
const FIRST_FAILURE_DELAY_MS = 250;

const keys = (email: string, ip: string) => ({
  ip: `signin:fail:ip:${ip}`,
  pair: `signin:fail:pair:${email.toLowerCase()}|${ip}`,
  email: `signin:fail:email:${email.toLowerCase()}`,
});

/**
 * Decides, before the password is checked, whether this address may try this email now. Only failures count, so
 * nobody can lock an owner out: an address is held back for what it got wrong itself, and while the account is under
 * attack (many failures from anywhere) any address that failed on it waits, but one that did not still signs in.
 */
export async function assertMayTrySignIn(ctx: AppContext, email: string, ip: string): Promise<void> {
  const limits = ctx.rateLimits;
  const key = keys(email, ip);
  const fromIp = await peek(ctx.db, ctx.clock, key.ip, limits.signInFailuresPerIp);
  if (fromIp.count >= limits.signInFailuresPerIp.max) throw rateLimited(fromIp.retryAfter);
  const pair = await peek(ctx.db, ctx.clock, key.pair, limits.signInFailuresPerEmailAndIp);
  if (pair.count >= limits.signInFailuresPerEmailAndIp.max) throw rateLimited(pair.retryAfter);
  if (pair.count > 0) {
    const onEmail = await peek(ctx.db, ctx.clock, key.email, limits.signInFailuresPerEmail);
    if (onEmail.count >= limits.signInFailuresPerEmail.max) throw rateLimited(Math.min(pair.retryAfter, onEmail.retryAfter));
  }
}

/**
 * Counts a wrong password. When it puts the account under attack, its owner is mailed once per window; past that
 * point every failure is answered after a growing delay (up to MAX_FAILURE_DELAY_MS), which slows a guesser that
 * spreads over many addresses. Returns the delay to wait before answering.
 */
export async function recordSignInFailure(ctx: AppContext, email: string, ip: string, user: User | undefined): Promise<number> {
  const limits = ctx.rateLimits;
  const key = keys(email, ip);
  await hit(ctx.db, ctx.clock, key.ip, limits.signInFailuresPerIp);
  await hit(ctx.db, ctx.clock, key.pair, limits.signInFailuresPerEmailAndIp);
  const { count } = await hit(ctx.db, ctx.clock, key.email, limits.signInFailuresPerEmail);
  const threshold = limits.signInFailuresPerEmail.max;
  if (count === threshold && user) await mailAttackNotice(ctx, user, count, limits.signInFailuresPerEmail.windowSeconds);
  return count < threshold ? 0 : Math.min(FIRST_FAILURE_DELAY_MS * 2 ** (count - threshold), MAX_FAILURE_DELAY_MS);
}

/** A right password clears this address's failures on the email: a typo before it holds nothing against it. */
export async function recordSignInSuccess(ctx: AppContext, email: string, ip: string): Promise<void> {
  await forget(ctx.db, keys(email, ip).pair);
}

async function mailAttackNotice(ctx: AppContext, user: User, failures: number, windowSeconds: number): Promise<void> {
  await enqueueMail(ctx.db, ctx.clock, user.email, 'account.signin_attack', {
    subject: 'Someone is trying to sign in to your Shareplane account',
    greeting: `Hello ${user.name},`,
    paragraphs: [
      `In the last ${Math.round(windowSeconds / 60)} minutes, ${failures} sign-ins to your account failed with a wrong password.`,
      'Your account is not locked: you still sign in as usual. Addresses that keep guessing are slowed down and held back.',
      'If this was not you, choose a new, long password that you use nowhere else.',
    ],
    action: { label: 'Sign in to Shareplane', url: `${ctx.config.publicUrl}/sign-in` },
    footnote: `You get this mail at most once every ${Math.round(windowSeconds / 60)} minutes while the failures go on.`,
  });
  ctx.wake.mail();
}
