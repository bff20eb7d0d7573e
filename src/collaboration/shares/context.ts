import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collaborations, environments, groupEnvironments, groups, type ShareResourceType } from '../../db/schema/index.js';
import { fieldError, invalidState } from '../../http/errors.js';
import type { MemberRow, Person } from '../members/load.js';

const SHAREABLE = new Set(['active', 'suspended']);

const notShareable = (status: string) =>
  invalidState(`Shares are for members who accepted: this member is ${status}. Share once the invitation is accepted.`);

/** A member that can hold shares (it accepted: active or suspended), with its account. */
export function shareableMember(member: MemberRow): MemberRow & { user: Person } {
  const user = member.user;
  if (!SHAREABLE.has(member.collaboration.status) || !user) throw notShareable(member.collaboration.status);
  return { ...member, user };
}

/** Checks, in the transaction that locked the collaboration, that it can still hold shares (no remove or leave meanwhile). */
export async function assertStillShareable(tx: Db, collaborationId: string): Promise<void> {
  const [row] = await tx.select({ status: collaborations.status }).from(collaborations).where(eq(collaborations.id, collaborationId)).limit(1);
  if (!row || !SHAREABLE.has(row.status)) throw notShareable(row?.status ?? 'removed');
}

/** An expiry sent by a client: in the future, or null to never expire. */
export function futureExpiry(value: string | null | undefined, now: Date, field = 'expiresAt'): Date | null | undefined {
  if (value === undefined || value === null) return value;
  const at = new Date(value);
  if (at.getTime() <= now.getTime()) throw fieldError(field, 'must be in the future');
  return at;
}

/** The owner's live environments a share on a resource reaches: all of them, a group's and its subgroups', or one. */
export async function environmentsReachedBy(
  tx: Db,
  ownerId: string,
  resource: { type: ShareResourceType; groupId: string | null; environmentId: string | null },
): Promise<string[]> {
  if (resource.type === 'environment') return resource.environmentId ? [resource.environmentId] : [];
  if (resource.type === 'account') {
    const rows = await tx
      .select({ id: environments.id })
      .from(environments)
      .where(and(eq(environments.ownerId, ownerId), isNull(environments.deletedAt)));
    return rows.map((row) => row.id);
  }
  const links = await tx.select({ id: groups.id, parentId: groups.parentId }).from(groups).where(eq(groups.ownerId, ownerId));
  const under = new Set(resource.groupId ? [resource.groupId] : []);
  for (let grew = true; grew; ) {
    grew = false;
    for (const link of links) {
      if (link.parentId !== null && under.has(link.parentId) && !under.has(link.id)) {
        under.add(link.id);
        grew = true;
      }
    }
  }
  if (under.size === 0) return [];
  const filed = await tx.select({ id: groupEnvironments.environmentId }).from(groupEnvironments).where(inArray(groupEnvironments.groupId, [...under]));
  return [...new Set(filed.map((row) => row.id))];
}
