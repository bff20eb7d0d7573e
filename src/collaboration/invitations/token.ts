import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collaborations } from '../../db/schema/index.js';
import { hashSecret, newSecret } from '../../secrets.js';
import type { Collaboration } from '../members/load.js';
import { invitationExpired, invitationNotFound } from './errors.js';

/** A fresh invitation token (32 random bytes, base64url), the hash that is stored instead, and its expiry. */
export function newInvitationToken(now: Date, ttlSeconds: number) {
  const token = newSecret();
  return { token, tokenHash: hashSecret(token), expiresAt: new Date(now.getTime() + ttlSeconds * 1000) };
}

/**
 * The pending invitation behind a token, or the problem to answer: a replaced, used or withdrawn token is unknown
 * (404, its hash is gone); only a live one that ran out is 410.
 */
export async function findInvitation(db: Db, token: string, now: Date): Promise<Collaboration> {
  const [row] = await db.select().from(collaborations).where(eq(collaborations.tokenHash, hashSecret(token))).limit(1);
  if (!row || row.status !== 'pending' || !row.tokenExpiresAt) throw invitationNotFound();
  if (row.tokenExpiresAt.getTime() <= now.getTime()) throw invitationExpired(row.tokenExpiresAt);
  return row;
}
