import type { AccessSnapshot, AccessTarget, GroupFacts, ShareFacts, ShareResource } from './snapshot.js';

/**
 * A collaboration's shares grouped by the resource they are on, with the walk up from each group to the groups
 * above it that hold any share. Nothing in it depends on the time: which shares are live is read at each decision,
 * so one index serves every request over the same facts. It is kept with the shares list it was built from
 * (weakly: it goes when the list goes), and the snapshot cache hands the same list to every request at one access
 * version, so the index is built once per version (on the list's second decision), not per request.
 */
export interface SharesIndex {
  environment: ReadonlyMap<string, readonly ShareFacts[]>;
  group: ReadonlyMap<string, readonly ShareFacts[]>;
  account: readonly ShareFacts[];
  /** From a group up to its root, the groups that hold shares, nearest first (by `shareHolders`). */
  holdersAbove(groups: ReadonlyMap<string, GroupFacts>, groupId: string): readonly string[];
}

const NONE: readonly ShareFacts[] = [];
const EMPTY: SharesIndex = { environment: new Map(), group: new Map(), account: NONE, holdersAbove: () => [] };
const indexes = new WeakMap<readonly ShareFacts[], SharesIndex>();
// The list the last decision scanned: seen a second time (a listing, or the next request over cached facts), it is
// indexed. One list is held at most; a list that serves one decision (just loaded) is never indexed nor kept weakly.
let scanned: readonly ShareFacts[] | undefined;

/**
 * The index for a decision on `target`: the one kept for the snapshot's shares list, built on the list's second
 * decision; for its first, only the shares on the target, its groups and their ancestors, gathered in one pass.
 */
export function sharesIndex(snapshot: AccessSnapshot, target: AccessTarget): SharesIndex {
  const shares = snapshot.shares;
  if (shares.length === 0) return EMPTY;
  const index = indexes.get(shares);
  if (index) return index;
  if (scanned !== shares) {
    scanned = shares;
    return targetIndex(snapshot, target);
  }
  const built = buildIndex(shares, () => true);
  indexes.set(shares, built);
  return built;
}

/** The index of the shares that can decide on `target`: on the environment, on its groups and their ancestors, on the account. */
function targetIndex(snapshot: AccessSnapshot, target: AccessTarget): SharesIndex {
  const environmentId = target.kind === 'environment' ? target.environmentId : undefined;
  const above = new Set<string>();
  const starts = target.kind === 'environment' ? target.groupIds : target.kind === 'create' && target.groupId !== null ? [target.groupId] : NO_GROUPS;
  for (const groupId of starts) {
    for (let current: string | null = groupId; current !== null && !above.has(current); current = snapshot.groups.get(current)?.parentId ?? null) above.add(current);
  }
  return buildIndex(snapshot.shares, (resource) => (resource.type === 'environment' ? resource.id === environmentId : resource.type === 'account' || above.has(resource.id)));
}

const NO_GROUPS: readonly string[] = [];

function add(map: Map<string, ShareFacts[]>, id: string, share: ShareFacts): void {
  const list = map.get(id);
  if (list) list.push(share);
  else map.set(id, [share]);
}

/** Indexes the shares whose resource `keep` keeps. */
function buildIndex(shares: readonly ShareFacts[], keep: (resource: ShareResource) => boolean): SharesIndex {
  const environment = new Map<string, ShareFacts[]>();
  const group = new Map<string, ShareFacts[]>();
  const account: ShareFacts[] = [];
  for (const share of shares) {
    const resource = share.resource;
    if (!keep(resource)) continue;
    if (resource.type === 'environment') add(environment, resource.id, share);
    else if (resource.type === 'group') add(group, resource.id, share);
    else account.push(share);
  }
  // The walks are memoized per group tree: the snapshot cache keeps one tree with one shares list.
  let tree: ReadonlyMap<string, GroupFacts> | undefined;
  let walks = new Map<string, readonly string[]>();
  return {
    environment,
    group,
    account,
    holdersAbove(groups, groupId) {
      if (groups !== tree) {
        tree = groups;
        walks = new Map();
      }
      let walk = walks.get(groupId);
      if (!walk) walks.set(groupId, (walk = group.size === 0 ? [] : shareHolders(groups, group, groupId)));
      return walk;
    },
  };
}

/** The groups holding shares from `groupId` up: stops at a root, at a group the tree lacks, or where parents loop back. */
function shareHolders(groups: ReadonlyMap<string, GroupFacts>, holders: ReadonlyMap<string, unknown>, groupId: string): string[] {
  const walk: string[] = [];
  const seen = new Set<string>();
  for (let current: string | null = groupId; current !== null && !seen.has(current); current = groups.get(current)?.parentId ?? null) {
    seen.add(current);
    if (holders.has(current)) walk.push(current);
  }
  return walk;
}
