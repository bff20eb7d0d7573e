import { and, isNotNull } from 'drizzle-orm';
import { z } from 'zod';
import { anyOf } from '../../db/any.js';
import type { Db } from '../../db/client.js';
import { collaborations } from '../../db/schema/index.js';

/** The `label` field of a person in an answer: the one name the dashboard shows for them. */
export const personLabel = z
  .string()
  .describe("How the caller names this person: the owner's alias for a member when the caller is the owner or manages its members, else the account name");

/**
 * The owner's aliases for those of `userIds` who are its members (the names the owner and its managers use for
 * them), by user id. Members without an alias are absent: their account name is their label.
 */
export async function aliasesIn(db: Db, ownerId: string, userIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const byPair = await aliasesAcross(db, [ownerId], userIds);
  return new Map([...byPair].map(([key, alias]) => [key.slice(aliasKey(ownerId, '').length), alias]));
}

/** The aliases several owners gave members among `userIds`, keyed `ownerId userId` (see `aliasKey`). */
export async function aliasesAcross(db: Db, ownerIds: readonly string[], userIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(userIds.filter((id): id is string => id !== null))];
  const owners = [...new Set(ownerIds)];
  if (wanted.length === 0 || owners.length === 0) return new Map();
  const rows = await db
    .select({ ownerId: collaborations.ownerId, memberId: collaborations.memberId, alias: collaborations.displayName })
    .from(collaborations)
    .where(and(anyOf(collaborations.ownerId, owners), anyOf(collaborations.memberId, wanted), isNotNull(collaborations.displayName), isNotNull(collaborations.memberId)));
  return new Map(rows.flatMap((row) => (row.memberId && row.alias ? [[aliasKey(row.ownerId, row.memberId), row.alias] as const] : [])));
}

export const aliasKey = (ownerId: string, userId: string) => `${ownerId} ${userId}`;
