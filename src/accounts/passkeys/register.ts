import { generateRegistrationOptions, type RegistrationResponseJSON, verifyRegistrationResponse } from '@simplewebauthn/server';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { passkeys, users } from '../../db/schema/index.js';
import { conflict, limitReached, webauthnFailed } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import type { User } from '../caller.js';
import { auditPasskey } from './audit.js';
import { rememberChallenge, takeChallenge } from './challenges.js';
import { presentPasskey } from './present.js';
import { relyingParty } from './relying-party.js';

/** Enough for a phone, a laptop and a few security keys; more is a sign of something wrong. */
export const MAX_PASSKEYS = 20;

/**
 * The options a browser needs to create a passkey for this person: a fresh challenge (kept until answered), the
 * passkeys it already has (so the same authenticator is not registered twice), and a discoverable key, so it can
 * also sign in without a password.
 */
export async function registrationOptions(ctx: AppContext, user: User) {
  const existing = await ctx.db.select({ credentialId: passkeys.credentialId, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, user.id));
  if (existing.length >= MAX_PASSKEYS) throw limitReached(`An account has at most ${MAX_PASSKEYS} passkeys: remove one first.`);
  const rp = relyingParty(ctx.config);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userID: new TextEncoder().encode(user.id),
    userName: user.email,
    userDisplayName: user.name,
    attestationType: 'none',
    excludeCredentials: existing.map((key) => ({ id: key.credentialId, transports: key.transports })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
  });
  await rememberChallenge(ctx.db, options.challenge, 'register', user.id, ctx.clock.now());
  return options;
}

/** Verifies the browser's answer to the registration options and keeps the new passkey under `name`. */
export async function registerPasskey(ctx: AppContext, meta: RequestMeta, user: User, name: string, response: RegistrationResponseJSON) {
  const rp = relyingParty(ctx.config);
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const expectedChallenge = await takeChallenge(tx, response.response.clientDataJSON, 'register', user.id, now);
    const verification = await verifyRegistrationResponse({ response, expectedChallenge, expectedOrigin: rp.origin, expectedRPID: rp.id, requireUserVerification: false }).catch(
      (error: unknown) => {
        throw webauthnFailed(`The new passkey did not verify: ${error instanceof Error ? error.message : 'unknown reason'}.`);
      },
    );
    if (!verification.verified) throw webauthnFailed('The new passkey did not verify.');
    const { credential, credentialBackedUp } = verification.registrationInfo;
    // One person's registrations in a row: the limit holds when two arrive at once.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for('update');
    const mine = await tx.select({ credentialId: passkeys.credentialId }).from(passkeys).where(eq(passkeys.userId, user.id));
    if (mine.length >= MAX_PASSKEYS) throw limitReached(`An account has at most ${MAX_PASSKEYS} passkeys: remove one first.`);
    const [taken] = await tx.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.credentialId, credential.id)).limit(1);
    if (taken) throw conflict('This passkey is already registered.');
    const [passkey] = await tx
      .insert(passkeys)
      .values({
        userId: user.id,
        name,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString('base64url'),
        counter: credential.counter,
        transports: credential.transports ?? [],
        backedUp: credentialBackedUp,
        createdAt: now,
      })
      .returning();
    if (!passkey) throw new Error('passkey insert returned nothing');
    await auditPasskey(tx, now, meta, user, 'account.passkey_add', passkey.id, { name });
    return presentPasskey(passkey);
  });
}
