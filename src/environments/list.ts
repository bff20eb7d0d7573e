import { and, asc, eq, gt, inArray, isNull, or, type SQL } from 'drizzle-orm';
import { canSee } from '../access/decide.js';
import type { AccessSnapshot } from '../access/snapshot.js';
import { type Caller, subjectOf } from '../accounts/caller.js';
import { accessTo, groupIdsColumn, possiblyVisible } from '../access/load/environments.js';
import { isVisible, visibleGroupIds } from '../access/load/groups.js';
import { reachableOwner, reachableOwnerIds } from '../access/load/owners.js';
import { loadAccessSnapshot } from '../access/load/snapshot.js';
import { refuseLockedAccount } from '../http/authorize/second-factor-lock.js';
import type { AppContext } from '../context.js';
import { environments, groupEnvironments, groups } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';
import type { EnvironmentAuthorized } from './change.js';
import { type EnvironmentSeen, presentationColumns, presentationOf, presentedColumns, presentSeen } from './present.js';
import type { EnvironmentView } from './schemas.js';

// Rows read per later round while filtering by access. The first round reads one page (and one more row, to know
// whether there is a next page): the SQL already narrows to what the caller could see, so it is usually enough.
const BATCH = 200;

export interface ListEnvironmentsQuery {
  ownerId?: string | undefined;
  groupId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** One environment the caller can see (`env.view`, the route's rule, which read its presentation with the row). */
export function getEnvironment(authorized: EnvironmentAuthorized): EnvironmentView {
  const { env, groupIds, access, columns, snapshot } = authorized.environment;
  return presentSeen({ env, groupIds, access }, presentationOf(columns, snapshot, access));
}

async function ownersToList(ctx: AppContext, caller: Caller, ownerId: string | undefined): Promise<string[]> {
  if (ownerId === undefined) return reachableOwnerIds(ctx.db, caller);
  const owner = await reachableOwner(ctx.db, caller, ownerId);
  if (!owner) throw notFound('account');
  return [owner.id];
}

/**
 * The environments the caller can see, by name: its own and those of every owner it actively collaborates with,
 * each filtered by the access decision, so a member lists exactly what it could open. `ownerId` narrows to one
 * reachable owner (another is a 404), `groupId` to one visible group's environments.
 */
export async function listEnvironments(ctx: AppContext, caller: Caller, query: ListEnvironmentsQuery) {
  const ownerIds = await ownersToList(ctx, caller, query.ownerId);
  const now = ctx.clock.now();
  const subject = subjectOf(caller);
  const loaded = await Promise.all(ownerIds.map((ownerId) => loadAccessSnapshot(ctx.db, now, subject, ownerId)));
  const snapshots = new Map<string, AccessSnapshot>(loaded.map((snapshot) => [snapshot.ownerId, snapshot]));
  // Asked for one account that locks the caller out (its owner requires a second factor, or caps token lifetimes below
  // this token's): say so, not just nothing.
  if (query.ownerId !== undefined) loaded.forEach(refuseLockedAccount);

  let inGroup;
  if (query.groupId !== undefined) {
    const [group] = await ctx.db.select().from(groups).where(eq(groups.id, query.groupId));
    const snapshot = group ? snapshots.get(group.ownerId) : undefined;
    if (snapshot) refuseLockedAccount(snapshot);
    if (!group || !snapshot || !isVisible(await visibleGroupIds(ctx.db, snapshot), group.id)) throw notFound('group');
    inGroup = inArray(
      environments.id,
      ctx.db.select({ id: groupEnvironments.environmentId }).from(groupEnvironments).where(eq(groupEnvironments.groupId, group.id)),
    );
  }

  // Each owner's environments the caller could see at all; the decision below keeps those it does see.
  const candidates = [...snapshots.values()].map((snapshot) => possiblyVisible(ctx.db, snapshot)).filter((condition): condition is SQL => condition !== null);
  // Each row comes with its presentation (as a single read's does): a page is presented with no further statement.
  const found: Array<EnvironmentSeen & { snapshot: AccessSnapshot; columns: Record<string, unknown> }> = [];
  let after = query.cursor;
  let batch = query.limit + 1;
  while (candidates.length > 0 && found.length <= query.limit) {
    const rows = await ctx.db
      .select({ ...presentedColumns, groupIds: groupIdsColumn, ...presentationColumns })
      .from(environments)
      .where(and(or(...candidates), isNull(environments.deletedAt), after === undefined ? undefined : gt(environments.name, after), inGroup))
      .orderBy(asc(environments.name))
      .limit(batch);
    for (const { groupIds, specs, instances, people, groups: groupNames, creatorAlias, chainGroups, customRoles, ...env } of rows) {
      const snapshot = snapshots.get(env.ownerId);
      const access = snapshot ? accessTo(snapshot, env, groupIds) : undefined;
      if (snapshot && access && canSee(access)) found.push({ env, groupIds, access, snapshot, columns: { specs, instances, people, groups: groupNames, creatorAlias, chainGroups, customRoles } });
    }
    after = rows.at(-1)?.name;
    if (rows.length < batch) break;
    batch = BATCH;
  }
  const page = found.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: page.map(({ env, groupIds, access, snapshot, columns }) => presentSeen({ env, groupIds, access }, presentationOf(columns, snapshot, access))),
    nextCursor: found.length > query.limit && last ? last.env.name : null,
  };
}
