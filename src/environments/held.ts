import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { systemRoles } from '../access/catalog.js';
import type { Access } from '../access/decide.js';
import type { ShareFacts } from '../access/snapshot.js';
import { anyOf } from '../db/any.js';
import type { Db } from '../db/client.js';
import { groups, roles, shares } from '../db/schema/index.js';
import { readsOn } from '../db/reads.js';

/** One share through which the caller holds its access to an environment, as the environment answer names it. */
export const heldShareSchema = z.object({
  shareId: z.string(),
  resource: z.object({
    type: z.enum(['account', 'group', 'environment']),
    id: z.string().optional(),
    name: z.string().optional().describe('The group name, for a group share'),
  }),
  roles: z.array(z.object({ id: z.string(), name: z.string() })),
  expiresAt: z.string().nullable(),
});

export type HeldShare = z.infer<typeof heldShareSchema>;

/**
 * The shares that decided a caller's access (`Access.via`), named: their roles (system names, or the owner's custom
 * roles in `customRoles`), their group (from `groupNames`) and their expiry (from the caller's shares). No queries.
 */
export function heldFrom(
  access: Access,
  shareFacts: readonly ShareFacts[],
  groupNames: ReadonlyArray<{ id: string; name: string }>,
  customRoles: ReadonlyArray<{ id: string; name: string }>,
): HeldShare[] {
  const expiry = new Map(shareFacts.map((share) => [share.id, share.expiresAt]));
  const groupName = new Map(groupNames.map((group) => [group.id, group.name]));
  const roleName = new Map<string, string>([...systemRoles.map((role) => [role.id, role.name] as const), ...customRoles.map((role) => [role.id, role.name] as const)]);
  return access.via.map((grant) => {
    const name = grant.resource.type === 'group' ? groupName.get(grant.resource.id) : undefined;
    return {
      shareId: grant.shareId,
      resource: { type: grant.resource.type, ...(grant.resource.type === 'account' ? {} : { id: grant.resource.id }), ...(name ? { name } : {}) },
      roles: grant.roleIds.map((id) => ({ id, name: roleName.get(id) ?? id })),
      expiresAt: expiry.get(grant.shareId)?.toISOString() ?? null,
    };
  });
}

/** For a listing: the names and expiries `heldFrom` needs for every environment's deciding shares, in two queries. */
export async function heldShares(db: Db, accesses: readonly Access[]): Promise<(access: Access) => HeldShare[]> {
  const grants = accesses.flatMap((access) => access.via);
  if (grants.length === 0) return () => [];
  const shareIds = [...new Set(grants.map((grant) => grant.shareId))];
  const customRoleIds = [...new Set(grants.flatMap((grant) => grant.roleIds))].filter((id) => !systemRoles.some((role) => role.id === id));
  const [shareRows, roleRows] = await readsOn(
    db,
    () =>
      db
        .select({ id: shares.id, expiresAt: shares.expiresAt, groupId: shares.groupId, groupName: groups.name })
        .from(shares)
        .leftJoin(groups, eq(groups.id, shares.groupId))
        .where(anyOf(shares.id, shareIds)),
    () => (customRoleIds.length ? db.select({ id: roles.id, name: roles.name }).from(roles).where(anyOf(roles.id, customRoleIds)) : []),
  );
  const facts = shareRows.map((row) => ({ id: row.id, expiresAt: row.expiresAt }) as ShareFacts);
  const groupNames = shareRows.flatMap((row) => (row.groupId && row.groupName ? [{ id: row.groupId, name: row.groupName }] : []));
  return (access) => heldFrom(access, facts, groupNames, roleRows);
}
