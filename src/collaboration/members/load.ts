import { and, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collaborations, users } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';

export type Collaboration = typeof collaborations.$inferSelect;
export interface Person {
  id: string;
  name: string;
  email: string;
}
export interface MemberRow {
  collaboration: Collaboration;
  user: Person | null;
}

/** Collaborations with their linked account, filtered by `where`. */
export async function selectMembers(db: Db, where: SQL | undefined): Promise<MemberRow[]> {
  const rows = await db
    .select({ collaboration: collaborations, user: { id: users.id, name: users.name, email: users.email } })
    .from(collaborations)
    .leftJoin(users, eq(users.id, collaborations.memberId))
    .where(where);
  return rows.map((row) => ({ collaboration: row.collaboration, user: row.user?.id ? row.user : null }));
}

/** One member of `ownerId`'s account; another owner's member is the same 404 as none. */
export async function loadMember(db: Db, ownerId: string, id: string): Promise<MemberRow> {
  const [row] = await selectMembers(db, and(eq(collaborations.id, id), eq(collaborations.ownerId, ownerId)));
  if (!row) throw notFound('member');
  return row;
}

/** Whether a pending invitation's link has run out. */
export function invitationExpired(collaboration: Collaboration, now: Date): boolean {
  return collaboration.status === 'pending' && collaboration.tokenExpiresAt !== null && collaboration.tokenExpiresAt.getTime() <= now.getTime();
}

/**
 * A member as the owner's side of the API shows it. `viewerId` is who reads it: the owner's alias for a member is
 * private to the owner, so a manager never sees the one the owner gave to the manager itself.
 */
export function presentMember(row: MemberRow, now: Date, viewerId?: string) {
  const c = row.collaboration;
  return {
    id: c.id,
    email: c.email,
    displayName: viewerId !== undefined && c.memberId === viewerId ? null : c.displayName,
    status: c.status,
    user: row.user,
    invitedAt: c.invitedAt.toISOString(),
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    expiresAt: c.status === 'pending' ? (c.tokenExpiresAt?.toISOString() ?? null) : null,
    invitationExpired: invitationExpired(c, now),
  };
}
