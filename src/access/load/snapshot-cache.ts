import type { Permission } from '../catalog.js';
import type { GroupFacts, ShareFacts } from '../snapshot.js';

/** What a collaboration's access is decided from, apart from the request's clock and the caller's trial. */
export interface CollaborationAccess {
  shares: readonly ShareFacts[];
  groups: ReadonlyMap<string, GroupFacts>;
  rolePermissions: ReadonlyMap<string, readonly Permission[]>;
}

interface Entry {
  version: number;
  access: CollaborationAccess;
}

// Enough for every active member of many large accounts; the oldest entry goes first beyond it.
const MAX_ENTRIES = 10_000;
const entries = new Map<string, Entry>();

/**
 * The access facts of a collaboration as last loaded, if they were loaded at `version`: the collaboration's
 * `access_version`, which every change to its status, its shares, the owner's groups, filing or roles moves in that
 * change's own transaction. A request reads the version from the database together with what it acts on, so a
 * change committed on any node is seen on the very next request on every node: the version it reads no longer
 * matches, and the facts are loaded again. Collaboration ids are random UUIDs, unique across databases.
 */
export function cachedAccess(collaborationId: string, version: number): CollaborationAccess | undefined {
  const entry = entries.get(collaborationId);
  if (!entry || entry.version !== version) return undefined;
  // Most recently used last, so the oldest is the first to go.
  entries.delete(collaborationId);
  entries.set(collaborationId, entry);
  return entry.access;
}

/** Keeps the facts loaded at `version` (the version read before them, in the same request). */
export function rememberAccess(collaborationId: string, version: number, access: CollaborationAccess): void {
  entries.delete(collaborationId);
  entries.set(collaborationId, { version, access });
  if (entries.size > MAX_ENTRIES) {
    const oldest = entries.keys().next().value;
    if (oldest !== undefined) entries.delete(oldest);
  }
}
