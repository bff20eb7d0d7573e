import { and, eq, type SQL, sql } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type { Permission } from '../catalog.js';
import { isPermission, systemRoles } from '../catalog.js';
import type { AccessSnapshot, CollaborationState, GroupFacts, ShareFacts, ShareResource } from '../snapshot.js';
import type { TokenScope } from '../token-scope.js';
import { cachedAccess, type CollaborationAccess, rememberAccess } from './snapshot-cache.js';
import type { Db } from '../../db/client.js';
import { anyOf } from '../../db/any.js';
import { readsOn } from '../../db/reads.js';
import { collaborations, groups, roles, shareRoles, shares, teamMembers, users } from '../../db/schema/index.js';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { hasSecondFactorSql } from '../../accounts/factors/second-factor.js';

export interface Subject {
  id: string;
  trialExpired: boolean;
  /** The scope of the API token the subject acts through; none: everything it can do. */
  scope?: TokenScope | null;
  /** That API token's lifetime (expiry minus creation, infinite without expiry); none: not through a token. */
  tokenLifetimeMs?: number | null;
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
  return (await loadRolePermissionsOf(db, [ownerId])).get(ownerId) ?? systemRolePermissions();
}

const systemRolePermissions = () => new Map<string, readonly Permission[]>(systemRoles.map((role) => [role.id, role.permissions]));

/** `loadRolePermissions` for several owners in one statement, by owner id (every owner asked for has an entry). */
export async function loadRolePermissionsOf(db: Db, ownerIds: readonly string[]): Promise<Map<string, Map<string, readonly Permission[]>>> {
  const byOwner = new Map(ownerIds.map((ownerId) => [ownerId, systemRolePermissions()]));
  const custom = await db.select({ id: roles.id, ownerId: roles.ownerId, permissions: roles.permissions }).from(roles).where(anyOf(roles.ownerId, ownerIds));
  for (const role of custom) byOwner.get(role.ownerId)?.set(role.id, role.permissions.filter(isPermission));
  return byOwner;
}

/** The owner's groups, for walking up from any group. */
export async function loadGroupTree(db: Db, ownerId: string): Promise<Map<string, GroupFacts>> {
  return (await loadGroupTrees(db, [ownerId])).get(ownerId) ?? new Map();
}

/** `loadGroupTree` for several owners in one statement, by owner id (every owner asked for has an entry). */
export async function loadGroupTrees(db: Db, ownerIds: readonly string[]): Promise<Map<string, Map<string, GroupFacts>>> {
  const byOwner = new Map(ownerIds.map((ownerId) => [ownerId, new Map<string, GroupFacts>()]));
  const rows = await db.select({ id: groups.id, parentId: groups.parentId, ownerId: groups.ownerId }).from(groups).where(anyOf(groups.ownerId, ownerIds));
  for (const row of rows) byOwner.get(row.ownerId)?.set(row.id, { id: row.id, parentId: row.parentId });
  return byOwner;
}

/**
 * Share rows held by some collaborations, by themselves or through their teams, each with the collaboration it
 * counts for (a team's share once per member of the team asked for).
 */
async function heldShareRows(db: Db, collaborationIds: readonly string[]): Promise<Array<{ holderId: string; share: typeof shares.$inferSelect }>> {
  const own = db.select({ holderId: sql<string>`${shares.collaborationId}`.as('holder_id'), share: shares }).from(shares).where(anyOf(shares.collaborationId, collaborationIds));
  const viaTeams = db
    .select({ holderId: sql<string>`${teamMembers.collaborationId}`.as('holder_id'), share: shares })
    .from(shares)
    .innerJoin(teamMembers, eq(teamMembers.teamId, shares.teamId))
    .where(anyOf(teamMembers.collaborationId, collaborationIds));
  const [mine, theirs] = await readsOn(db, () => own, () => viaTeams);
  return [...mine, ...theirs];
}

/** The shares of one collaboration, its own and its teams', with their role ids. */
export async function loadShares(db: Db, collaborationId: string): Promise<ShareFacts[]> {
  return (await loadSharesOf(db, [collaborationId])).get(collaborationId) ?? [];
}

/** The collaboration row a snapshot starts from: read alone, or together with the resource a request acts on. */
export interface CollaborationVersion {
  id: string;
  status: CollaborationState;
  accessVersion: number;
  /**
   * The owner requires a second factor and the member has none. Read fresh with the row on every request (never
   * cached with the shares), so enrolling, disabling or the owner's switch holds at the very next request.
   */
  lacksRequiredSecondFactor: boolean;
  /** The owner's cap on the lifetime of tokens acting in its account (days; null: none), read fresh with the row. */
  tokenMaxLifetimeDays: number | null;
}

