import { and, desc, eq, gt, inArray, isNull, lt, ne, or, type SQL } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { apiTokens, collaborations, users } from '../../db/schema/index.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';

/**
 * The live tokens of the owner's members that act in its account: those scoped to it, and the unscoped ones
 * ("everything I can do") of anyone who is, or was until a suspension, an active member. Never the owner's own.
 */
function actingIn(ownerId: string, now: Date): SQL | undefined {
  return and(
    isNull(apiTokens.revokedAt),
    or(isNull(apiTokens.expiresAt), gt(apiTokens.expiresAt, now)),
    ne(apiTokens.userId, ownerId),
    or(eq(apiTokens.scopeOwnerId, ownerId), and(isNull(apiTokens.scope), inArray(collaborations.status, ['active', 'suspended']))),
  );
}

const columns = {
  token: apiTokens,
  holderName: users.name,
  memberId: collaborations.id,
  alias: collaborations.displayName,
};

type Row = { token: typeof apiTokens.$inferSelect; holderName: string; memberId: string | null; alias: string | null };

function query(db: Db, ownerId: string) {
  return db
    .select(columns)
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .leftJoin(collaborations, and(eq(collaborations.ownerId, ownerId), eq(collaborations.memberId, apiTokens.userId)));
}

/** A member's token as the owner sees it: name, scope, holder, last use; never the secret. */
export function presentActingToken(row: Row) {
  const { token } = row;
  return {
    id: token.id,
    name: token.name,
    scope: token.scope ?? null,
    holder: { memberId: row.memberId, label: row.alias ?? row.holderName },
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: token.lastUsedIp ?? null,
  };
}

/** One page of the tokens acting in the owner's account, newest first. */
export async function listActingTokens(db: Db, ownerId: string, now: Date, limit: number, cursor: string | undefined) {
  const rows = await query(db, ownerId)
    .where(and(actingIn(ownerId, now), afterCursor(apiTokens.createdAt, apiTokens.id, decodeCursor(cursor))))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ at: row.token.createdAt, id: row.token.id }));
  return { items: page.rows.map(presentActingToken), nextCursor: page.nextCursor };
}

/** One live token acting in the owner's account, or null (another account's, revoked, or unknown). */
export async function findActingToken(db: Db, ownerId: string, now: Date, id: string): Promise<Row | null> {
  const [row] = await query(db, ownerId)
    .where(and(eq(apiTokens.id, id), actingIn(ownerId, now)))
    .limit(1);
  return row ?? null;
}

/** Live tokens acting in the owner's account not used since `since` (never used ones made before it too), at most 200. */
export async function staleActingTokens(db: Db, ownerId: string, now: Date, since: Date) {
  const rows = await query(db, ownerId)
    .where(
      and(
        actingIn(ownerId, now),
        or(and(isNull(apiTokens.lastUsedAt), lt(apiTokens.createdAt, since)), lt(apiTokens.lastUsedAt, since)),
      ),
    )
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(200);
  return rows.map(presentActingToken);
}
