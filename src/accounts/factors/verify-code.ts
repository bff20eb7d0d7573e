import { and, eq, isNull, lt, or } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { totpFactors } from '../../db/schema/index.js';
import { invalidCode, rateLimited } from '../../http/errors.js';
import { hit, peek } from '../../http/rate-limit.js';
import { openCredential } from './credential-key.js';
import { consumeRecoveryCode, looksLikeRecoveryCode } from './recovery-codes.js';
import { matchingStep } from './totp.js';

export type SecondFactorMethod = 'totp' | 'recovery_code';
type Factor = typeof totpFactors.$inferSelect;

/** The account's TOTP factor row, confirmed or not. */
export async function findTotpFactor(db: Db, userId: string): Promise<Factor | undefined> {
  const [factor] = await db.select().from(totpFactors).where(eq(totpFactors.userId, userId)).limit(1);
  return factor;
}

/**
 * Accepts a TOTP code once per time step (the step is recorded with a conditional update, so two requests with one
 * code cannot both pass) or uses up a recovery code when `recovery` allows them. Answers the method, or null.
 */
export async function acceptCode(
  ctx: AppContext,
  db: Db,
  factor: Factor,
  code: string,
  options: { recovery: boolean },
): Promise<SecondFactorMethod | null> {
  const now = ctx.clock.now();
  if (options.recovery && looksLikeRecoveryCode(code)) {
    return (await consumeRecoveryCode(db, ctx.config, factor.userId, code, now)) ? 'recovery_code' : null;
  }
  const step = matchingStep(openCredential(ctx.config, factor.secretCipher, factor.userId), code.trim(), now);
  if (step === null) return null;
  const accepted = await db
    .update(totpFactors)
    .set({ lastUsedStep: step })
    .where(and(eq(totpFactors.userId, factor.userId), or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step))))
    .returning({ userId: totpFactors.userId });
  return accepted.length > 0 ? 'totp' : null;
}

const userKey = (userId: string) => `second-factor:user:${userId}`;
const ipKey = (ip: string) => `second-factor:ip:${ip}`;

/** Refuses with 429 while the account or the address has had too many wrong codes lately. */
export async function assertMayTryCode(ctx: AppContext, userId: string, ip: string): Promise<void> {
  const limits = ctx.rateLimits;
  for (const [key, policy] of [
    [userKey(userId), limits.secondFactorFailuresPerUser],
    [ipKey(ip), limits.secondFactorFailuresPerIp],
  ] as const) {
    const seen = await peek(ctx.db, ctx.clock, key, policy);
    if (seen.count >= policy.max) throw rateLimited(seen.retryAfter);
  }
}

/** Counts a wrong code against the account and the address (outside any transaction, so a refusal keeps it). */
export async function recordCodeFailure(ctx: AppContext, userId: string, ip: string): Promise<void> {
  await hit(ctx.db, ctx.clock, userKey(userId), ctx.rateLimits.secondFactorFailuresPerUser);
  await hit(ctx.db, ctx.clock, ipKey(ip), ctx.rateLimits.secondFactorFailuresPerIp);
}

/**
 * Runs `work` with the accepted method inside one transaction when the code is right; a wrong code is counted, and
 * answers `invalidCode(status)`. Guarded by the wrong-code limits.
 */
export async function withCode<T>(
  ctx: AppContext,
  who: { userId: string; ip: string },
  factor: Factor,
  code: string,
  options: { recovery: boolean; status?: 400 | 401; onWrong?: () => Promise<void> },
  work: (tx: Db, method: SecondFactorMethod) => Promise<T>,
): Promise<T> {
  await assertMayTryCode(ctx, who.userId, who.ip);
  const result = await ctx.db.transaction(async (tx) => {
    const method = await acceptCode(ctx, tx, factor, code, options);
    return method ? { done: await work(tx, method) } : null;
  });
  if (result) return result.done;
  await recordCodeFailure(ctx, who.userId, who.ip);
  await options.onWrong?.();
  throw invalidCode(options.status ?? 400);
}
