import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { groups } from '../../db/schema/index.js';
import { type Authorized, loaded } from '../../http/authorize/authorized.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { conflict, limitReached, notFound } from '../../http/errors.js';
import { lockOwner } from '../owner-lock.js';
import { visibleGroupIds } from '../../access/load/groups.js';
import { presentGroup } from './present.js';
import type { GroupView } from './schemas.js';
import { ancestry, MAX_GROUP_DEPTH, MAX_GROUPS_PER_OWNER, parentLinks } from './tree.js';

/** 409 for a group name a sibling already has (compared lower-cased). */
export const siblingNameTaken = (name: string) =>
  conflict(`A group named ${name} already exists at this level; names are unique among sibling groups.`, { field: 'name' });

/**
 * Creates a group in the account and under the parent the route's rule decided `env.groups` in (the caller's own
 * account by default). An empty group changes nobody's access, so it is no arrangement to check; it still moves
 * every member's access version, since the group tree is part of what their cached access holds.
 */
export async function createGroup(ctx: AppContext, authorized: Authorized, input: { name: string }): Promise<GroupView> {
  const now = ctx.clock.now();
  try {
    const { group, snapshot } = await ctx.db.transaction(async (tx) => {
      // A new group is part of the owner's tree every member's cached access is decided from: versioned for all.
      const fresh = loaded(await decideUnderLock(tx, now, authorized, 'everyone'), 'account', 'destination');
      const owner = fresh.account.owner;
      const parentId = fresh.destination.groupId;
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
        actor: authorized.caller.user,
        ownerId: owner.id,
        action: authorized.rule.action,
        targetType: 'group',
        targetId: created.id,
        outcome: 'ok',
        requestId: authorized.meta.requestId,
        details: { name: created.name, parentId },
      });
      return { group: created, snapshot: fresh.account.snapshot };
    });
    // The snapshot was read before the group existed; teach it the new link so the walk up finds the parent's share.
    const updated = { ...snapshot, groups: new Map([...snapshot.groups, [group.id, { id: group.id, parentId: group.parentId }]]) };
    const visible = await visibleGroupIds(ctx.db, snapshot);
    return presentGroup(group, updated, visible === 'all' ? visible : new Set([...visible, group.id]));
  } catch (error) {
    if (isUniqueViolation(error, 'groups_sibling_name_key')) throw siblingNameTaken(input.name);
    throw error;
  }
}
