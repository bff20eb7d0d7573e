import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { MINUTE } from '../../clock.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { signInChallenges, users } from '../../db/schema/index.js';
import { invalidChallenge } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { hashSecret, newSecret } from '../../secrets.js';
import type { User } from '../caller.js';
import { startSession } from '../sessions.js';
import { findTotpFactor, withCode } from './verify-code.js';

export const CHALLENGE_PREFIX = 'sp_chl_';
const CHALLENGE_TTL_MS = 5 * MINUTE;
/** Wrong codes one challenge takes before it dies (the per-account limit holds across challenges too). */
const CHALLENGE_MAX_FAILURES = 5;

/** The password was right and the account has a second factor: a short-lived, single-use challenge for the code. */
export async function issueChallenge(ctx: AppContext, meta: RequestMeta, user: User) {
  const token = newSecret(CHALLENGE_PREFIX);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  await ctx.db.transaction(async (tx) => {
    await tx.insert(signInChallenges).values({ userId: user.id, tokenHash: hashSecret(token), createdAt: now, expiresAt });
    await recordAudit(tx, {
      at: now,
      actor: user,
      ownerId: user.id,
      action: 'account.login',
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { step: 'password', secondFactor: 'required' },
    });
  });
  return { challenge: token, expiresAt, methods: ['totp', 'recovery_code'] as const };
}

/**
 * The second step: a TOTP code (once per time step) or an unused recovery code against a live challenge starts the
 * session and spends the challenge, in one transaction. Wrong codes count against the challenge, the account and
 * the address.
 */
export async function completeSignIn(ctx: AppContext, meta: RequestMeta, challenge: string, code: string) {
  const now = ctx.clock.now();
  const [found] = await ctx.db
    .select({ challenge: signInChallenges, user: users })
    .from(signInChallenges)
    .innerJoin(users, eq(users.id, signInChallenges.userId))
    .where(
      and(
        eq(signInChallenges.tokenHash, hashSecret(challenge)),
        isNull(signInChallenges.usedAt),
        gt(signInChallenges.expiresAt, now),
        lt(signInChallenges.failures, CHALLENGE_MAX_FAILURES),
      ),
    )
    .limit(1);
  if (!found) throw invalidChallenge();
  const { user } = found;
  const factor = await findTotpFactor(ctx.db, user.id);
  // The factor was turned off between the steps: the password step alone now decides, so sign in again.
  if (!factor?.confirmedAt) throw invalidChallenge();
  const onWrong = () =>
    ctx.db.transaction(async (tx) => {
      await tx
        .update(signInChallenges)
        .set({ failures: sql`${signInChallenges.failures} + 1` })
        .where(eq(signInChallenges.id, found.challenge.id));
      await recordAudit(tx, {
        at: now,
        actor: user,
        ownerId: user.id,
        action: 'account.login',
        targetType: 'user',
        targetId: user.id,
        outcome: 'denied',
        requestId: meta.requestId,
        details: { step: 'second_factor' },
      });
    });
  return withCode(ctx, { userId: user.id, ip: meta.ip }, factor, code, { recovery: true, status: 401, onWrong }, async (tx, method) => {
    const spent = await tx
      .update(signInChallenges)
      .set({ usedAt: now })
      .where(and(eq(signInChallenges.id, found.challenge.id), isNull(signInChallenges.usedAt)))
      .returning({ id: signInChallenges.id });
    if (spent.length === 0) throw invalidChallenge();
    const session = await startSession(ctx, tx, user.id, meta);
    await recordAudit(tx, {
      at: now,
      actor: user,
      ownerId: user.id,
      action: 'account.login',
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { step: 'second_factor', method },
    });
    return { user, ...session };
  });
}

/** Drops challenges that can no longer be used (housekeeping). */
export async function pruneSignInChallenges(db: Db, now: Date): Promise<void> {
  await db.delete(signInChallenges).where(lt(signInChallenges.expiresAt, now));
}
