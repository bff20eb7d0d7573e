import { eq, inArray } from 'drizzle-orm';
import { isVisible } from '../../access/load/groups.js';
import { recordAudit } from '../../audit/record.js';
import { type AccessPreview, previewOr, Previewed } from '../../collaboration/arrange/preview.js';
import { beginArrangement, settleArrangement } from '../../collaboration/arrange/settle.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { groupEnvironments, groups } from '../../db/schema/index.js';
import { type Authorized, type GroupFor, loaded } from '../../http/authorize/authorized.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { conflict, notFound } from '../../http/errors.js';
import { assertMayArrangeIn } from './access.js';
import { siblingNameTaken } from './create.js';
import { presentGroup } from './present.js';
import type { GroupView } from './schemas.js';
import { ancestry, descendants, height, MAX_GROUP_DEPTH, parentLinks } from './tree.js';

const cycle = () => conflict('A group cannot move into itself or into one of its own subgroups.', { field: 'parentId' });

export type GroupAuthorized = Authorized & { group: GroupFor };

/** The environments filed in `groupIds`: what moving or deleting those groups can change access to. */
export async function environmentsFiledIn(tx: Parameters<typeof parentLinks>[0], groupIds: readonly string[]): Promise<string[]> {
  if (groupIds.length === 0) return [];
  const rows = await tx.select({ id: groupEnvironments.environmentId }).from(groupEnvironments).where(inArray(groupEnvironments.groupId, [...groupIds]));
  return [...new Set(rows.map((row) => row.id))];
}

/**
 * Renames a group and/or moves it under another parent of the same owner (`parentId: null` moves it to the top
 * level). Needs `env.groups` on the group (the route's rule) and on the new parent. A move is an arrangement: for
 * anyone but the owner it is refused when it would widen anyone's access, and `dryRun` previews it. A move that
 * would make a cycle is a 409.
 */
export async function updateGroup(
  ctx: AppContext,
  authorized: GroupAuthorized,
  input: { name?: string | undefined; parentId?: string | null | undefined },
  dryRun: boolean,
): Promise<GroupView | AccessPreview> {
  const now = ctx.clock.now();
  try {
    return await previewOr(() =>
      ctx.db.transaction(async (tx) => {
        const moving = input.parentId !== undefined && input.parentId !== authorized.group.group.parentId;
        const fresh = loaded(await decideUnderLock(tx, now, authorized, moving ? 'everyone' : undefined), 'group');
        const { group, snapshot, visible } = fresh.group;
        const change: Partial<typeof groups.$inferInsert> = {};
        if (input.name !== undefined && input.name !== group.name) change.name = input.name;
        let arrangement;
        let moved: string[] = [];
        if (moving && input.parentId !== undefined && input.parentId !== group.parentId) {
          const parentId = input.parentId;
          const links = await parentLinks(tx, group.ownerId);
          if (parentId !== null) {
            if (!links.has(parentId) || !isVisible(visible, parentId)) throw notFound('group');
            assertMayArrangeIn(snapshot, parentId);
            const above = ancestry(links, parentId);
            if (above.includes(group.id)) throw cycle();
            if (above.length + height(links, group.id) > MAX_GROUP_DEPTH) {
              throw conflict(`Groups nest at most ${MAX_GROUP_DEPTH} levels deep.`, { field: 'parentId' });
            }
          } else assertMayArrangeIn(snapshot, null);
          moved = await environmentsFiledIn(tx, [group.id, ...descendants(links, group.id)]);
          arrangement = await beginArrangement(tx, now, fresh, snapshot, { environmentIds: moved }, dryRun);
          change.parentId = parentId;
        }
        if (!arrangement && dryRun) throw new Previewed({ dryRun: true, accessChanges: [], refusal: null });
        const [row] = Object.keys(change).length > 0 ? await tx.update(groups).set(change).where(eq(groups.id, group.id)).returning() : [group];
        if (!row) throw notFound('group');
        if (arrangement) await settleArrangement(arrangement, { environmentIds: moved });
        await recordAudit(tx, {
          at: now,
          actor: authorized.caller.user,
          ownerId: group.ownerId,
          action: authorized.rule.action,
          targetType: 'group',
          targetId: group.id,
          outcome: 'ok',
          requestId: authorized.meta.requestId,
          details: {
            ...(change.name !== undefined ? { name: { from: group.name, to: row.name } } : {}),
            ...(change.parentId !== undefined ? { parentId: { from: group.parentId, to: row.parentId } } : {}),
          },
        });
        const after = { ...snapshot, groups: new Map([...snapshot.groups, [row.id, { id: row.id, parentId: row.parentId }]]) };
        return presentGroup(row, after, visible);
      }),
    );
  } catch (error) {
    if (isUniqueViolation(error, 'groups_sibling_name_key')) throw siblingNameTaken(input.name ?? authorized.group.group.name);
    throw error;
  }
}
