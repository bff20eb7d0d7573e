import { and, eq, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { totpFactors } from '../../db/schema/index.js';

/**
 * What counts as "has a second factor", in one place: a confirmed TOTP factor (passkeys, when they come, join here).
 * `hasSecondFactorSql(users.id)` is the same rule as a condition, for queries over many people.
 */
export function hasSecondFactorSql(userId: AnyPgColumn | SQL): SQL<boolean> {
  return sql<boolean>`exists (select 1 from ${totpFactors} where ${totpFactors.userId} = ${userId} and ${totpFactors.confirmedAt} is not null)`;
}

/** Whether one person has a second factor (see hasSecondFactorSql). */
export async function hasSecondFactor(db: Db, userId: string): Promise<boolean> {
  const [row] = await db
    .select({ userId: totpFactors.userId })
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, userId), isNotNull(totpFactors.confirmedAt)))
    .limit(1);
  return row !== undefined;
}
