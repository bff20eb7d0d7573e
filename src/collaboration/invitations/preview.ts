import { findUserByEmail } from '../../accounts/signup.js';
import type { AppContext } from '../../context.js';
import { ownerOf } from '../members/mine.js';
import { findInvitation } from './token.js';

/** What the invitation page shows before anyone decides. Reading it changes nothing: mail scanners open links. */
export async function previewInvitation(ctx: AppContext, token: string) {
  const invitation = await findInvitation(ctx.db, token, ctx.clock.now());
  const owner = await ownerOf(ctx.db, invitation);
  const account = await findUserByEmail(ctx.db, invitation.email);
  return {
    email: invitation.email,
    owner: { name: owner.name },
    expiresAt: invitation.tokenExpiresAt?.toISOString() ?? '',
    accountExists: account !== undefined,
  };
}
