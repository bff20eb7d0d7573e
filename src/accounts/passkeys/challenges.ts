import { and, eq, gt, lte } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { webauthnChallenges } from '../../db/schema/index.js';
import { webauthnFailed } from '../../http/errors.js';
import { hashSecret } from '../../secrets.js';

/** How long a ceremony may take between the options and the answer: long enough to find a security key. */
export const CEREMONY_TTL_MS = 5 * 60_000;

type Ceremony = (typeof webauthnChallenges.$inferSelect)['ceremony'];

/** Keeps the challenge the options carry until its answer comes back (or it expires). */
export async function rememberChallenge(db: Db, challenge: string, ceremony: Ceremony, userId: string | null, now: Date): Promise<void> {
  await db.insert(webauthnChallenges).values({
    challengeHash: hashSecret(challenge),
    ceremony,
    userId,
    expiresAt: new Date(now.getTime() + CEREMONY_TTL_MS),
  });
}

/** The challenge named in an authenticator's answer (clientDataJSON), or undefined when it names none. */
export function challengeOf(clientDataJSON: string): string | undefined {
  try {
    const data: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = data && typeof data === 'object' ? (data as { challenge?: unknown }).challenge : undefined;
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 200 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the live challenge an answer names, issued for this ceremony (and person, when it was issued to one): each
 * challenge answers once, so a replayed answer finds nothing. Throws 400 webauthn_failed otherwise.
 */
export async function takeChallenge(db: Db, clientDataJSON: string, ceremony: Ceremony, userId: string | null, now: Date): Promise<string> {
  const challenge = challengeOf(clientDataJSON);
  const refused = () => webauthnFailed('This passkey request is unknown, already answered or expired: start again.');
  if (!challenge) throw refused();
  const [row] = await db
    .delete(webauthnChallenges)
    .where(and(eq(webauthnChallenges.challengeHash, hashSecret(challenge)), eq(webauthnChallenges.ceremony, ceremony), gt(webauthnChallenges.expiresAt, now)))
    .returning();
  if (!row || row.userId !== userId) throw refused();
  return challenge;
}

/** Forgets the challenges nobody answered. */
export async function pruneChallenges(db: Db, now: Date): Promise<void> {
  await db.delete(webauthnChallenges).where(lte(webauthnChallenges.expiresAt, now));
}
