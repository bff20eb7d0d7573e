import type { TokenScope } from '../access/token-scope.js';
import type { users } from '../db/schema/index.js';

export type User = typeof users.$inferSelect;

/** The signed-in person making a request, and how they proved it. */
export interface Caller {
  user: User;
  /** The session behind the request, when signed in with a session token or cookie. */
  sessionId: string | null;
  /** The API token behind the request, when signed in with one. */
  apiTokenId: string | null;
  /** That API token's scope; null for a session or an unscoped token (everything the holder can do). */
  tokenScope: TokenScope | null;
  /** That API token's lifetime in milliseconds (expiry minus creation; infinite without expiry); null for a session. */
  tokenLifetimeMs: number | null;
  /** True when the request authenticated with the session cookie (and so must pass the CSRF check). */
  viaCookie: boolean;
  /** The trial has ended (judged at request time); most routes answer 403 trial_expired. */
  trialExpired: boolean;
}

/** Whether a trial account's end has passed at `now`. Paid and collaborator accounts never expire. */
export function isTrialExpired(user: Pick<User, 'type' | 'trialEndsAt'>, now: Date): boolean {
  return user.type === 'trial' && user.trialEndsAt !== null && user.trialEndsAt.getTime() <= now.getTime();
}

/** Whose access a request is decided for: the caller, its trial, and the scope and lifetime of the token it acts through. */
export function subjectOf(caller: Caller) {
  return { id: caller.user.id, trialExpired: caller.trialExpired, scope: caller.tokenScope, tokenLifetimeMs: caller.tokenLifetimeMs };
}
