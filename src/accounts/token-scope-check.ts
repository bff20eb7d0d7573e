import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Permission } from '../access/catalog.js';
import { canSee } from '../access/decide.js';
import { accessTo, groupIdsOf } from '../access/load/environments.js';
import { isVisible, visibleGroupIds } from '../access/load/groups.js';
import { reachableOwner } from '../access/load/owners.js';
import { loadAccessSnapshot } from '../access/load/snapshot.js';
import type { ScopeResource, TokenScope } from '../access/token-scope.js';
import type { Db } from '../db/client.js';
import { environments, groups } from '../db/schema/index.js';
import { fieldError, notFound } from '../http/errors.js';
import type { Caller } from './caller.js';

export interface ScopeInput {
  ownerId: string;
  resources: Array<{ type: 'account' | 'group' | 'environment'; id?: string | undefined }>;
  permissions: Permission[];
}

function resourceOf(input: ScopeInput['resources'][number], index: number): ScopeResource {
  if (input.type === 'account') {
    if (input.id !== undefined) throw fieldError(`scope.resources.${index}.id`, 'is not taken for the account');
    return { type: 'account' };
  }
  if (input.id === undefined) throw fieldError(`scope.resources.${index}.id`, `is required for a ${input.type}`);
  return { type: input.type, id: input.id };
}

/**
 * The scope a new token may have: in the caller's own account or one it actively collaborates with, on groups and
 * environments of that account the caller sees (any other is a 404, as if it did not exist). The holder's access is
 * not copied: the token is cut down to it at every request.
 */
export async function checkedScope(db: Db, now: Date, caller: Caller, input: ScopeInput): Promise<TokenScope> {
  const owner = await reachableOwner(db, caller, input.ownerId);
  if (!owner) throw notFound('account');
  const resources = input.resources.map(resourceOf);
  const snapshot = await loadAccessSnapshot(db, now, { id: caller.user.id, trialExpired: caller.trialExpired }, owner.id);
  const groupIds = resources.flatMap((resource) => (resource.type === 'group' ? [resource.id] : []));
  if (groupIds.length > 0) {
    const found = await db.select({ id: groups.id }).from(groups).where(and(eq(groups.ownerId, owner.id), inArray(groups.id, groupIds)));
    const visible = await visibleGroupIds(db, snapshot);
    const known = new Set(found.filter((group) => isVisible(visible, group.id)).map((group) => group.id));
    if (groupIds.some((id) => !known.has(id))) throw notFound('group');
  }
  const environmentIds = resources.flatMap((resource) => (resource.type === 'environment' ? [resource.id] : []));
  if (environmentIds.length > 0) {
    const found = await db
      .select({ id: environments.id })
      .from(environments)
      .where(and(eq(environments.ownerId, owner.id), inArray(environments.id, environmentIds), isNull(environments.deletedAt)));
    const filed = await groupIdsOf(db, found.map((env) => env.id));
    const known = new Set(found.filter((env) => canSee(accessTo(snapshot, env, filed.get(env.id) ?? []))).map((env) => env.id));
    if (environmentIds.some((id) => !known.has(id))) throw notFound('environment');
  }
  return { ownerId: owner.id, resources, permissions: [...new Set(input.permissions)] };
}
