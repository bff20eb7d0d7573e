import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { passkeys, totpFactors } from '../../db/schema/index.js';

/**
 * What counts as "has a second factor", in one place: a confirmed TOTP factor, or a passkey (a passkey verified with
 * its user is two factors in one). `hasSecondFactorSql(users.id)` is the rule as a condition, for the queries that ask it about
 * people (the owner's policy, the member list).
 */
export function hasSecondFactorSql(userId: AnyPgColumn | SQL): SQL<boolean> {
  return sql<boolean>`(exists (select 1 from ${totpFactors} where ${totpFactors.userId} = ${userId} and ${totpFactors.confirmedAt} is not null) or exists (select 1 from ${passkeys} where ${passkeys.userId} = ${userId}))`;
}

/** How a password sign-in's second step may be answered: by the app's code and a recovery code, by a passkey; none: no second step. */
export async function secondStepMethods(db: Db, userId: string): Promise<Array<'totp' | 'recovery' | 'passkey'>> {
  const [totp] = await db
    .select({ userId: totpFactors.userId })
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt)))
    .limit(1);
  const [passkey] = await db.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.userId, userId)).limit(1);
  return [...(totp ? (['totp', 'recovery'] as const) : []), ...(passkey ? (['passkey'] as const) : [])];
}
