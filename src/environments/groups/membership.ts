import { and, eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import { groupEnvironments, groups } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { groupIdsOf, loadEnvironmentFor } from '../access.js';
import { changeEnvironment, presentChanged } from '../change.js';
import type { EnvironmentView } from '../schemas.js';
import { assertMayArrange } from './access.js';
import { isVisible, visibleGroupIds } from './visibility.js';

/**
 * Puts an environment into one of its owner's groups, or takes it out (`env.groups` on the environment, and on the
 * group). Both are idempotent. The answer is the environment, whose groups — and so the caller's access — changed.
 */
export async function setGroupMembership(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  groupId: string,
  environmentId: string,
  member: boolean,
): Promise<EnvironmentView> {
  const action = member ? 'group.environment_add' : 'group.environment_remove';
  const loaded = await loadEnvironmentFor(ctx, caller, environmentId, 'env.groups', { meta, action });
  const [group] = await ctx.db
    .select()
    .from(groups)
    .where(and(eq(groups.id, groupId), eq(groups.ownerId, loaded.env.ownerId)));
  if (!group || !isVisible(await visibleGroupIds(ctx.db, loaded.snapshot), group.id)) throw notFound('group');
  await assertMayArrange(ctx, meta, caller, loaded.snapshot, group.id, { action, targetId: group.id });
  const spec = { permission: 'env.groups', action, fits: 'groups', loaded } as const;
  const { env, result: groupIds } = await changeEnvironment(ctx, meta, caller, environmentId, spec, async (tx, current) => {
    if (member) {
      await tx.insert(groupEnvironments).values({ groupId: group.id, environmentId: current.id }).onConflictDoNothing();
    } else {
      await tx.delete(groupEnvironments).where(and(eq(groupEnvironments.groupId, group.id), eq(groupEnvironments.environmentId, current.id)));
    }
    const now = (await groupIdsOf(tx, [current.id])).get(current.id) ?? [];
    return { env: current, result: now, details: { groupId: group.id, groupName: group.name } };
  });
  return presentChanged(ctx, loaded, env, groupIds);
}
