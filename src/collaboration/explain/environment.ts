import { and, eq, isNull } from 'drizzle-orm';
import { canSee, effectiveAccess } from '../../access/decide.js';
import type { Caller } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { environments, groupEnvironments } from '../../db/schema/index.js';
import { missingPermission, notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { loadAccessSnapshot } from '../../access/load/snapshot.js';
import { denied } from '../scope.js';

export interface ManagedEnvironment {
  id: string;
  ownerId: string;
  name: string;
  displayName: string;
  groupIds: string[];
}

/** The groups an environment is in. */
export async function environmentGroupIds(db: Db, environmentId: string): Promise<string[]> {
  const rows = await db.select({ groupId: groupEnvironments.groupId }).from(groupEnvironments).where(eq(groupEnvironments.environmentId, environmentId));
  return rows.map((row) => row.groupId);
}

/**
 * An environment whose access the caller may inspect: its owner, or a member holding collaboration.manage on the
 * owner's account. A member who sees the environment without that permission gets 403; anyone else, 404.
 */
export async function loadEnvironmentForManager(ctx: AppContext, meta: RequestMeta, caller: Caller, environmentId: string, action: string): Promise<ManagedEnvironment> {
  const [environment] = await ctx.db
    .select({ id: environments.id, ownerId: environments.ownerId, name: environments.name, displayName: environments.displayName })
    .from(environments)
    // A deleted environment is gone for everyone, its owner included (only metering still reads the row).
    .where(and(eq(environments.id, environmentId), isNull(environments.deletedAt)))
    .limit(1);
  if (!environment) throw notFound('environment');
  const groupIds = await environmentGroupIds(ctx.db, environment.id);
  const found = { ...environment, groupIds };
  if (environment.ownerId === caller.user.id) return found;
  const snapshot = await loadAccessSnapshot(ctx.db, ctx.clock.now(), { id: caller.user.id, trialExpired: caller.trialExpired }, environment.ownerId);
  if (effectiveAccess(snapshot, { kind: 'account' }).permissions.includes('collaboration.manage')) return found;
  if (canSee(effectiveAccess(snapshot, { kind: 'environment', environmentId: environment.id, groupIds }))) {
    const target = { ownerId: environment.ownerId, action, targetType: 'environment', targetId: environment.id };
    throw await denied(ctx, meta, caller, target, missingPermission('collaboration.manage'));
  }
  throw notFound('environment');
}
