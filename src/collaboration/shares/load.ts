import { and, asc, eq, gt, inArray, or } from 'drizzle-orm';
import { ineffectiveAt, type ShareLevel } from '../../access/catalog.js';
import { loadRolePermissions } from '../../access/load/snapshot.js';
import type { Db } from '../../db/client.js';
import { environments, groups, shareRoles, shares } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import type { TimeCursor } from '../../http/page-cursor.js';
import { roleNames } from '../roles/resolve.js';
import type { ResolvedResource } from './resource.js';
import { readsOn } from '../../db/reads.js';

export type ShareRow = typeof shares.$inferSelect;

export interface LoadedShare {
  share: ShareRow;
  resource: ResolvedResource;
  roleIds: string[];
}

/** Who holds a share: one member (its collaboration), or one team of the owner. */
export type ShareHolderKey = { collaborationId: string } | { teamId: string };

/** The share rows a holder holds by itself (a member's own, not those it gets through its teams). */
export const heldBy = (holder: ShareHolderKey) => ('teamId' in holder ? eq(shares.teamId, holder.teamId) : eq(shares.collaborationId, holder.collaborationId));

/** The shares of one holder (or one of them, or one page of them), with resource names and role ids, oldest first. */
export async function loadShares(
  db: Db,
  holder: ShareHolderKey,
  shareId?: string,
  page?: { after: TimeCursor | undefined; limit: number },
): Promise<LoadedShare[]> {
  const after = page?.after;
  const query = db
    .select({ share: shares, groupName: groups.name, environmentName: environments.displayName })
    .from(shares)
    .leftJoin(groups, eq(groups.id, shares.groupId))
    .leftJoin(environments, eq(environments.id, shares.environmentId))
    .where(
      and(
        heldBy(holder),
        shareId === undefined ? undefined : eq(shares.id, shareId),
        after ? or(gt(shares.createdAt, after.at), and(eq(shares.createdAt, after.at), gt(shares.id, after.id))) : undefined,
      ),
    )
    .orderBy(asc(shares.createdAt), asc(shares.id));
  const rows = page ? await query.limit(page.limit) : await query;
  if (rows.length === 0) return [];
  const links = await db
    .select()
    .from(shareRoles)
    .where(inArray(shareRoles.shareId, rows.map((row) => row.share.id)));
  return rows.map(({ share, groupName, environmentName }) => ({
    share,
    resource: {
      type: share.resourceType,
      groupId: share.groupId,
      environmentId: share.environmentId,
      name: groupName ?? environmentName ?? undefined,
    },
    roleIds: links.filter((link) => link.shareId === share.id).map((link) => link.roleId),
  }));
}

/** One share of a holder; a share of another member or team is the same 404 as none. */
export async function loadShare(db: Db, holder: ShareHolderKey, shareId: string): Promise<LoadedShare> {
  const [found] = await loadShares(db, holder, shareId);
  if (!found) throw notFound('share');
  return found;
}

const levelOf: Record<ShareRow['resourceType'], ShareLevel> = { environment: 'direct', group: 'group', account: 'account' };

/** Shares as the API shows them, with role names and the permissions their level grants nothing by. */
export async function presentShares(db: Db, ownerId: string, loaded: LoadedShare[], now: Date) {
  const [names, rolePermissions] = await readsOn(
    db,
    () => roleNames(db, ownerId, loaded.flatMap((l) => l.roleIds)),
    () => loadRolePermissions(db, ownerId),
  );
  return loaded.map(({ share, resource, roleIds }) => ({
    id: share.id,
    memberId: share.collaborationId,
    teamId: share.teamId,
    resource: {
      type: resource.type,
      ...(resource.groupId ?? resource.environmentId ? { id: resource.groupId ?? resource.environmentId ?? undefined } : {}),
      ...(resource.name === undefined ? {} : { name: resource.name }),
    },
    roles: roleIds.map((id) => ({ id, name: names.get(id) ?? id })),
    ineffectivePermissions: ineffectiveAt(levelOf[share.resourceType], roleIds.flatMap((id) => rolePermissions.get(id) ?? [])),
    expiresAt: share.expiresAt?.toISOString() ?? null,
    expired: share.expiresAt !== null && share.expiresAt.getTime() <= now.getTime(),
    lastUsedAt: share.lastUsedAt?.toISOString() ?? null,
    reviewBy: share.reviewBy?.toISOString() ?? null,
    accessRequestId: share.accessRequestId,
    createdAt: share.createdAt.toISOString(),
    updatedAt: share.updatedAt.toISOString(),
  }));
}
