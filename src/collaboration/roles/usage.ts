import { and, countDistinct, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collaborations, shareRoles, shares, teams } from '../../db/schema/index.js';

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
    .leftJoin(collaborations, eq(collaborations.id, shares.collaborationId))
    .leftJoin(teams, eq(teams.id, shares.teamId))
    .where(or(eq(collaborations.ownerId, ownerId), eq(teams.ownerId, ownerId)))
    .groupBy(shareRoles.roleId);
  return new Map(rows.map((row) => [row.roleId, { shares: Number(row.shares), members: Number(row.members) }]));
}

/** The shares that use one role, with their member or team, to say where a role is used. */
export async function sharesUsingRole(db: Db, ownerId: string, roleId: string) {
  return db
    .select({
      shareId: shares.id,
      resourceType: shares.resourceType,
      groupId: shares.groupId,
      environmentId: shares.environmentId,
      memberId: collaborations.id,
      teamId: teams.id,
      email: sql<string>`coalesce(${collaborations.email}, 'team ' || ${teams.name})`,
      displayName: sql<string | null>`coalesce(${collaborations.displayName}, 'team ' || ${teams.name})`,
    })
    .from(shareRoles)
    .innerJoin(shares, eq(shares.id, shareRoles.shareId))
    .leftJoin(collaborations, eq(collaborations.id, shares.collaborationId))
    .leftJoin(teams, eq(teams.id, shares.teamId))
    .where(and(eq(shareRoles.roleId, roleId), or(eq(collaborations.ownerId, ownerId), eq(teams.ownerId, ownerId))));
}
