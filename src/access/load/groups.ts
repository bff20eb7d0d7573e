import { and, eq, isNull } from 'drizzle-orm';
import { canSee, effectiveAccess } from '../decide.js';
import type { AccessSnapshot } from '../snapshot.js';
import type { Db } from '../../db/client.js';
import { environments, groupEnvironments } from '../../db/schema/index.js';
import { accessTo, possiblyVisible } from './environments.js';

/**
 * The owner's groups the snapshot's subject can see: every group for the owner and for a member who sees the whole
 * account; otherwise the groups a live share makes visible (with their subgroups: the walk up finds the share) and
 * the groups of every environment it sees.
 */
export async function visibleGroupIds(db: Db, snapshot: AccessSnapshot): Promise<'all' | Set<string>> {
  const owner = snapshot.subject.id === snapshot.ownerId;
  // A scoped token of the owner sees what its scope reaches, decided like a member's.
  if (owner && !snapshot.subject.scope) return 'all';
  if (!owner && snapshot.collaboration?.status !== 'active') return new Set();
  if (canSee(effectiveAccess(snapshot, { kind: 'account' }))) return 'all';
  const visible = new Set<string>();
  for (const groupId of snapshot.groups.keys()) {
    if (canSee(effectiveAccess(snapshot, { kind: 'create', groupId }))) visible.add(groupId);
  }
  // Only environments the member could see can make their groups visible: the SQL reads those, with all their groups.
  const candidates = possiblyVisible(db, snapshot);
  if (candidates === null) return visible;
  const memberships = await db
    .select({ environmentId: groupEnvironments.environmentId, groupId: groupEnvironments.groupId })
    .from(groupEnvironments)
    .innerJoin(environments, eq(environments.id, groupEnvironments.environmentId))
    .where(and(candidates, isNull(environments.deletedAt)));
  const groupsOfEnv = new Map<string, string[]>();
  for (const row of memberships) {
    const list = groupsOfEnv.get(row.environmentId);
    if (list) list.push(row.groupId);
    else groupsOfEnv.set(row.environmentId, [row.groupId]);
  }
  for (const [environmentId, groupIds] of groupsOfEnv) {
    if (groupIds.every((id) => visible.has(id))) continue;
    if (canSee(accessTo(snapshot, { id: environmentId }, groupIds))) for (const id of groupIds) visible.add(id);
  }
  return visible;
}

/** Whether one group is among the visible ones. */
export const isVisible = (visible: 'all' | Set<string>, groupId: string) => visible === 'all' || visible.has(groupId);
