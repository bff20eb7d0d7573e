import { auditLogin } from '../login-audit.js';
import { and, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import { MINUTE } from '../../clock.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { signInChallenges, users } from '../../db/schema/index.js';
import { invalidChallenge, ProblemError } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { hashSecret, newSecret } from '../../secrets.js';
import type { User } from '../caller.js';
import { startSession } from '../sessions.js';
import { assertMayTryCode, findTotpFactor, recordCodeFailure, withCode } from './verify-code.js';
import { assertionOptions, verifyAssertion } from '../passkeys/assertion.js';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';

export const CHALLENGE_PREFIX = 'sp_chl_';
const CHALLENGE_TTL_MS = 5 * MINUTE;
/** Wrong codes one challenge takes before it dies (the per-account limit holds across challenges too). */
const CHALLENGE_MAX_FAILURES = 5;

/**
 * The password was right and the account has a second factor: a short-lived, single-use challenge for the second
 * step, and, when a passkey may answer it, the WebAuthn request options for the person's passkeys.
 */
export async function issueChallenge(ctx: AppContext, meta: RequestMeta, user: User, methods: Array<'totp' | 'recovery' | 'passkey'>) {
  const token = newSecret(CHALLENGE_PREFIX);
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_MS);
  const passkeyOptions = await ctx.db.transaction(async (tx) => {
    await tx.insert(signInChallenges).values({ userId: user.id, tokenHash: hashSecret(token), createdAt: now, expiresAt });
    await auditLogin(tx, now, meta, user, 'ok', { step: 'password', secondFactor: 'required' });
    return methods.includes('passkey') ? assertionOptions(ctx, tx, user.id) : null;
  });
  return { challenge: token, expiresAt, methods, passkeyOptions };
}

/** What answers the second step: a code of the app or a recovery code, or a passkey's answer to the step's options. */
export type SecondStepProof = { code: string } | { passkey: AuthenticationResponseJSON };

/**
 * The second step: a TOTP code (once per time step), an unused recovery code or one of the person's passkeys against
 * a live challenge starts the session and spends the challenge, in one transaction. Wrong answers count against the
 * challenge, the account and the address.
 */
export async function completeSignIn(ctx: AppContext, meta: RequestMeta, challenge: string, proof: SecondStepProof) {
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
  const onWrong = () =>
    ctx.db.transaction(async (tx) => {
      await tx
        .update(signInChallenges)
        .set({ failures: sql`${signInChallenges.failures} + 1` })
        .where(eq(signInChallenges.id, found.challenge.id));
      await auditLogin(tx, now, meta, user, 'denied', { step: 'second_factor' });
    });
  const start = async (tx: Db, method: string) => {
    const spent = await tx
      .update(signInChallenges)
      .set({ usedAt: now })
      .where(and(eq(signInChallenges.id, found.challenge.id), isNull(signInChallenges.usedAt)))
      .returning({ id: signInChallenges.id });
    if (spent.length === 0) throw invalidChallenge();
    const session = await startSession(ctx, tx, user.id, meta);
    await auditLogin(tx, now, meta, user, 'ok', { step: 'second_factor', method });
    return { user, ...session };
  };
  if ('passkey' in proof) {
    await assertMayTryCode(ctx, user.id, meta.ip);
    const signedIn = await ctx.db.transaction(async (tx) => ((await verifyAssertion(ctx, tx, proof.passkey, user.id)) ? start(tx, 'passkey') : null));
    if (signedIn) return signedIn;
    await recordCodeFailure(ctx, user.id, meta.ip);
    await onWrong();
    throw new ProblemError(401, 'invalid_credentials', 'Passkey not accepted', 'The passkey is not one of this account’s, or its answer did not verify.');
  }
  const factor = await findTotpFactor(ctx.db, user.id);
  // The factor was turned off between the steps: the password step alone now decides, so sign in again.
  if (!factor?.confirmedAt) throw invalidChallenge();
  return withCode(ctx, { userId: user.id, ip: meta.ip }, factor, proof.code, { recovery: true, status: 401, onWrong }, start);
}

/** Drops challenges that can no longer be used (housekeeping). */
export async function pruneSignInChallenges(db: Db, now: Date): Promise<void> {
  await db.delete(signInChallenges).where(lt(signInChallenges.expiresAt, now));
}
