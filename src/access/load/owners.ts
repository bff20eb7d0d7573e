import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collaborations, users } from '../../db/schema/index.js';

/** Who asks: the account's id. */
interface Asker {
  user: { id: string };
}

type Owner = typeof users.$inferSelect;

/** The owners whose resources a caller may reach: itself, and every owner it has an active collaboration with. */
export async function reachableOwnerIds(db: Db, caller: Asker): Promise<string[]> {
  const rows = await db
    .select({ ownerId: collaborations.ownerId })
    .from(collaborations)
    .where(and(eq(collaborations.memberId, caller.user.id), eq(collaborations.status, 'active')));
  return [caller.user.id, ...rows.map((row) => row.ownerId).filter((id) => id !== caller.user.id)];
}

/**
 * The owner named by `?ownerId=` (the caller by default), when the caller may reach it; null for any other account,
 * whether it exists or not: ids from the query mean nothing before a check scoped to the caller.
 */
export async function reachableOwner<U extends Owner>(db: Db, caller: { user: U }, ownerId: string | undefined): Promise<Owner | null> {
  if (ownerId === undefined || ownerId === caller.user.id) return caller.user;
  const [row] = await db
    .select({ owner: users })
    .from(collaborations)
    .innerJoin(users, eq(users.id, collaborations.ownerId))
    .where(and(eq(collaborations.ownerId, ownerId), eq(collaborations.memberId, caller.user.id), eq(collaborations.status, 'active')))
    .limit(1);
  return row?.owner ?? null;
}
