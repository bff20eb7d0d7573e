import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { systemRoles } from '../access/catalog.js';
import type { Access } from '../access/decide.js';
import { anyOf } from '../db/any.js';
import type { Db } from '../db/client.js';
import { groups, roles, shares } from '../db/schema/index.js';

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
 * The shares that decided each caller's access (`Access.via`), with their roles named, their group named and their
 * expiry: what a collaborator's environment page says it holds and through which share. Empty for the owner.
 */
export async function heldShares(db: Db, accesses: readonly Access[]): Promise<(access: Access) => HeldShare[]> {
  const grants = accesses.flatMap((access) => access.via);
  if (grants.length === 0) return () => [];
  const shareIds = [...new Set(grants.map((grant) => grant.shareId))];
  const customRoleIds = [...new Set(grants.flatMap((grant) => grant.roleIds))].filter((id) => !systemRoles.some((role) => role.id === id));
  const [shareRows, roleRows] = await Promise.all([
    db.select({ id: shares.id, expiresAt: shares.expiresAt, groupName: groups.name }).from(shares).leftJoin(groups, eq(groups.id, shares.groupId)).where(anyOf(shares.id, shareIds)),
    customRoleIds.length ? db.select({ id: roles.id, name: roles.name }).from(roles).where(anyOf(roles.id, customRoleIds)) : [],
  ]);
  const shareById = new Map(shareRows.map((row) => [row.id, row]));
  const roleName = new Map<string, string>([...systemRoles.map((role) => [role.id, role.name] as const), ...roleRows.map((row) => [row.id, row.name] as const)]);
  return (access) =>
    access.via.map((grant) => {
      const row = shareById.get(grant.shareId);
      return {
        shareId: grant.shareId,
        resource: {
          type: grant.resource.type,
          ...(grant.resource.type === 'account' ? {} : { id: grant.resource.id }),
          ...(grant.resource.type === 'group' && row?.groupName ? { name: row.groupName } : {}),
        },
        roles: grant.roleIds.map((id) => ({ id, name: roleName.get(id) ?? id })),
        expiresAt: row?.expiresAt?.toISOString() ?? null,
      };
    });
}
