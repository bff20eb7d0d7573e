import { and, eq } from 'drizzle-orm';
import { decide } from '../access/decide.js';
import type { AccessSnapshot } from '../access/snapshot.js';
import type { Caller } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import { groups, type users } from '../db/schema/index.js';
import { collaboratorCannotOwn, missingPermission, notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { ownerSnapshot } from './groups/access.js';
import { isVisible, visibleGroupIds } from './groups/visibility.js';
import { recordRefusal } from './refusals.js';

export interface CreateDestination {
  owner: typeof users.$inferSelect;
  snapshot: AccessSnapshot;
  groupId: string | null;
}

/**
 * Decides whether the caller may create an environment in `ownerId`'s account (its own by default), at the root or
 * in `groupId`: `env.create` by DESIGN.md section 6 (the group walk, then the account share). An owner the caller
 * is no active member of, and a group it cannot see, are 404s; a collaborator account owns nothing (403).
 */
export async function authorizeCreate(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  action: string,
  ownerId: string | undefined,
  groupId: string | undefined,
): Promise<CreateDestination> {
  const { owner, snapshot } = await ownerSnapshot(ctx, caller, ownerId);
  const refuse = async (details: Record<string, unknown>) =>
    recordRefusal(ctx, meta, caller, { ownerId: owner.id, action, targetType: 'environment', targetId: null }, 'denied', details);
  if (owner.type === 'collaborator') {
    await refuse({ code: 'collaborator_cannot_own' });
    throw collaboratorCannotOwn(
      owner.id === caller.user.id ? undefined : 'This account is a collaborator account: it cannot own environments.',
    );
  }
  if (groupId !== undefined) {
    const [group] = await ctx.db
      .select({ id: groups.id })
      .from(groups)
      .where(and(eq(groups.id, groupId), eq(groups.ownerId, owner.id)));
    if (!group || !isVisible(await visibleGroupIds(ctx.db, snapshot), group.id)) throw notFound('group');
  }
  const destination = groupId ?? null;
  if (!decide(snapshot, { kind: 'create', groupId: destination }, 'env.create').allowed) {
    await refuse({ permission: 'env.create', groupId: destination });
    throw missingPermission('env.create', destination ? 'Creating an environment in this group needs the env.create permission there.' : undefined);
  }
  return { owner, snapshot, groupId: destination };
}

/**
 * Cloning files the clone in each of the source's groups, so it needs `env.create` in every one of them (or at the
 * root when the source is in none). Pure: it throws 403 `missing_permission` naming `env.create`.
 */
export function assertMayCloneInto(snapshot: AccessSnapshot, groupIds: readonly string[]): void {
  const destinations = groupIds.length > 0 ? groupIds : [null];
  const refused = destinations.find((groupId) => !decide(snapshot, { kind: 'create', groupId }, 'env.create').allowed);
  if (refused === undefined) return;
  throw missingPermission(
    'env.create',
    refused ? "The clone joins the source's groups: it needs the env.create permission in each of them." : 'The clone needs the env.create permission in this account.',
  );
}
