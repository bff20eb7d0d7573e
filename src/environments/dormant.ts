import { eq } from 'drizzle-orm';
import { isTrialExpired } from '../accounts/caller.js';
import type { Db } from '../db/client.js';
import { users } from '../db/schema/index.js';
import { collaboratorCannotOwn, invalidState } from '../http/errors.js';

/**
 * An account whose trial has ended keeps its environments stopped (a background job stops them): nobody, members
 * included, may start or create environments there until the owner upgrades or the billing team converts the account.
 */
export async function assertOwnerMayRun(tx: Db, ownerId: string, now: Date): Promise<void> {
  const [owner] = await tx.select({ type: users.type, trialEndsAt: users.trialEndsAt }).from(users).where(eq(users.id, ownerId));
  // A collaborator account owns nothing, not even the clone of an environment it kept from before its conversion.
  if (owner?.type === 'collaborator') throw collaboratorCannotOwn('This account is a collaborator account: it cannot own environments.');
  if (owner && isTrialExpired(owner, now)) {
    throw invalidState("The owner's trial has ended: its environments stay stopped until the owner upgrades the account.");
  }
}
