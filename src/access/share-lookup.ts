import { isLive, type AccessSnapshot, type ShareFacts } from './snapshot.js';
import { indexedLookup } from './snapshot-index.js';

/**
 * Shares found for one step of the decision: those that still grant at the snapshot's `now`, and whether any
 * expired ones were passed (that only matters when nothing is live: it makes `share_expired` of `no_share`).
 */
export interface SharesOn {
  live: readonly ShareFacts[];
  expired: boolean;
}

/** Where `decide()` reads shares from: one resource's shares, or the nearest group with live shares up a walk. */
export interface ShareLookup {
  environment(environmentId: string): SharesOn;
  /** The live shares of `groupId`, or else of its parent, its parent's parent...: the first that has any. */
  nearestGroup(groupId: string): SharesOn;
  account(): SharesOn;
}

/** The shares on one resource (`id` is ignored for the account), in one pass over the list. */
function scan(snapshot: AccessSnapshot, type: ShareFacts['resource']['type'], id: string): SharesOn {
  const live: ShareFacts[] = [];
  let expired = false;
  for (const share of snapshot.shares) {
    const resource = share.resource;
    if (resource.type !== type || (resource.type !== 'account' && resource.id !== id)) continue;
    if (isLive(share, snapshot.now)) live.push(share);
    else expired = true;
  }
  return { live, expired };
}

/** Reads the shares list directly: cheapest when a snapshot serves a single decision, as most requests do. */
function scanningLookup(snapshot: AccessSnapshot): ShareLookup {
  return {
    environment: (id) => scan(snapshot, 'environment', id),
    nearestGroup(groupId) {
      const seen = new Set<string>();
      let expired = false;
      // Stops at a root, at a group the snapshot lacks, or where parents loop back.
      for (let current: string | null = groupId; current !== null && !seen.has(current); current = snapshot.groups.get(current)?.parentId ?? null) {
        seen.add(current);
        const here = scan(snapshot, 'group', current);
        if (here.live.length > 0) return here;
        expired ||= here.expired;
      }
      return { live: [], expired };
    },
    account: () => scan(snapshot, 'account', ''),
  };
}

// A snapshot is an immutable value, loaded for one request. Its first decision scans; a second one means a
// listing or a batch, so it builds an index kept with the snapshot (weakly: it goes when the snapshot goes).
const decidedOnce = new WeakSet<AccessSnapshot>();
const indexes = new WeakMap<AccessSnapshot, ShareLookup>();

/** The lookup for a snapshot: a scan for its first decision, an index built once for every later one. */
export function shareLookup(snapshot: AccessSnapshot): ShareLookup {
  const index = indexes.get(snapshot);
  if (index) return index;
  if (!decidedOnce.has(snapshot)) {
    decidedOnce.add(snapshot);
    return scanningLookup(snapshot);
  }
  const built = indexedLookup(snapshot);
  indexes.set(snapshot, built);
  return built;
}
