import { auditLogin } from '../login-audit.js';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { AppContext } from '../../context.js';
import { ProblemError } from '../../http/errors.js';
import { enforce } from '../../http/rate-limit.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { startSession } from '../sessions.js';
import { assertionOptions, verifyAssertion } from './assertion.js';

const notAccepted = () =>
  new ProblemError(401, 'invalid_credentials', 'Passkey not accepted', 'This passkey does not sign in to any account here, or its answer did not verify.');

/** Options for a passwordless sign-in: the browser offers whichever of its passkeys for this site the person picks. */
export async function passkeySignInOptions(ctx: AppContext, meta: RequestMeta) {
  await enforce(ctx.db, ctx.clock, `passkey:ip:${meta.ip}`, ctx.rateLimits.passkeyCeremoniesPerIp);
  return assertionOptions(ctx, ctx.db, null);
}

/**
 * Signs in with a passkey alone: a passkey verified with its user (PIN or biometrics) is two factors in one, so it
 * needs neither the password nor a second step. The challenge is spent whether or not the answer verifies.
 */
export async function signInWithPasskey(ctx: AppContext, meta: RequestMeta, response: AuthenticationResponseJSON) {
  const now = ctx.clock.now();
  const signedIn = await ctx.db.transaction(async (tx) => {
    const proven = await verifyAssertion(ctx, tx, response, null);
    if (!proven) return null;
    const session = await startSession(ctx, tx, proven.user.id, meta);
    await auditLogin(tx, now, meta, proven.user, 'ok', { method: 'passkey', passkeyId: proven.passkey.id });
    return { user: proven.user, ...session };
  });
  if (!signedIn) throw notAccepted();
  return signedIn;
}
