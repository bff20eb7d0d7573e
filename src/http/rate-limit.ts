import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rateLimits } from '../db/schema/index.js';
import type { Clock } from '../clock.js';
import { rateLimited } from './errors.js';

export interface RateLimitPolicy {
  max: number;
  windowSeconds: number;
}

/** Every limit of the product in one place. Keys are counted in the database, so they hold across nodes. */
export const defaultRateLimits = {
  signUpPerIp: { max: 20, windowSeconds: 3600 },
  /** Wrong passwords from one address, whatever the email: an address guessing many accounts is stopped. */
  signInFailuresPerIp: { max: 50, windowSeconds: 900 },
  /** Wrong passwords for one email from one address: that address waits; others still sign in. */
  signInFailuresPerEmailAndIp: { max: 5, windowSeconds: 900 },
  /**
   * Wrong passwords for one email from anywhere: past this the account is under attack. Addresses that failed on it
   * wait, failures are answered slowly, and the owner gets a mail; a right password from a clean address still works.
   */
  signInFailuresPerEmail: { max: 10, windowSeconds: 900 },
  verifyPerIp: { max: 30, windowSeconds: 3600 },
  forgotPerIp: { max: 10, windowSeconds: 3600 },
  forgotPerEmail: { max: 3, windowSeconds: 3600 },
  resetPerIp: { max: 20, windowSeconds: 3600 },
  passwordChangePerUser: { max: 10, windowSeconds: 900 },
  /** Wrong second-factor codes (TOTP or recovery) on one account, at sign-in or when managing the factor. */
  secondFactorFailuresPerUser: { max: 10, windowSeconds: 900 },
  /** Wrong second-factor codes from one address, whatever the account. */
  secondFactorFailuresPerIp: { max: 30, windowSeconds: 900 },
  invitationTokenPerIp: { max: 60, windowSeconds: 600 },
  /** Commands run on environments' nodes, per account. */
  execPerUser: { max: 60, windowSeconds: 60 },
  /** Environments created (or cloned), per account. */
  environmentCreatePerUser: { max: 60, windowSeconds: 3600 },
  /**
   * Passkey ceremonies begun (each keeps a challenge until answered): per address for passwordless sign-in, where
   * each answer needs a fresh challenge, so this also bounds guessing; per account for registration.
   */
  passkeyCeremoniesPerIp: { max: 60, windowSeconds: 900 },
  passkeyCeremoniesPerUser: { max: 30, windowSeconds: 900 },
  /** API tokens created, per account. */
  tokenCreatePerUser: { max: 20, windowSeconds: 3600 },
  /**
   * Webhook endpoints registered and deliveries sent again, per account: each makes this server post to a URL of
   * the caller's choosing, so it must not become a way to flood someone else's.
   */
  webhookRequestsPerUser: { max: 60, windowSeconds: 3600 },
  /** Environment transfers asked, per account: each mails the recipient. */
  transferRequestsPerUser: { max: 20, windowSeconds: 3600 },
  /** Access requests made, per account: each mails an owner, so cancelling and asking again must not flood it. */
  accessRequestsPerUser: { max: 20, windowSeconds: 3600 },
} satisfies Record<string, RateLimitPolicy>;

export type RateLimitPolicies = Record<keyof typeof defaultRateLimits, RateLimitPolicy>;

/** Every policy raised to `max` hits a minute: for tests and benchmarks that make thousands of accounts from one address. */
export function relaxedRateLimits(max = 100_000): RateLimitPolicies {
  const relaxed = { max, windowSeconds: 60 };
  return Object.fromEntries(Object.keys(defaultRateLimits).map((name) => [name, relaxed])) as RateLimitPolicies;
}

/**
 * Counts one hit on `key` in the current fixed window and returns whether it is still within the limit.
 * The counter is an upsert, so two nodes counting at once never lose a hit.
 */
export async function hit(db: Db, clock: Clock, key: string, policy: RateLimitPolicy): Promise<{ allowed: boolean; retryAfter: number; count: number }> {
  const now = clock.now().getTime();
  const windowMs = policy.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const [row] = await db
    .insert(rateLimits)
    .values({ key, windowStart, count: 1 })
    .onConflictDoUpdate({ target: [rateLimits.key, rateLimits.windowStart], set: { count: sql`${rateLimits.count} + 1` } })
    .returning({ count: rateLimits.count });
  const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000));
  return { allowed: (row?.count ?? 0) <= policy.max, retryAfter, count: row?.count ?? 0 };
}

/** The hits on `key` in the current window, and the seconds until it ends; counts nothing. */
export async function peek(db: Db, clock: Clock, key: string, policy: RateLimitPolicy): Promise<{ count: number; retryAfter: number }> {
  const now = clock.now().getTime();
  const windowMs = policy.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const [row] = await db
    .select({ count: rateLimits.count })
    .from(rateLimits)
    .where(and(eq(rateLimits.key, key), eq(rateLimits.windowStart, windowStart)));
  return { count: row?.count ?? 0, retryAfter: Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000)) };
}

/** Forgets every window of `key` (a sign-in that succeeded clears its address's failures). */
export async function forget(db: Db, key: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, key));
}

/** Counts a hit and throws 429 `rate_limited` when over the limit. */
export async function enforce(db: Db, clock: Clock, key: string, policy: RateLimitPolicy): Promise<void> {
  const { allowed, retryAfter } = await hit(db, clock, key, policy);
  if (!allowed) throw rateLimited(retryAfter);
}

/** Drops windows that ended long ago; run by a background worker. */
export async function pruneRateLimits(db: Db, clock: Clock): Promise<void> {
  const cutoff = new Date(clock.now().getTime() - 2 * 24 * 3600 * 1000);
  await db.delete(rateLimits).where(sql`${rateLimits.windowStart} < ${cutoff}`);
}
