import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { emailTokens } from '../db/schema/index.js';
import { hashSecret, newSecret } from '../secrets.js';

type Purpose = (typeof emailTokens.$inferSelect)['purpose'];

/** Issues a single-use mailed token, killing earlier unused ones of the same purpose. Returns the secret. */
export async function issueEmailToken(db: Db, userId: string, purpose: Purpose, now: Date, ttlMs: number): Promise<string> {
  await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
  const token = newSecret();
  await db.insert(emailTokens).values({
    userId,
    purpose,
    tokenHash: hashSecret(token),
    createdAt: now,
    expiresAt: new Date(now.getTime() + ttlMs),
  });
  return token;
}

/**
 * Uses a mailed token: marks it used in the same statement that finds it, so two requests with one token
 * cannot both succeed. Returns the user id, or null when the token is unknown, used or expired.
 */
export async function consumeEmailToken(db: Db, token: string, purpose: Purpose, now: Date): Promise<string | null> {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: now })
    .where(
      and(
        eq(emailTokens.tokenHash, hashSecret(token)),
        eq(emailTokens.purpose, purpose),
        isNull(emailTokens.usedAt),
        gt(emailTokens.expiresAt, now),
      ),
    )
    .returning({ userId: emailTokens.userId });
  return row?.userId ?? null;
}
