import { and, asc, eq, gt, inArray, isNull } from 'drizzle-orm';
import { canSee } from '../access/decide.js';
import type { AccessSnapshot } from '../access/snapshot.js';
import type { Caller } from '../accounts/caller.js';
import { loadAccessSnapshot } from '../collaboration/access-snapshot.js';
import type { AppContext } from '../context.js';
import { environments, groupEnvironments, groups } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';
import { accessTo, groupIdsOf, loadEnvironmentFor, subjectOf } from './access.js';
import { isVisible, visibleGroupIds } from './groups/visibility.js';
import { reachableOwner, reachableOwnerIds } from './owners.js';
import { type EnvironmentSeen, presentEnvironment, presentEnvironments } from './present.js';
import type { EnvironmentView } from './schemas.js';

// Rows read per round while filtering by access; a member who sees little of a big account takes a few rounds.
const BATCH = 200;

export interface ListEnvironmentsQuery {
  ownerId?: string | undefined;
  groupId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** One environment the caller can see (`env.view`). */
export async function getEnvironment(ctx: AppContext, caller: Caller, id: string): Promise<EnvironmentView> {
  const { env, groupIds, access } = await loadEnvironmentFor(ctx, caller, id, 'env.view');
  return presentEnvironment(ctx.db, { env, groupIds, access });
}

/**
 * The environments the caller can see, by name: its own and those of every owner it actively collaborates with,
 * each filtered by the access decision, so a member lists exactly what it could open. `ownerId` narrows to one
 * reachable owner (another is a 404), `groupId` to one visible group's environments.
 */
export async function listEnvironments(ctx: AppContext, caller: Caller, query: ListEnvironmentsQuery) {
  const ownerIds = query.ownerId === undefined ? await reachableOwnerIds(ctx.db, caller) : [(await reachableOwner(ctx.db, caller, query.ownerId)).id];
  const now = ctx.clock.now();
  const snapshots = new Map<string, AccessSnapshot>();
  for (const ownerId of ownerIds) snapshots.set(ownerId, await loadAccessSnapshot(ctx.db, now, subjectOf(caller), ownerId));

  let inGroup;
  if (query.groupId !== undefined) {
    const [group] = await ctx.db.select().from(groups).where(eq(groups.id, query.groupId));
    const snapshot = group ? snapshots.get(group.ownerId) : undefined;
    if (!group || !snapshot || !isVisible(await visibleGroupIds(ctx.db, snapshot), group.id)) throw notFound('group');
    inGroup = inArray(
      environments.id,
      ctx.db.select({ id: groupEnvironments.environmentId }).from(groupEnvironments).where(eq(groupEnvironments.groupId, group.id)),
    );
  }

  const found: EnvironmentSeen[] = [];
  let after = query.cursor;
  while (found.length <= query.limit) {
    const rows = await ctx.db
      .select()
      .from(environments)
      .where(and(inArray(environments.ownerId, ownerIds), isNull(environments.deletedAt), after === undefined ? undefined : gt(environments.name, after), inGroup))
      .orderBy(asc(environments.name))
      .limit(BATCH);
    const memberships = await groupIdsOf(ctx.db, rows.map((row) => row.id));
    for (const env of rows) {
      const snapshot = snapshots.get(env.ownerId);
      const groupIds = memberships.get(env.id) ?? [];
      const access = snapshot ? accessTo(snapshot, env, groupIds) : undefined;
      if (access && canSee(access)) found.push({ env, groupIds, access });
    }
    after = rows.at(-1)?.name;
    if (rows.length < BATCH) break;
  }
  const page = found.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: await presentEnvironments(ctx.db, page),
    nextCursor: found.length > query.limit && last ? last.env.name : null,
  };
}
