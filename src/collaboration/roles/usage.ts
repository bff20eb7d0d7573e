import { countDistinct, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collaborations, shareRoles, shares } from '../../db/schema/index.js';

export interface RoleUsage {
  shares: number;
  members: number;
}

/** How many shares and members of the owner's account use each role id. */
export async function roleUsage(db: Db, ownerId: string): Promise<Map<string, RoleUsage>> {
  const rows = await db
    .select({ roleId: shareRoles.roleId, shares: sql<number>`count(*)::int`, members: countDistinct(shares.collaborationId) })
    .from(shareRoles)
    .innerJoin(shares, eq(shares.id, shareRoles.shareId))
    .innerJoin(collaborations, eq(collaborations.id, shares.collaborationId))
    .where(eq(collaborations.ownerId, ownerId))
    .groupBy(shareRoles.roleId);
  return new Map(rows.map((row) => [row.roleId, { shares: Number(row.shares), members: Number(row.members) }]));
}

/** The shares that use one role, with their member, to say where a role is used. */
export async function sharesUsingRole(db: Db, ownerId: string, roleId: string) {
  return db
    .select({
      shareId: shares.id,
      resourceType: shares.resourceType,
      groupId: shares.groupId,
      environmentId: shares.environmentId,
      memberId: collaborations.id,
      email: collaborations.email,
      displayName: collaborations.displayName,
    })
    .from(shareRoles)
    .innerJoin(shares, eq(shares.id, shareRoles.shareId))
    .innerJoin(collaborations, eq(collaborations.id, shares.collaborationId))
    .where(sql`${shareRoles.roleId} = ${roleId} and ${collaborations.ownerId} = ${ownerId}`);
}
