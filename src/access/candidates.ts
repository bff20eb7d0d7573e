import { type AccessSnapshot, isLive } from './snapshot.js';
import { scopeReaches, type TokenScope } from './token-scope.js';

/**
 * Which of the owner's environments the snapshot's subject could see at all, read from the same snapshot as the
 * decision: every one (the owner, or a member with a live account share), none (no active collaboration, an ended
 * trial), or those with a live direct share and those in a group with a live share on it or above it.
 */
export type VisibilityCandidates = 'all' | 'none' | { environmentIds: string[]; groupIds: string[] };

/**
 * A superset of the environments `effectiveAccess` lets the subject see, never a decision: it lets a listing load
 * only environments that may pass, and every one loaded is still decided on its own. Below the account level only a
 * live direct share or a live group share on the walk up from one of the environment's groups can grant anything
 * (DESIGN.md section 6), so an environment with neither is invisible whatever the roles say.
 */
export function visibilityCandidates(snapshot: AccessSnapshot): VisibilityCandidates {
  const held = holderCandidates(snapshot);
  const scope = snapshot.subject.scope;
  if (!scope || held === 'none') return held;
  // A superset of the intersection: the scope's own candidates, unless the holder's are all.
  const scoped = scopeCandidates(scope, snapshot);
  return scoped === 'all' ? held : scoped;
}

/** The environments a token's scope reaches, as candidates: the scoped ones and those in scoped groups or below. */
function scopeCandidates(scope: TokenScope, snapshot: AccessSnapshot): VisibilityCandidates {
  if (scope.ownerId !== snapshot.ownerId) return 'none';
  if (scope.resources.some((resource) => resource.type === 'account')) return 'all';
  const environmentIds = scope.resources.flatMap((resource) => (resource.type === 'environment' ? [resource.id] : []));
  const groupIds = [...snapshot.groups.keys()].filter((groupId) => scopeReaches(scope, snapshot, { kind: 'create', groupId }));
  return { environmentIds, groupIds };
}

function holderCandidates(snapshot: AccessSnapshot): VisibilityCandidates {
  if (snapshot.subject.trialExpired) return 'none';
  if (snapshot.subject.id === snapshot.ownerId) return 'all';
  if (snapshot.collaboration?.status !== 'active') return 'none';
  const live = snapshot.shares.filter((share) => isLive(share, snapshot.now));
  if (live.some((share) => share.resource.type === 'account')) return 'all';
  const environmentIds: string[] = [];
  const shared = new Set<string>();
  for (const { resource } of live) {
    if (resource.type === 'environment') environmentIds.push(resource.id);
    if (resource.type === 'group') shared.add(resource.id);
  }
  const groupIds = new Set(shared);
  // The decision's walk: up through parents, stopping at a root, a group missing from the tree, or a loop.
  for (const groupId of snapshot.groups.keys()) {
    const seen = new Set<string>();
    for (let current: string | null = groupId; current !== null && !seen.has(current); current = snapshot.groups.get(current)?.parentId ?? null) {
      seen.add(current);
      if (shared.has(current)) {
        groupIds.add(groupId);
        break;
      }
    }
  }
  return { environmentIds, groupIds: [...groupIds] };
}
