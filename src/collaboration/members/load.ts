import { findMember, type MemberRow } from '../../access/load/members.js';
import type { Db } from '../../db/client.js';
import { notFound } from '../../http/errors.js';

export type { Collaboration, MemberRow, Person } from '../../access/load/members.js';
import type { Collaboration } from '../../access/load/members.js';

/** One member of `ownerId`'s account; another owner's member is the same 404 as none. */
export async function loadMember(db: Db, ownerId: string, id: string): Promise<MemberRow> {
  const row = await findMember(db, ownerId, id);
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
export function presentMember(row: MemberRow, now: Date, viewerId?: string, manageable = true) {
  const c = row.collaboration;
  return {
    manageable,
    id: c.id,
    email: c.email,
    displayName: viewerId !== undefined && c.memberId === viewerId ? null : c.displayName,
    status: c.status,
    user: row.user,
    invitedAt: c.invitedAt.toISOString(),
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    expiresAt: c.status === 'pending' ? (c.tokenExpiresAt?.toISOString() ?? null) : null,
    invitationExpired: invitationExpired(c, now),
    twoFactor: row.user !== null && row.hasSecondFactor,
  };
}
