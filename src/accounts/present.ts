import { type User, isTrialExpired } from './caller.js';
import type { UserView } from './schemas.js';

/** An account as the API shows it: never its password hash. */
export function presentUser(user: User, now: Date): UserView {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    type: user.type,
    trialEndsAt: user.trialEndsAt?.toISOString() ?? null,
    trialExpired: isTrialExpired(user, now),
    emailVerified: user.emailVerifiedAt !== null,
    isAdmin: user.isAdmin,
    createdAt: user.createdAt.toISOString(),
  };
}
