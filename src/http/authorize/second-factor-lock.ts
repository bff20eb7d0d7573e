import { twoFactorRequired } from '../errors.js';
import type { AccessSnapshot } from '../../access/snapshot.js';

/** Whether the snapshot's subject is an active member locked out because the owner requires a second factor it lacks. */
export const lockedForSecondFactor = (snapshot: AccessSnapshot): boolean =>
  snapshot.collaboration?.status === 'active' && snapshot.collaboration.lacksRequiredSecondFactor === true;

/**
 * Refuses everything in an owner's account, with 403 two_factor_required and where to enrol, to an active member
 * without the second factor the owner requires (sessions and API tokens alike: both carry the holder's snapshot).
 */
export function refuseWithoutRequiredSecondFactor(snapshot: AccessSnapshot): void {
  if (lockedForSecondFactor(snapshot)) throw twoFactorRequired(snapshot.ownerId);
}
