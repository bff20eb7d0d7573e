import { eq } from 'drizzle-orm';
import { isTrialExpired } from '../accounts/caller.js';
import type { Db } from '../db/client.js';
import { users } from '../db/schema/index.js';
import { invalidState } from '../http/errors.js';

/**
 * An account whose trial has ended keeps its environments stopped (a background job stops them): nobody, members
 * included, may start or create environments there until the owner upgrades or the billing team converts the account.
 */
export async function assertOwnerMayRun(tx: Db, ownerId: string, now: Date): Promise<void> {
  const [owner] = await tx.select({ type: users.type, trialEndsAt: users.trialEndsAt }).from(users).where(eq(users.id, ownerId));
  if (owner && isTrialExpired(owner, now)) {
    throw invalidState("The owner's trial has ended: its environments stay stopped until the owner upgrades the account.");
  }
}
