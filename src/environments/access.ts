import { and, eq, getTableName, inArray, isNull, or, type SQL, sql } from 'drizzle-orm';
import type { Permission } from '../access/catalog.js';
import { type Access, canSee, effectiveAccess } from '../access/decide.js';
import { visibilityCandidates } from '../access/candidates.js';
import type { AccessSnapshot, AccessTarget } from '../access/snapshot.js';
import type { Caller } from '../accounts/caller.js';
import { loadAccessSnapshot, type Subject } from '../access/load/snapshot.js';
import type { AppContext } from '../context.js';
import { anyOf } from '../db/any.js';
import type { Db } from '../db/client.js';
import { environments, groupEnvironments } from '../db/schema/index.js';
import { missingPermission, notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { recordRefusal } from './refusals.js';
import type { EnvironmentRow } from './transitions.js';

/** An environment as one caller may touch it: the row, its groups and the caller's effective access on it. */
export interface EnvironmentFor {
  env: EnvironmentRow;
  groupIds: string[];
  snapshot: AccessSnapshot;
  access: Access;
}

/** Who the access decision is about. */
export const subjectOf = (caller: Caller): Subject => ({ id: caller.user.id, trialExpired: caller.trialExpired });

/** The target of a decision on an existing environment. */
export const environmentTarget = (env: { id: string }, groupIds: readonly string[]): AccessTarget => ({
  kind: 'environment',
  environmentId: env.id,
  groupIds,
});

/** The groups each environment is in. */
export async function groupIdsOf(db: Db, environmentIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(environmentIds.map((id) => [id, []]));
  if (environmentIds.length === 0) return map;
  const rows = await db.select().from(groupEnvironments).where(inArray(groupEnvironments.environmentId, [...environmentIds]));
  for (const row of rows) map.get(row.environmentId)?.push(row.groupId);
  return map;
}

/**
 * The id of the environment a query on `environments` is at, for subqueries in its select list: spelled out because
 * drizzle leaves columns unqualified in a one-table query, where a subquery's own columns would shadow them.
 */
export const outerEnvironmentId = sql`${sql.identifier(getTableName(environments))}.${sql.identifier(environments.id.name)}`;

/** The groups an environment is in, as a column of a query on environments: one round trip instead of two. */
export const groupIdsColumn = sql<string[]>`array(select ge.group_id from ${groupEnvironments} ge where ge.environment_id = ${outerEnvironmentId})`;

/**
 * SQL on `environments` for the owner's environments the snapshot's subject could see at all (visibilityCandidates),
 * deleted ones included; null when it can see none. Only narrows what is read: decide each row with `accessTo`.
 */
export function possiblyVisible(db: Db, snapshot: AccessSnapshot): SQL | null {
  const candidates = visibilityCandidates(snapshot);
  if (candidates === 'none') return null;
  const ofOwner = eq(environments.ownerId, snapshot.ownerId);
  if (candidates === 'all') return ofOwner;
  const reasons: SQL[] = [];
  if (candidates.environmentIds.length > 0) reasons.push(anyOf(environments.id, candidates.environmentIds));
  if (candidates.groupIds.length > 0) {
    const filed = db.select({ id: groupEnvironments.environmentId }).from(groupEnvironments).where(anyOf(groupEnvironments.groupId, candidates.groupIds));
    reasons.push(inArray(environments.id, filed));
  }
  return reasons.length === 0 ? null : (and(ofOwner, or(...reasons)) ?? null);
}

/** Access to an environment in a snapshot already loaded for its owner. */
export function accessTo(snapshot: AccessSnapshot, env: { id: string }, groupIds: readonly string[]): Access {
  return effectiveAccess(snapshot, environmentTarget(env, groupIds));
}

/**
 * THE way every route reaches an environment: loads it, decides the caller's access with `loadAccessSnapshot` +
 * `effectiveAccess`, and answers 404 when the caller cannot see it (exactly like a missing id, so nothing leaks)
 * and 403 `missing_permission` when it sees it but lacks `permission`. The 403 is audited as `denied` when
 * `refusal` names the attempted action.
 */
export async function loadEnvironmentFor(
  ctx: AppContext,
  caller: Caller,
  id: string,
  permission: Permission,
  refusal?: { meta: RequestMeta; action: string },
): Promise<EnvironmentFor> {
  const [found] = await ctx.db
    .select({ env: environments, groupIds: groupIdsColumn })
    .from(environments)
    .where(and(eq(environments.id, id), isNull(environments.deletedAt)));
  if (!found) throw notFound('environment');
  const { env, groupIds } = found;
  const snapshot = await loadAccessSnapshot(ctx.db, ctx.clock.now(), subjectOf(caller), env.ownerId);
  const access = accessTo(snapshot, env, groupIds);
  if (!canSee(access)) throw notFound('environment');
  if (!access.permissions.includes(permission)) {
    if (refusal) {
      await recordRefusal(ctx, refusal.meta, caller, { ownerId: env.ownerId, action: refusal.action, targetType: 'environment', targetId: env.id }, 'denied', {
        permission,
        level: access.level,
      });
    }
    throw missingPermission(permission);
  }
  return { env, groupIds, snapshot, access };
}
