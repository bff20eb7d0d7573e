import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { users } from '../db/schema/index.js';

/**
 * Locks the owner's account row until the transaction ends. Writes that must respect a per-account cap (groups,
 * environments, cloudlets) take it before counting, so two concurrent creates cannot both pass the last free place.
 */
export async function lockOwner(tx: Db, ownerId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, ownerId)).for('update');
}
