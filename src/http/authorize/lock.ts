import { and, asc, eq, inArray, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collaborations } from '../../db/schema/index.js';
import { type Authorized } from './authorized.js';
import { authorizationFor, resolveRule } from './resolve.js';

/** Whose access a write changes: some collaborations of the account, or all of them (groups, filing, roles). */
export type AccessChange = { collaborationIds: readonly string[] } | 'everyone';

/**
 * Marks a change to the access of some (or all) of an owner's members, in the change's transaction: locks their
 * collaboration rows in id order (so two changes never deadlock) and moves their access version. Writes by those
 * members lock the same rows before deciding (decideUnderLock), so whichever commits first wins.
 */
export async function lockAccessChange(tx: Db, ownerId: string, change: AccessChange, alsoLock: string | null = null): Promise<void> {
  const which =
    change === 'everyone'
      ? eq(collaborations.ownerId, ownerId)
      : and(
          eq(collaborations.ownerId, ownerId),
          or(
            change.collaborationIds.length > 0 ? inArray(collaborations.id, [...change.collaborationIds]) : sql`false`,
            alsoLock === null ? sql`false` : eq(collaborations.memberId, alsoLock),
          ),
        );
  const locked = await tx.select({ id: collaborations.id }).from(collaborations).where(which).orderBy(asc(collaborations.id)).for('update');
  const changed = change === 'everyone' ? locked.map((row) => row.id) : change.collaborationIds.filter((id) => locked.some((row) => row.id === id));
  if (changed.length === 0) return;
  await tx
    .update(collaborations)
    .set({ accessVersion: sql`${collaborations.accessVersion} + 1` })
    .where(inArray(collaborations.id, changed));
}

/**
 * The first step of every write's transaction: locks the caller's collaboration in the account the route acts in —
 * with `change`, also the collaborations whose access the write changes, moving their access version — then decides
 * the route's rule again on what is committed now, from the transaction. A revoke, suspension or regrouping that
 * committed first always wins; one that comes later waits for this transaction. Answers the fresh authorization.
 */
export async function decideUnderLock(tx: Db, now: Date, authorized: Authorized, change?: AccessChange): Promise<Authorized> {
  const { ownerId, caller } = authorized;
  if (ownerId !== null) {
    const member = ownerId === caller.user.id ? null : caller.user.id;
    if (change) await lockAccessChange(tx, ownerId, change, member);
    else if (member !== null) {
      await tx
        .select({ id: collaborations.id })
        .from(collaborations)
        .where(and(eq(collaborations.ownerId, ownerId), eq(collaborations.memberId, member)))
        .for('share');
    }
  }
  return resolveRule(tx, now, authorizationFor(caller, authorized.meta, authorized.rule, authorized.input));
}