/** The owner of collaboration `c` requires a second factor and its member has none, as SQL over `c`'s columns. */
function lacksRequiredSecondFactorSql(ownerId: SQL | AnyPgColumn, memberId: SQL | AnyPgColumn | string): SQL<boolean> {
  const member = typeof memberId === 'string' ? sql`${memberId}` : memberId;
  return sql<boolean>`(exists (select 1 from ${users} o where o.id = ${ownerId} and o.require_two_factor) and not ${hasSecondFactorSql(member)})`;
}

/** The owner's token lifetime cap, as SQL over the owner id of a collaboration. */
function tokenMaxLifetimeDaysSql(ownerId: SQL | AnyPgColumn): SQL<number | null> {
  return sql<number | null>`(select o.token_max_lifetime_days from ${users} o where o.id = ${ownerId})`;
}

/** The columns of `CollaborationVersion`, for queries that read it. */
export const collaborationVersionColumns = {
  id: collaborations.id,
  status: collaborations.status,
  accessVersion: collaborations.accessVersion,
  lacksRequiredSecondFactor: lacksRequiredSecondFactorSql(collaborations.ownerId, collaborations.memberId),
  tokenMaxLifetimeDays: tokenMaxLifetimeDaysSql(collaborations.ownerId),
};

/**
 * `member`'s collaboration with the owner of the row a query is at (`ownerId`, a column), as one JSON column: the
 * resource and the version its access is decided at, in one statement. Null when there is none (the owner).
 */
export function collaborationColumn(ownerId: SQL, memberId: string): SQL<CollaborationVersion | null> {
  return sql<CollaborationVersion | null>`(select json_build_object('id', c.id, 'status', c.status, 'accessVersion', c.access_version, 'lacksRequiredSecondFactor', ${lacksRequiredSecondFactorSql(sql`c.owner_id`, memberId)}, 'tokenMaxLifetimeDays', ${tokenMaxLifetimeDaysSql(sql`c.owner_id`)}) from ${collaborations} c where c.owner_id = ${ownerId} and c.member_id = ${memberId} limit 1)`;
}

const collaborationFacts = (row: CollaborationVersion) => ({
  id: row.id,
  status: row.status,
  lacksRequiredSecondFactor: row.lacksRequiredSecondFactor === true,
  tokenMaxLifetimeDays: row.tokenMaxLifetimeDays ?? null,
});

/**
 * Loads what `decide()` needs about `subject` in `ownerId`'s account. The collaboration row (its status and access
 * version) is read fresh on every request; its shares, the owner's groups and roles come from the in-memory cache
 * when they were loaded at that same version (snapshot-cache.ts), so a revoke committed on any node holds on the very
 * next request. `collaboration` is the row when the caller already read it with the resource (undefined: read it
 * here; null: there is none).
 */
export async function loadAccessSnapshot(
  db: Db,
  now: Date,
  subject: Subject,
  ownerId: string,
  collaboration?: CollaborationVersion | null,
): Promise<AccessSnapshot> {
  const base = { now, subject, ownerId };
  if (subject.id === ownerId) {
    // The owner decides on no shares; only a token scoped to groups needs the tree to place environments in them.
    const groups = subject.scope?.resources.some((resource) => resource.type === 'group') ? await loadGroupTree(db, ownerId) : new Map<string, GroupFacts>();
    return { ...base, collaboration: null, shares: [], groups, rolePermissions: new Map() };
  }
  const row =
    collaboration !== undefined
      ? collaboration
      : ((
          await db
            .select(collaborationVersionColumns)
            .from(collaborations)
            .where(and(eq(collaborations.ownerId, ownerId), eq(collaborations.memberId, subject.id)))
            .limit(1)
        )[0] ?? null);
  // Only an active collaboration's shares are ever read: pending, suspended or left members get nothing loaded.
  if (!row || row.status !== 'active') {
    return { ...base, collaboration: row && collaborationFacts(row), shares: [], groups: new Map(), rolePermissions: new Map() };
  }
  // Inside a write's transaction the version may be its own, not yet committed bump, read before the write changes
  // the shares: facts read there are never kept, nor is the cache consulted (the write decides on what it reads).
  const cacheable = !(db instanceof PgTransaction);
  let access = cacheable ? cachedAccess(row.id, row.accessVersion) : undefined;
  if (!access) {
    const [shareFacts, groupTree, rolePermissions] = await readsOn(
      db,
      () => loadShares(db, row.id),
      () => loadGroupTree(db, ownerId),
      () => loadRolePermissions(db, ownerId),
    );
    access = { shares: shareFacts, groups: groupTree, rolePermissions };
    if (cacheable) rememberAccess(row.id, row.accessVersion, access);
  }
  return { ...base, collaboration: collaborationFacts(row), ...access };
}

