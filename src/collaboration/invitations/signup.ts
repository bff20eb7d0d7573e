import { and, eq } from 'drizzle-orm';
import { hashPassword } from '../../accounts/passwords.js';
import { startSession } from '../../accounts/sessions.js';
import { findUserByEmail } from '../../accounts/signup.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { collaborations, users } from '../../db/schema/index.js';
import { problem } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { hashSecret } from '../../secrets.js';
import { activateInvitation } from './accept.js';
import { findInvitation } from './token.js';

const accountExists = (email: string) =>
  problem(409, 'account_exists', 'Account exists', `An account with ${email} already exists: sign in with it and accept the invitation instead.`);

export interface InvitationSignUpInput {
  name: string;
  password: string;
}

/**
 * Creates a `collaborator` account for the invited address (verified: the link proves the mailbox), accepts the
 * invitation and opens a session, all in one transaction. The email comes from the invitation, never the request.
 */
export async function signUpWithInvitation(ctx: AppContext, meta: RequestMeta, token: string, input: InvitationSignUpInput) {
  const invitation = await findInvitation(ctx.db, token, ctx.clock.now());
  const email = invitation.email.toLowerCase();
  if (await findUserByEmail(ctx.db, email)) throw accountExists(email);
  const passwordHash = await hashPassword(input.password);
  const now = ctx.clock.now();
  try {
    const result = await ctx.db.transaction(async (tx) => {
      const [user] = await tx
        .insert(users)
        .values({ email, name: input.name, passwordHash, type: 'collaborator', trialEndsAt: null, emailVerifiedAt: now, createdAt: now })
        .returning();
      if (!user) throw new Error('user insert returned nothing');
      await recordAudit(tx, {
        at: now,
        actor: user,
        ownerId: user.id,
        action: 'account.signup',
        targetType: 'user',
        targetId: user.id,
        outcome: 'ok',
        requestId: meta.requestId,
        details: { via: 'invitation', collaborationId: invitation.id },
      });
      const which = and(eq(collaborations.id, invitation.id), eq(collaborations.tokenHash, hashSecret(token))) ?? eq(collaborations.id, invitation.id);
      const collaboration = await activateInvitation(tx, ctx, meta, which, user, 'signup');
      const session = await startSession(ctx, tx, user.id, meta);
      return { user, collaboration, session };
    });
    ctx.wake.mail();
    return result;
  } catch (error) {
    if (isUniqueViolation(error, 'users_email_lower_key')) throw accountExists(email);
    throw error;
  }
}
