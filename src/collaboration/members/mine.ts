import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { type Caller, subjectOf } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { collaborations, users } from '../../db/schema/index.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';
import type { Collaboration, Person } from './load.js';
import { decide, effectiveAccess } from '../../access/decide.js';
import { loadAccessSnapshot } from '../../access/load/snapshot.js';

/** A collaboration as its member sees it: the owner, never the owner's alias for the member. */
export function presentCollaboration(c: Collaboration, owner: Person) {
  return {
    id: c.id,
    owner: { id: owner.id, name: owner.name, email: owner.email },
    status: c.status,
    invitedAt: c.invitedAt.toISOString(),
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    expiresAt: c.status === 'pending' ? (c.tokenExpiresAt?.toISOString() ?? null) : null,
  };
}

/** The owner of a collaboration, for presenting it. */
export async function ownerOf(db: Db, c: Collaboration): Promise<Person> {
  const [owner] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, c.ownerId)).limit(1);
  if (!owner) throw new Error(`collaboration ${c.id} has no owner`);
  return owner;
}

/**
 * The accounts the caller collaborates with (active or suspended) and the pending invitations to its address. The
 * invitations show only once the address is verified: an unproven address must not reveal who invited its holder.
 */
export async function listMyCollaborations(ctx: AppContext, caller: Caller, limit: number, cursor: string | undefined) {
  const me = caller.user;
  const mine = and(eq(collaborations.memberId, me.id), inArray(collaborations.status, ['active', 'suspended']));
  const invited = me.emailVerifiedAt
    ? and(eq(collaborations.status, 'pending'), sql`lower(${collaborations.email}) = ${me.email.toLowerCase()}`)
    : undefined;
  const rows = await ctx.db
    .select({ collaboration: collaborations, owner: { id: users.id, name: users.name, email: users.email } })
    .from(collaborations)
    .innerJoin(users, eq(users.id, collaborations.ownerId))
    .where(and(invited ? or(mine, invited) : mine, afterCursor(collaborations.invitedAt, collaborations.id, decodeCursor(cursor))))
    .orderBy(desc(collaborations.invitedAt), desc(collaborations.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ at: row.collaboration.invitedAt, id: row.collaboration.id }));
  const items = await Promise.all(
    page.rows.map(async (row) => ({
      ...presentCollaboration(row.collaboration, row.owner),
      ...(await accountAccessOf(ctx, caller, row.collaboration)),
    })),
  );
  return { items, nextCursor: page.nextCursor };
}

/**
 * What the caller may do in an owner's account as a whole, so the dashboard can offer "create in this account"
 * only where a share allows it, without deciding anything itself.
 */
async function accountAccessOf(ctx: AppContext, caller: Caller, c: Collaboration) {
  if (c.status !== 'active') return { permissions: [], canCreateEnvironments: false };
  const snapshot = await loadAccessSnapshot(ctx.db, ctx.clock.now(), subjectOf(caller), c.ownerId);
  const destinations = [null, ...snapshot.groups.keys()];
  return {
    permissions: effectiveAccess(snapshot, { kind: 'account' }).permissions,
    canCreateEnvironments: destinations.some((groupId) => decide(snapshot, { kind: 'create', groupId }, 'env.create').allowed),
  };
}
