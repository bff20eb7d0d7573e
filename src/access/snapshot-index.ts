import type { ShareLookup, SharesOn } from './share-lookup.js';
import { isLive, type AccessSnapshot, type ShareFacts } from './snapshot.js';

interface Collected {
  live: ShareFacts[];
  expired: boolean;
}

const NOTHING: SharesOn = { live: [], expired: false };

function add(map: Map<string, Collected>, id: string, share: ShareFacts, live: boolean): void {
  let entry = map.get(id);
  if (!entry) map.set(id, (entry = { live: [], expired: false }));
  if (live) entry.live.push(share);
  else entry.expired = true;
}

/**
 * A lookup over maps of shares by resource, built in one pass over the shares, with every group walk memoized:
 * a listing of thousands of environments walks each group once.
 */
export function indexedLookup(snapshot: AccessSnapshot): ShareLookup {
  const environments = new Map<string, Collected>();
  const groups = new Map<string, Collected>();
  const account: Collected = { live: [], expired: false };
  for (const share of snapshot.shares) {
    const live = isLive(share, snapshot.now);
    if (share.resource.type === 'environment') add(environments, share.resource.id, share, live);
    else if (share.resource.type === 'group') add(groups, share.resource.id, share, live);
    else if (live) account.live.push(share);
    else account.expired = true;
  }
  const nearest = new Map<string, SharesOn>();
  return {
    environment: (id) => environments.get(id) ?? NOTHING,
    nearestGroup: (id) => nearestGroup(snapshot, groups, nearest, id),
    account: () => account,
  };
}

function nearestGroup(snapshot: AccessSnapshot, groups: Map<string, Collected>, memo: Map<string, SharesOn>, groupId: string): SharesOn {
  const path: string[] = [];
  let tail = NOTHING;
  let loopsAt = -1;
  let current: string | null = groupId;
  while (current !== null) {
    const known = memo.get(current);
    if (known) {
      tail = known;
      break;
    }
    loopsAt = path.indexOf(current);
    if (loopsAt >= 0) break;
    path.push(current);
    if ((groups.get(current)?.live.length ?? 0) > 0) break;
    current = snapshot.groups.get(current)?.parentId ?? null;
  }
  // Fold back down the path, memoizing each group's answer. Where parents loop, a group past the loop's entry
  // would walk on round the loop beyond this path, so only groups up to the entry (the start among them) are kept.
  for (let i = path.length - 1; i >= 0; i -= 1) {
    const id = path[i] ?? '';
    const here = groups.get(id);
    if (here && here.live.length > 0) tail = here;
    else if (tail.live.length === 0 && here?.expired) tail = { live: [], expired: true };
    if (loopsAt < 0 || i <= loopsAt) memo.set(id, tail);
  }
  return tail;
}
