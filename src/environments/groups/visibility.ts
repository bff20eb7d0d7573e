import { and, eq, isNull } from 'drizzle-orm';
import { canSee, effectiveAccess } from '../../access/decide.js';
import type { AccessSnapshot } from '../../access/snapshot.js';
import type { Db } from '../../db/client.js';
import { environments, groupEnvironments } from '../../db/schema/index.js';
import { accessTo } from '../access.js';

/**
 * The owner's groups the snapshot's subject can see: every group for the owner and for a member who sees the whole
 * account; otherwise the groups a live share makes visible (with their subgroups: the walk up finds the share) and
 * the groups of every environment it sees.
 */
export async function visibleGroupIds(db: Db, snapshot: AccessSnapshot): Promise<'all' | Set<string>> {
  if (snapshot.subject.id === snapshot.ownerId) return 'all';
  if (snapshot.collaboration?.status !== 'active') return new Set();
  if (canSee(effectiveAccess(snapshot, { kind: 'account' }))) return 'all';
  const visible = new Set<string>();
  for (const groupId of snapshot.groups.keys()) {
    if (canSee(effectiveAccess(snapshot, { kind: 'create', groupId }))) visible.add(groupId);
  }
  const memberships = await db
    .select({ environmentId: groupEnvironments.environmentId, groupId: groupEnvironments.groupId })
    .from(groupEnvironments)
    .innerJoin(environments, eq(environments.id, groupEnvironments.environmentId))
    .where(and(eq(environments.ownerId, snapshot.ownerId), isNull(environments.deletedAt)));
  const groupsOfEnv = new Map<string, string[]>();
  for (const row of memberships) groupsOfEnv.set(row.environmentId, [...(groupsOfEnv.get(row.environmentId) ?? []), row.groupId]);
  for (const [environmentId, groupIds] of groupsOfEnv) {
    if (groupIds.every((id) => visible.has(id))) continue;
    if (canSee(accessTo(snapshot, { id: environmentId }, groupIds))) for (const id of groupIds) visible.add(id);
  }
  return visible;
}

/** Whether one group is among the visible ones. */
export const isVisible = (visible: 'all' | Set<string>, groupId: string) => visible === 'all' || visible.has(groupId);