/** A collaboration row read with the owner it is with: where `loadAccessSnapshots` starts from. */
export interface CollaborationWith {
  ownerId: string;
  collaboration: CollaborationVersion;
}

/**
 * `loadAccessSnapshot` of one subject in several owners' accounts (a page of its collaborations), from rows already
 * read, by collaboration id: the facts cached at each row's version as they are, all the others loaded together, in
 * at most four statements whatever the number of rows.
 */
export async function loadAccessSnapshots(db: Db, now: Date, subject: Subject, rows: readonly CollaborationWith[]): Promise<Map<string, AccessSnapshot>> {
  const cacheable = !(db instanceof PgTransaction);
  const active = rows.filter((row) => row.collaboration.status === 'active' && row.ownerId !== subject.id);
  const known = new Map<string, CollaborationAccess>();
  for (const row of active) {
    const access = cacheable ? cachedAccess(row.collaboration.id, row.collaboration.accessVersion) : undefined;
    if (access) known.set(row.collaboration.id, access);
  }
  const missing = active.filter((row) => !known.has(row.collaboration.id));
  if (missing.length > 0) {
    const ownerIds = [...new Set(missing.map((row) => row.ownerId))];
    const [sharesByCollaboration, trees, permissions] = await readsOn(
      db,
      () => loadSharesOf(db, missing.map((row) => row.collaboration.id)),
      () => loadGroupTrees(db, ownerIds),
      () => loadRolePermissionsOf(db, ownerIds),
    );
    for (const { ownerId, collaboration } of missing) {
      const access = {
        shares: sharesByCollaboration.get(collaboration.id) ?? [],
        groups: trees.get(ownerId) ?? new Map<string, GroupFacts>(),
        rolePermissions: permissions.get(ownerId) ?? systemRolePermissions(),
      };
      known.set(collaboration.id, access);
      if (cacheable) rememberAccess(collaboration.id, collaboration.accessVersion, access);
    }
  }
  const snapshots = new Map<string, AccessSnapshot>();
  for (const { ownerId, collaboration } of rows) {
    const access = known.get(collaboration.id) ?? { shares: [], groups: new Map<string, GroupFacts>(), rolePermissions: new Map<string, readonly Permission[]>() };
    snapshots.set(collaboration.id, { now, subject, ownerId, collaboration: collaborationFacts(collaboration), ...access });
  }
  return snapshots;
}

/** The shares of every collaboration of an owner, their own and their teams', by collaboration id: for answers about many members at once. */
export async function loadSharesOfOwner(db: Db, ownerId: string): Promise<Map<string, ShareFacts[]>> {
  const members = await db.select({ id: collaborations.id }).from(collaborations).where(eq(collaborations.ownerId, ownerId));
  return loadSharesOf(db, members.map((row) => row.id));
}

/**
 * The shares of some collaborations (a page of members), their own and their teams', by collaboration id, in three
 * statements whatever their number.
 */
export async function loadSharesOf(db: Db, collaborationIds: readonly string[]): Promise<Map<string, ShareFacts[]>> {
  if (collaborationIds.length === 0) return new Map();
  return withRoles(db, await heldShareRows(db, collaborationIds));
}

/** Held share rows with their role ids (one statement), grouped by the collaboration each counts for. */
async function withRoles(db: Db, rows: ReadonlyArray<{ holderId: string; share: typeof shares.$inferSelect }>): Promise<Map<string, ShareFacts[]>> {
  const byCollaboration = new Map<string, ShareFacts[]>();
  if (rows.length === 0) return byCollaboration;
  const links = await db
    .select()
    .from(shareRoles)
    .where(anyOf(shareRoles.shareId, [...new Set(rows.map((row) => row.share.id))]));
  const roleIds = roleIdsByShare(links);
  for (const { holderId, share } of rows) {
    const facts: ShareFacts = { id: share.id, resource: resourceOf(share), roleIds: roleIds.get(share.id) ?? [], expiresAt: share.expiresAt, teamId: share.teamId };
    const list = byCollaboration.get(holderId);
    if (list) list.push(facts);
    else byCollaboration.set(holderId, [facts]);
  }
  return byCollaboration;
}
