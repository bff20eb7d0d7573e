import { and, eq, inArray } from 'drizzle-orm';
import type { Permission } from '../catalog.js';
import { isPermission, systemRoles } from '../catalog.js';
import type { AccessSnapshot, GroupFacts, ShareFacts, ShareResource } from '../snapshot.js';
import type { TokenScope } from '../token-scope.js';
import type { Db } from '../../db/client.js';
import { collaborations, groups, roles, shareRoles, shares } from '../../db/schema/index.js';

export interface Subject {
  id: string;
  trialExpired: boolean;
  /** The scope of the API token the subject acts through; none: everything it can do. */
  scope?: TokenScope | null;
}

/** Role ids by share id, each share's in the order the links came. */
function roleIdsByShare(links: ReadonlyArray<{ shareId: string; roleId: string }>): Map<string, string[]> {
  const byShare = new Map<string, string[]>();
  for (const link of links) {
    const roleIds = byShare.get(link.shareId);
    if (roleIds) roleIds.push(link.roleId);
    else byShare.set(link.shareId, [link.roleId]);
  }
  return byShare;
}

function resourceOf(row: typeof shares.$inferSelect): ShareResource {
  if (row.resourceType === 'group' && row.groupId) return { type: 'group', id: row.groupId };
  if (row.resourceType === 'environment' && row.environmentId) return { type: 'environment', id: row.environmentId };
  return { type: 'account' };
}

/** Permissions of the system roles and of the owner's custom roles. */
export async function loadRolePermissions(db: Db, ownerId: string): Promise<Map<string, readonly Permission[]>> {
  const map = new Map<string, readonly Permission[]>(systemRoles.map((role) => [role.id, role.permissions]));
  const custom = await db.select({ id: roles.id, permissions: roles.permissions }).from(roles).where(eq(roles.ownerId, ownerId));
  for (const role of custom) map.set(role.id, role.permissions.filter(isPermission));
  return map;
}

/** The owner's groups, for walking up from any group. */
export async function loadGroupTree(db: Db, ownerId: string): Promise<Map<string, GroupFacts>> {
  const rows = await db.select({ id: groups.id, parentId: groups.parentId }).from(groups).where(eq(groups.ownerId, ownerId));
  return new Map(rows.map((row) => [row.id, row]));
}

/** The shares of one collaboration with their role ids. */
export async function loadShares(db: Db, collaborationId: string): Promise<ShareFacts[]> {
  const rows = await db.select().from(shares).where(eq(shares.collaborationId, collaborationId));
  if (rows.length === 0) return [];
  const links = await db
    .select()
    .from(shareRoles)
    .where(inArray(shareRoles.shareId, rows.map((row) => row.id)));
  const roleIds = roleIdsByShare(links);
  return rows.map((row) => ({
    id: row.id,
    resource: resourceOf(row),
    roleIds: roleIds.get(row.id) ?? [],
    expiresAt: row.expiresAt,
  }));
}

/**
 * Loads what `decide()` needs about `subject` in `ownerId`'s account, read fresh from the database on every
 * request, so a revoke committed on any node holds on the very next request.
 */
export async function loadAccessSnapshot(db: Db, now: Date, subject: Subject, ownerId: string): Promise<AccessSnapshot> {
  const base = { now, subject, ownerId };
  if (subject.id === ownerId) {
    // The owner decides on no shares; only a token scoped to groups needs the tree to place environments in them.
    const groups = subject.scope?.resources.some((resource) => resource.type === 'group') ? await loadGroupTree(db, ownerId) : new Map<string, GroupFacts>();
    return { ...base, collaboration: null, shares: [], groups, rolePermissions: new Map() };
  }
  const [collaboration] = await db
    .select({ id: collaborations.id, status: collaborations.status })
    .from(collaborations)
    .where(and(eq(collaborations.ownerId, ownerId), eq(collaborations.memberId, subject.id)))
    .limit(1);
  // Only an active collaboration's shares are ever read: pending, suspended or left members get nothing loaded.
  if (!collaboration || collaboration.status !== 'active') {
    return { ...base, collaboration: collaboration ?? null, shares: [], groups: new Map(), rolePermissions: new Map() };
  }
  const [shareFacts, groupTree, rolePermissions] = await Promise.all([
    loadShares(db, collaboration.id),
    loadGroupTree(db, ownerId),
    loadRolePermissions(db, ownerId),
  ]);
  return { ...base, collaboration, shares: shareFacts, groups: groupTree, rolePermissions };
}

/** The shares of every collaboration of an owner, by collaboration id: for answers about many members at once. */
export async function loadSharesOfOwner(db: Db, ownerId: string): Promise<Map<string, ShareFacts[]>> {
  const rows = await db
    .select({ share: shares })
    .from(shares)
    .innerJoin(collaborations, eq(collaborations.id, shares.collaborationId))
    .where(eq(collaborations.ownerId, ownerId));
  const byCollaboration = new Map<string, ShareFacts[]>();
  if (rows.length === 0) return byCollaboration;
  const links = await db
    .select()
    .from(shareRoles)
    .where(inArray(shareRoles.shareId, rows.map((row) => row.share.id)));
  const roleIds = roleIdsByShare(links);
  for (const { share } of rows) {
    const facts: ShareFacts = { id: share.id, resource: resourceOf(share), roleIds: roleIds.get(share.id) ?? [], expiresAt: share.expiresAt };
    const list = byCollaboration.get(share.collaborationId);
    if (list) list.push(facts);
    else byCollaboration.set(share.collaborationId, [facts]);
  }
  return byCollaboration;
}
