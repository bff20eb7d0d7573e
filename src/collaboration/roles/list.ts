import { and, desc, eq } from 'drizzle-orm';
import { levelsOf, permissionCatalog, type SystemRole, systemRoles } from '../../access/catalog.js';
import type { AppContext } from '../../context.js';
import { roles } from '../../db/schema/index.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';
import type { OwnerScope } from '../scope.js';
import { type RoleUsage, roleUsage } from './usage.js';
import { readsOn } from '../../db/reads.js';

type CustomRole = typeof roles.$inferSelect;
const unused: RoleUsage = { shares: 0, members: 0 };

/** A role as the API shows it, with where it is used in the owner's account. */
export function presentRole(role: SystemRole | CustomRole, usage: RoleUsage | undefined) {
  const system = !('ownerId' in role);
  const used = usage ?? unused;
  return {
    id: role.id,
    name: role.name,
    description: role.description,
    permissions: [...role.permissions],
    receiveAlerts: role.receiveAlerts,
    system,
    inUse: used.shares > 0,
    usage: used,
    createdAt: 'createdAt' in role ? role.createdAt.toISOString() : null,
  };
}

/** The permission catalog, grouped by category for the role editor. */
export function listPermissions() {
  const categories = [...new Set(permissionCatalog.map((p) => p.category))];
  return {
    items: permissionCatalog.map((p) => ({ id: p.id, category: p.category, description: p.description, levels: [...levelsOf(p.id)] })),
    categories: categories.map((name) => ({ name, permissions: permissionCatalog.filter((p) => p.category === name).map((p) => p.id) })),
  };
}

/** The system roles (first page only) and the owner's custom roles, newest first. */
export async function listRoles(ctx: AppContext, scope: OwnerScope, limit: number, cursor: string | undefined) {
  const position = decodeCursor(cursor);
  const [usage, rows] = await readsOn(
    ctx.db,
    () => roleUsage(ctx.db, scope.owner.id),
    () =>
      ctx.db
        .select()
        .from(roles)
        .where(and(eq(roles.ownerId, scope.owner.id), afterCursor(roles.createdAt, roles.id, position)))
        .orderBy(desc(roles.createdAt), desc(roles.id))
        .limit(limit + 1),
  );
  const page = pageOf(rows, limit, (row) => ({ at: row.createdAt, id: row.id }));
  const system = position ? [] : systemRoles.map((role) => presentRole(role, usage.get(role.id)));
  return { items: [...system, ...page.rows.map((role) => presentRole(role, usage.get(role.id)))], nextCursor: page.nextCursor };
}
