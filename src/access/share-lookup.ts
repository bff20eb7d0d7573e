import type { AccessSnapshot, ShareFacts } from './snapshot.js';
import type { SharesIndex } from './snapshot-index.js';

const NONE: readonly ShareFacts[] = [];

/** What one decision's walk has passed: whether any expired share was on its way (`share_expired` of `no_share`). */
export interface Passed {
  expired: boolean;
}

/**
 * The shares of a resource that still grant at `now` (milliseconds): the list itself when all do, as they mostly
 * do, so a decision allocates nothing for them. Notes in `passed` when any has expired.
 */
function liveOf(shares: readonly ShareFacts[] | undefined, now: number, passed: Passed): readonly ShareFacts[] {
  if (shares === undefined) return NONE;
  let expired = 0;
  for (const share of shares) if (share.expiresAt !== null && share.expiresAt.getTime() <= now) expired += 1;
  if (expired === 0) return shares;
  passed.expired = true;
  return expired === shares.length ? NONE : shares.filter((share) => share.expiresAt === null || share.expiresAt.getTime() > now);
}

/** The live shares on one environment of the snapshot's collaboration. */
export function sharesOnEnvironment(index: SharesIndex, now: number, environmentId: string, passed: Passed): readonly ShareFacts[] {
  return liveOf(index.environment.get(environmentId), now, passed);
}

/** The live shares of `groupId`, or else of its parent, its parent's parent...: the first that has any. */
export function sharesOnNearestGroup(index: SharesIndex, snapshot: AccessSnapshot, now: number, groupId: string, passed: Passed): readonly ShareFacts[] {
  for (const holder of index.holdersAbove(snapshot.groups, groupId)) {
    const live = liveOf(index.group.get(holder), now, passed);
    if (live.length > 0) return live;
  }
  return NONE;
}

/** The live account shares. */
export function sharesOnAccount(index: SharesIndex, now: number, passed: Passed): readonly ShareFacts[] {
  return liveOf(index.account, now, passed);
}
