import { and, eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { groups } from '../../db/schema/index.js';
import { conflict, notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { assertMayArrange, loadGroupFor } from './access.js';
import { siblingNameTaken } from './create.js';
import { presentGroup } from './present.js';
import type { GroupView } from './schemas.js';
import { ancestry, height, MAX_GROUP_DEPTH, parentLinks } from './tree.js';
import { isVisible } from './visibility.js';

const cycle = () => conflict('A group cannot move into itself or into one of its own subgroups.', { field: 'parentId' });

/**
 * Renames a group and/or moves it under another parent of the same owner (`parentId: null` moves it to the top
 * level). Needs `env.groups` on the group and on the new parent; a move that would make a cycle is a 409.
 */
export async function updateGroup(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  id: string,
  input: { name?: string | undefined; parentId?: string | null | undefined },
): Promise<GroupView> {
  const { group, snapshot, visible } = await loadGroupFor(ctx, caller, id);
  await assertMayArrange(ctx, meta, caller, snapshot, group.id, { action: 'group.update', targetId: group.id });
  const moving = input.parentId !== undefined && input.parentId !== group.parentId;
  if (moving && input.parentId !== undefined) {
    const parentId = input.parentId;
    if (parentId !== null) {
      const [parent] = await ctx.db.select({ id: groups.id }).from(groups).where(and(eq(groups.id, parentId), eq(groups.ownerId, group.ownerId)));
      if (!parent || !isVisible(visible, parent.id)) throw notFound('group');
    }
    await assertMayArrange(ctx, meta, caller, snapshot, parentId, { action: 'group.update', targetId: group.id });
  }
  const now = ctx.clock.now();
  try {
    const updated = await ctx.db.transaction(async (tx) => {
      const change: Partial<typeof groups.$inferInsert> = {};
      if (input.name !== undefined) change.name = input.name;
      if (moving && input.parentId !== undefined) {
        // Checked again inside the transaction: the tree may have moved since the request began.
        const links = await parentLinks(tx, group.ownerId);
        if (!links.has(group.id)) throw notFound('group');
        if (input.parentId !== null) {
          if (!links.has(input.parentId)) throw notFound('group');
          const above = ancestry(links, input.parentId);
          if (above.includes(group.id)) throw cycle();
          if (above.length + height(links, group.id) > MAX_GROUP_DEPTH) {
            throw conflict(`Groups nest at most ${MAX_GROUP_DEPTH} levels deep.`, { field: 'parentId' });
          }
        }
        change.parentId = input.parentId;
      }
      // A PATCH that changes nothing (the same parent again) still answers the group.
      const [row] =
        Object.keys(change).length > 0
          ? await tx.update(groups).set(change).where(eq(groups.id, group.id)).returning()
          : await tx.select().from(groups).where(eq(groups.id, group.id));
      if (!row) throw notFound('group');
      await recordAudit(tx, {
        at: now,
        actor: caller.user,
        ownerId: group.ownerId,
        action: 'group.update',
        targetType: 'group',
        targetId: group.id,
        outcome: 'ok',
        requestId: meta.requestId,
        details: {
          ...(input.name !== undefined ? { name: { from: group.name, to: row.name } } : {}),
          ...(moving ? { parentId: { from: group.parentId, to: row.parentId } } : {}),
        },
      });
      return row;
    });
    const moved = { ...snapshot, groups: new Map([...snapshot.groups, [updated.id, { id: updated.id, parentId: updated.parentId }]]) };
    return presentGroup(updated, moved, visible);
  } catch (error) {
    if (isUniqueViolation(error, 'groups_sibling_name_key')) throw siblingNameTaken(input.name ?? group.name);
    throw error;
  }
}
