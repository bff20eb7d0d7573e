import { and, eq, inArray } from 'drizzle-orm';
import { isPermission, type Permission, systemRole, systemRoles } from '../../access/catalog.js';
import type { Db } from '../../db/client.js';
import { roles } from '../../db/schema/index.js';
import { validationFailed } from '../../http/errors.js';

export interface ResolvedRole {
  id: string;
  name: string;
  permissions: readonly Permission[];
}

/**
 * The roles behind a share's role ids: system ids or the owner's custom role ids, in the given order. Inside a
 * transaction the custom roles are locked FOR SHARE, so a role cannot be deleted while a share starts using it.
 * An id that is neither is a 400 naming it.
 */
export async function resolveRoles(db: Db, ownerId: string, roleIds: readonly string[], path = 'roleIds'): Promise<ResolvedRole[]> {
  const customIds = roleIds.filter((id) => !systemRole(id));
  const custom =
    customIds.length === 0
      ? []
      : await db
          .select({ id: roles.id, name: roles.name, permissions: roles.permissions })
          .from(roles)
          .where(and(eq(roles.ownerId, ownerId), inArray(roles.id, customIds)))
          .for('share');
  const errors: Array<{ path: string; message: string }> = [];
  const resolved: ResolvedRole[] = [];
  roleIds.forEach((id, index) => {
    const system = systemRole(id);
    const own = custom.find((role) => role.id === id);
    if (system) resolved.push({ id: system.id, name: system.name, permissions: system.permissions });
    else if (own) resolved.push({ id: own.id, name: own.name, permissions: own.permissions.filter(isPermission) });
    else errors.push({ path: `${path}.${index}`, message: `unknown role "${id}": use a system role (${systemRoles.map((r) => r.id).join(', ')}) or one of your custom roles` });
  });
  if (errors.length > 0) throw validationFailed(errors);
  return resolved;
}

/** Names of role ids for presenting shares; ids of roles that no longer exist show as themselves. */
export async function roleNames(db: Db, ownerId: string, roleIds: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>(systemRoles.map((role) => [role.id, role.name]));
  const customIds = [...new Set(roleIds)].filter((id) => !names.has(id));
  if (customIds.length > 0) {
    const rows = await db.select({ id: roles.id, name: roles.name }).from(roles).where(and(eq(roles.ownerId, ownerId), inArray(roles.id, customIds)));
    for (const row of rows) names.set(row.id, row.name);
  }
  return names;
}

/** The union of the roles' permissions. */
export function permissionsOf(resolved: readonly ResolvedRole[]): Set<Permission> {
  return new Set(resolved.flatMap((role) => role.permissions));
}
