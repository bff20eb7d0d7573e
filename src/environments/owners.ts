import { and, eq } from 'drizzle-orm';
import type { Caller } from '../accounts/caller.js';
import type { Db } from '../db/client.js';
import { collaborations, users } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';

/** The owners whose resources a caller may reach: itself, and every owner it has an active collaboration with. */
export async function reachableOwnerIds(db: Db, caller: Caller): Promise<string[]> {
  const rows = await db
    .select({ ownerId: collaborations.ownerId })
    .from(collaborations)
    .where(and(eq(collaborations.memberId, caller.user.id), eq(collaborations.status, 'active')));
  return [caller.user.id, ...rows.map((row) => row.ownerId).filter((id) => id !== caller.user.id)];
}

/**
 * The owner named by `?ownerId=` (the caller by default), when the caller may reach it. Any other account is a
 * 404, whether it exists or not: ids from the query mean nothing before a check scoped to the caller.
 */
export async function reachableOwner(db: Db, caller: Caller, ownerId: string | undefined): Promise<typeof users.$inferSelect> {
  if (ownerId === undefined || ownerId === caller.user.id) return caller.user;
  const [row] = await db
    .select({ owner: users })
    .from(collaborations)
    .innerJoin(users, eq(users.id, collaborations.ownerId))
    .where(and(eq(collaborations.ownerId, ownerId), eq(collaborations.memberId, caller.user.id), eq(collaborations.status, 'active')))
    .limit(1);
  if (!row) throw notFound('account');
  return row.owner;
}
