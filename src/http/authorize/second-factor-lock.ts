import { outlivesOwnersCap } from '../../access/token-scope.js';
import type { AccessSnapshot } from '../../access/snapshot.js';
import { type ProblemError, tokenLifetimeExceeded, twoFactorRequired } from '../errors.js';

/** Whether the snapshot's subject is an active member locked out because the owner requires a second factor it lacks. */
export const lockedForSecondFactor = (snapshot: AccessSnapshot): boolean =>
  snapshot.collaboration?.status === 'active' && snapshot.collaboration.lacksRequiredSecondFactor === true;

/**
 * Why an owner's account refuses an active member everything, or null: the owner requires a second factor it lacks
 * (sessions and API tokens alike: both carry the holder's snapshot), or the member acts through an API token that
 * lives longer than the owner lets tokens act there.
 */
export function accountLockOf(snapshot: AccessSnapshot): ProblemError | null {
  if (lockedForSecondFactor(snapshot)) return twoFactorRequired(snapshot.ownerId);
  const cap = snapshot.collaboration?.tokenMaxLifetimeDays;
  if (snapshot.collaboration?.status === 'active' && cap && outlivesOwnersCap(snapshot)) return tokenLifetimeExceeded(snapshot.ownerId, cap);
  return null;
}

/** Refuses everything in an owner's account, with the problem of `accountLockOf`, to a member it locks out. */
export function refuseLockedAccount(snapshot: AccessSnapshot): void {
  const problem = accountLockOf(snapshot);
  if (problem) throw problem;
}
