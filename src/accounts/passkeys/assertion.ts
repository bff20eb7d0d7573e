import { type AuthenticationResponseJSON, generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { passkeys, users } from '../../db/schema/index.js';
import { rememberChallenge, takeChallenge } from './challenges.js';
import type { Passkey } from './present.js';
import { relyingParty } from './relying-party.js';

/**
 * Options to prove a passkey: for one person (a second factor after the password: only its passkeys are offered),
 * or for anyone (a passwordless sign-in: the browser offers the passkeys it has for this site).
 */
export async function assertionOptions(ctx: AppContext, db: Db, userId: string | null) {
  const rp = relyingParty(ctx.config);
  const mine = userId ? await db.select({ id: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, userId)) : [];
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: userId ? 'discouraged' : 'required',
    ...(userId ? { allowCredentials: mine.map((key) => ({ id: key.id, transports: key.transports })) } : {}),
  });
  await rememberChallenge(db, options.challenge, 'signin', userId, ctx.clock.now());
  return options;
}

/**
 * Verifies a passkey's answer to an assertion challenge: the challenge is taken (single-use), the passkey must be
 * registered (to `userId` when the challenge was issued to one person) and its signature and counter must hold.
 * Returns the person and the passkey, or null when the answer does not prove anything.
 */
export async function verifyAssertion(
  ctx: AppContext,
  tx: Db,
  response: AuthenticationResponseJSON,
  userId: string | null,
): Promise<{ user: typeof users.$inferSelect; passkey: Passkey } | null> {
  const rp = relyingParty(ctx.config);
  const now = ctx.clock.now();
  const expectedChallenge = await takeChallenge(tx, response.response.clientDataJSON, 'signin', userId, now);
  const [row] = await tx
    .select({ passkey: passkeys, user: users })
    .from(passkeys)
    .innerJoin(users, eq(users.id, passkeys.userId))
    .where(userId ? and(eq(passkeys.credentialId, response.id), eq(passkeys.userId, userId)) : eq(passkeys.credentialId, response.id))
    .limit(1);
  if (!row) return null;
  const credential = {
    id: row.passkey.credentialId,
    publicKey: new Uint8Array(Buffer.from(row.passkey.publicKey, 'base64url')),
    counter: row.passkey.counter,
    transports: row.passkey.transports,
  };
  const verification = await verifyAuthenticationResponse({
    response,
    expectedChallenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.id,
    credential,
    requireUserVerification: userId === null,
  }).catch(() => null);
  if (!verification?.verified) return null;
  await tx.update(passkeys).set({ counter: verification.authenticationInfo.newCounter, lastUsedAt: now }).where(eq(passkeys.id, row.passkey.id));
  return { user: row.user, passkey: { ...row.passkey, counter: verification.authenticationInfo.newCounter, lastUsedAt: now } };
}
