import { and, eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { groups } from '../../db/schema/index.js';
import { collaboratorCannotOwn, conflict, limitReached, notFound } from '../../http/errors.js';
import { lockOwner } from '../owner-lock.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { recordRefusal } from '../refusals.js';
import { assertMayArrange, ownerSnapshot } from './access.js';
import { presentGroup } from './present.js';
import type { GroupView } from './schemas.js';
import { ancestry, MAX_GROUP_DEPTH, MAX_GROUPS_PER_OWNER, parentLinks } from './tree.js';
import { isVisible, visibleGroupIds } from './visibility.js';

/** 409 for a group name a sibling already has (compared lower-cased). */
export const siblingNameTaken = (name: string) =>
  conflict(`A group named ${name} already exists at this level; names are unique among sibling groups.`, { field: 'name' });

/** Creates a group in the caller's account or, with `ownerId`, in an owner's where it may arrange groups (`env.groups`). */
export async function createGroup(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  input: { name: string; parentId?: string | null | undefined; ownerId?: string | undefined },
): Promise<GroupView> {
  const { owner, snapshot } = await ownerSnapshot(ctx, caller, input.ownerId);
  if (owner.type === 'collaborator') {
    await recordRefusal(ctx, meta, caller, { ownerId: owner.id, action: 'group.create', targetType: 'group', targetId: null }, 'denied', {
      code: 'collaborator_cannot_own',
    });
    throw collaboratorCannotOwn('A collaborator account owns no environments, so it has no groups of its own.');
  }
  const parentId = input.parentId ?? null;
  const visible = await visibleGroupIds(ctx.db, snapshot);
  if (parentId !== null) {
    const [parent] = await ctx.db.select({ id: groups.id }).from(groups).where(and(eq(groups.id, parentId), eq(groups.ownerId, owner.id)));
    if (!parent || !isVisible(visible, parent.id)) throw notFound('group');
  }
  await assertMayArrange(ctx, meta, caller, snapshot, parentId, { action: 'group.create', targetId: parentId });
  const now = ctx.clock.now();
  try {
    const group = await ctx.db.transaction(async (tx) => {
      await lockOwner(tx, owner.id);
      const links = await parentLinks(tx, owner.id);
      if (parentId !== null && !links.has(parentId)) throw notFound('group');
      if (links.size >= MAX_GROUPS_PER_OWNER) throw limitReached(`An account may have at most ${MAX_GROUPS_PER_OWNER} groups.`, { limit: MAX_GROUPS_PER_OWNER });
      if (parentId !== null && ancestry(links, parentId).length >= MAX_GROUP_DEPTH) {
        throw conflict(`Groups nest at most ${MAX_GROUP_DEPTH} levels deep.`, { field: 'parentId' });
      }
      const [created] = await tx.insert(groups).values({ ownerId: owner.id, parentId, name: input.name, createdAt: now }).returning();
      if (!created) throw new Error('group insert returned nothing');
      await recordAudit(tx, {
        at: now,
        actor: caller.user,
        ownerId: owner.id,
        action: 'group.create',
        targetType: 'group',
        targetId: created.id,
        outcome: 'ok',
        requestId: meta.requestId,
        details: { name: created.name, parentId },
      });
      return created;
    });
    // The snapshot was read before the group existed; teach it the new link so the walk up finds the parent's share.
    const updated = { ...snapshot, groups: new Map([...snapshot.groups, [group.id, { id: group.id, parentId: group.parentId }]]) };
    return presentGroup(group, updated, visible === 'all' ? visible : new Set([...visible, group.id]));
  } catch (error) {
    if (isUniqueViolation(error, 'groups_sibling_name_key')) throw siblingNameTaken(input.name);
    throw error;
  }
}
