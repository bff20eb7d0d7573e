import { eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { groupEnvironments, groups } from '../../db/schema/index.js';
import { conflict, notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { assertMayArrange, loadGroupFor } from './access.js';
import { descendants, parentLinks } from './tree.js';

/**
 * Deletes a group; its environments stay (they only leave it). A group with subgroups needs `recursive`, which
 * deletes them too, and `env.groups` on each. Shares on deleted groups go with them.
 */
export async function deleteGroup(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string, recursive: boolean): Promise<void> {
  const { group, snapshot } = await loadGroupFor(ctx, caller, id);
  await assertMayArrange(ctx, meta, caller, snapshot, group.id, { action: 'group.delete', targetId: group.id });
  const below = descendants(await parentLinks(ctx.db, group.ownerId), group.id);
  if (below.length > 0 && !recursive) {
    throw conflict(`The group has ${below.length} subgroup(s). Delete them first, or pass recursive=true to delete them too.`);
  }
  for (const subgroup of below) await assertMayArrange(ctx, meta, caller, snapshot, subgroup, { action: 'group.delete', targetId: group.id });
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const doomed = descendants(await parentLinks(tx, group.ownerId), group.id);
    if (doomed.length > 0 && !recursive) throw conflict(`The group has ${doomed.length} subgroup(s); pass recursive=true to delete them too.`);
    let environmentsReleased = 0;
    // Children before parents: the parent link refuses to leave orphans.
    for (const groupId of [...doomed, group.id]) {
      const released = await tx.delete(groupEnvironments).where(eq(groupEnvironments.groupId, groupId)).returning();
      environmentsReleased += released.length;
      const [deleted] = await tx.delete(groups).where(eq(groups.id, groupId)).returning({ id: groups.id });
      if (!deleted) throw notFound('group');
    }
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: group.ownerId,
      action: 'group.delete',
      targetType: 'group',
      targetId: group.id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { name: group.name, recursive, subgroups: doomed, environmentsReleased },
    });
  });
}
