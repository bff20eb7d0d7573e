import { eq } from 'drizzle-orm';
import { decide } from '../../access/decide.js';
import type { AccessSnapshot } from '../../access/snapshot.js';
import type { Caller } from '../../accounts/caller.js';
import { loadAccessSnapshot } from '../../access/load/snapshot.js';
import type { AppContext } from '../../context.js';
import { groups } from '../../db/schema/index.js';
import { missingPermission, notFound, ProblemError } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { subjectOf } from '../access.js';
import { reachableOwner } from '../owners.js';
import { recordRefusal } from '../refusals.js';
import { isVisible, visibleGroupIds } from './visibility.js';

export type GroupRow = typeof groups.$inferSelect;

export interface GroupFor {
  group: GroupRow;
  snapshot: AccessSnapshot;
  visible: 'all' | Set<string>;
}

/** The snapshot of the caller in an owner's account it may reach (404 for any other account). */
export async function ownerSnapshot(ctx: AppContext, caller: Caller, ownerId: string | undefined) {
  const owner = await reachableOwner(ctx.db, caller, ownerId);
  const snapshot = await loadAccessSnapshot(ctx.db, ctx.clock.now(), subjectOf(caller), owner.id);
  return { owner, snapshot };
}

/** Loads a group the caller can see; one it cannot see answers 404, exactly like a missing id. */
export async function loadGroupFor(ctx: AppContext, caller: Caller, id: string): Promise<GroupFor> {
  const [group] = await ctx.db.select().from(groups).where(eq(groups.id, id));
  if (!group) throw notFound('group');
  const { snapshot } = await ownerSnapshot(ctx, caller, group.ownerId).catch((error: unknown) => {
    // An owner the caller cannot reach hides its groups the same way as missing ones.
    throw error instanceof ProblemError && error.status === 404 ? notFound('group') : error;
  });
  const visible = await visibleGroupIds(ctx.db, snapshot);
  if (!isVisible(visible, group.id)) throw notFound('group');
  return { group, snapshot, visible };
}

/**
 * Arranging groups (creating, renaming, moving, deleting them, filing environments in them) needs `env.groups`
 * where it happens: in `groupId` (its share, or the nearest shared ancestor's) or, at the root, on the account share.
 * A refusal is audited as `denied`.
 */
export async function assertMayArrange(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  snapshot: AccessSnapshot,
  groupId: string | null,
  audit: { action: string; targetId: string | null },
): Promise<void> {
  if (decide(snapshot, { kind: 'create', groupId }, 'env.groups').allowed) return;
  await recordRefusal(ctx, meta, caller, { ownerId: snapshot.ownerId, action: audit.action, targetType: 'group', targetId: audit.targetId }, 'denied', {
    permission: 'env.groups',
    groupId,
  });
  throw missingPermission('env.groups', groupId ? 'Arranging groups here needs the env.groups permission on this group.' : undefined);
}
