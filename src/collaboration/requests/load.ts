import { and, desc, eq, gt, inArray, lte, or, type SQL } from 'drizzle-orm';
import { HOUR } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { type AccessRequestStatus, accessRequests, collaborations, environments, groups, shares, users } from '../../db/schema/index.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';
import { roleNames } from '../roles/resolve.js';
import type { ResourceInput } from '../shares/resource.js';

export type AccessRequestRow = typeof accessRequests.$inferSelect;

/** An unanswered request lapses this long after it was made. */
export const REQUEST_LAPSE_MS = 24 * HOUR;
/** Pending requests one member may have in one owner's account at a time. */
export const MAX_PENDING_REQUESTS = 3;

/** The resource a request asks for, as the share routes take it. */
export const resourceOf = (request: Pick<AccessRequestRow, 'resourceType' | 'groupId' | 'environmentId'>): ResourceInput =>
  request.resourceType === 'account'
    ? { type: 'account' }
    : request.resourceType === 'group'
      ? { type: 'group', id: request.groupId ?? '' }
      : { type: 'environment', id: request.environmentId ?? '' };

/** The status a request reads as at `now`: a pending one past its lapse time has lapsed (exact, no job needed). */
export function statusAt(request: Pick<AccessRequestRow, 'status' | 'lapsesAt'>, now: Date): AccessRequestStatus {
  return request.status === 'pending' && request.lapsesAt.getTime() <= now.getTime() ? 'lapsed' : request.status;
}

/** The SQL condition of a status as `statusAt` reads it. */
export function hasStatus(status: AccessRequestStatus, now: Date): SQL | undefined {
  if (status === 'pending') return and(eq(accessRequests.status, 'pending'), gt(accessRequests.lapsesAt, now));
  if (status === 'lapsed') return or(eq(accessRequests.status, 'lapsed'), and(eq(accessRequests.status, 'pending'), lte(accessRequests.lapsesAt, now)));
  return eq(accessRequests.status, status);
}

export interface ListFilter {
  ownerId: string;
  /** Only this member's requests (a member reading its own). */
  collaborationId?: string | undefined;
  status?: AccessRequestStatus | undefined;
}

const decider = users;

/** One page of an account's requests, newest first, as the API shows them; `aliases`: the owner's view (with its aliases). */
export async function listRequests(db: Db, now: Date, filter: ListFilter, page: { limit: number; cursor: string | undefined }, aliases: boolean) {
  const rows = await db
    .select({ request: accessRequests })
    .from(accessRequests)
    .where(
      and(
        eq(accessRequests.ownerId, filter.ownerId),
        filter.collaborationId ? eq(accessRequests.collaborationId, filter.collaborationId) : undefined,
        filter.status ? hasStatus(filter.status, now) : undefined,
        afterCursor(accessRequests.createdAt, accessRequests.id, decodeCursor(page.cursor)),
      ),
    )
    .orderBy(desc(accessRequests.createdAt), desc(accessRequests.id))
    .limit(page.limit + 1);
  const cut = pageOf(rows, page.limit, (row) => ({ at: row.request.createdAt, id: row.request.id }));
  return { items: await presentRequests(db, now, cut.rows.map((row) => row.request), aliases), nextCursor: cut.nextCursor };
}

/** Requests as the API shows them: requester, resource and role names, the status at `now`, the share it gave. */
export async function presentRequests(db: Db, now: Date, requests: AccessRequestRow[], aliases: boolean) {
  if (requests.length === 0) return [];
  const ids = requests.map((r) => r.id);
  const facts = await db
    .select({
      id: accessRequests.id,
      alias: collaborations.displayName,
      requester: { id: users.id, name: users.name, email: users.email },
      groupName: groups.name,
      environmentName: environments.displayName,
      shareExpiresAt: shares.expiresAt,
    })
    .from(accessRequests)
    .innerJoin(collaborations, eq(collaborations.id, accessRequests.collaborationId))
    .innerJoin(users, eq(users.id, collaborations.memberId))
    .leftJoin(groups, eq(groups.id, accessRequests.groupId))
    .leftJoin(environments, eq(environments.id, accessRequests.environmentId))
    .leftJoin(shares, eq(shares.id, accessRequests.shareId))
    .where(inArray(accessRequests.id, ids));
  const deciderIds = [...new Set(requests.flatMap((r) => (r.decidedBy ? [r.decidedBy] : [])))];
  const deciders = deciderIds.length ? await db.select({ id: decider.id, name: decider.name }).from(decider).where(inArray(decider.id, deciderIds)) : [];
  const ownerId = requests[0]?.ownerId ?? '';
  const names = await roleNames(db, ownerId, requests.flatMap((r) => [...r.roleIds, ...(r.grantedRoleIds ?? [])]));
  const roles = (roleIds: readonly string[]) => roleIds.map((id) => ({ id, name: names.get(id) ?? id }));
  return requests.flatMap((request) => {
    const fact = facts.find((f) => f.id === request.id);
    if (!fact) return [];
    const resourceId = request.groupId ?? request.environmentId;
    const resourceName = fact.groupName ?? fact.environmentName;
    const by = deciders.find((d) => d.id === request.decidedBy);
    return [
      {
        id: request.id,
        ownerId: request.ownerId,
        memberId: request.collaborationId,
        requester: fact.requester,
        memberLabel: aliases ? (fact.alias ?? fact.requester.name) : null,
        resource: { type: request.resourceType, ...(resourceId ? { id: resourceId } : {}), ...(resourceName ? { name: resourceName } : {}) },
        roles: roles(request.roleIds),
        durationHours: request.durationHours,
        reason: request.reason,
        status: statusAt(request, now),
        createdAt: request.createdAt.toISOString(),
        lapsesAt: request.lapsesAt.toISOString(),
        decidedAt: request.decidedAt?.toISOString() ?? null,
        decidedBy: by ? { id: by.id, name: by.name } : null,
        comment: request.comment,
        grantedRoles: request.grantedRoleIds ? roles(request.grantedRoleIds) : null,
        grantedHours: request.grantedHours,
        shareId: request.shareId,
        accessUntil: fact.shareExpiresAt?.toISOString() ?? null,
      },
    ];
  });
}

/** One request as the API shows it. */
export async function presentRequest(db: Db, now: Date, id: string, aliases: boolean) {
  const [row] = await db.select().from(accessRequests).where(eq(accessRequests.id, id)).limit(1);
  const [view] = row ? await presentRequests(db, now, [row], aliases) : [];
  if (!view) throw new Error(`access request ${id} vanished`);
  return view;
}
