import { and, eq, getTableName, inArray, type SQL, sql } from 'drizzle-orm';
import { type Access, effectiveAccess } from '../decide.js';
import { visibilityCandidates } from '../candidates.js';
import type { AccessSnapshot, AccessTarget } from '../snapshot.js';
import { anyOf } from '../../db/any.js';
import type { Db } from '../../db/client.js';
import { environments, groupEnvironments } from '../../db/schema/index.js';

/** The target of a decision on an existing environment. */
export const environmentTarget = (env: { id: string }, groupIds: readonly string[]): AccessTarget => ({
  kind: 'environment',
  environmentId: env.id,
  groupIds,
});

/** Access to an environment in a snapshot already loaded for its owner. */
export function accessTo(snapshot: AccessSnapshot, env: { id: string }, groupIds: readonly string[]): Access {
  return effectiveAccess(snapshot, environmentTarget(env, groupIds));
}

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

/** The owner of the environment a query on `environments` is at, qualified likewise. */
export const outerEnvironmentOwnerId = sql`${sql.identifier(getTableName(environments))}.${sql.identifier(environments.ownerId.name)}`;

/** The groups an environment is in, as a column of a query on environments: one round trip instead of two. */
export const groupIdsColumn = sql<string[]>`array(select ge.group_id from ${groupEnvironments} ge where ge.environment_id = ${outerEnvironmentId})`;

/**
 * SQL on `environments` for the owner's environments the snapshot's subject could see at all (visibilityCandidates),
 * deleted ones included; null when it can see none. Only narrows what is read: decide each row with `accessTo`.
 *
 * Below the account level the candidates are one array of ids (the direct shares' and the shared groups'
 * environments), matched by primary key: a listing then reads only them and sorts them, instead of walking the
 * owner's whole account in name order and testing each row (the planner's choice for the OR of two conditions).
 */
export function possiblyVisible(db: Db, snapshot: AccessSnapshot): SQL | null {
  const candidates = visibilityCandidates(snapshot);
  if (candidates === 'none') return null;
  const ofOwner = eq(environments.ownerId, snapshot.ownerId);
  if (candidates === 'all') return ofOwner;
  if (candidates.environmentIds.length === 0 && candidates.groupIds.length === 0) return null;
  const filed = db.select({ id: groupEnvironments.environmentId }).from(groupEnvironments).where(anyOf(groupEnvironments.groupId, candidates.groupIds));
  const ids = sql`array(select unnest(${sql.param(candidates.environmentIds)}::text[]) union all ${filed})`;
  return and(ofOwner, sql`${environments.id} = any(${ids})`) ?? null;
}
