import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { apiTokens, users } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import { fieldError, notFound, problem } from '../http/errors.js';
import { afterCursor, decodeCursor, pageOf } from '../http/page-cursor.js';
import type { RequestMeta } from '../http/request-meta.js';
import { hashSecret } from '../secrets.js';
import type { Caller } from './caller.js';
import { checkedScope, type ScopeInput } from './token-scope-check.js';
import { newPersonalToken } from './token-secret.js';

type ApiToken = typeof apiTokens.$inferSelect;

/** How long a token lives when its request names no expiry. */
export const DEFAULT_TOKEN_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A token as its holder sees it: never the secret; `scope` null means everything the holder can do. */
export function presentApiToken(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    scope: token.scope ?? null,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: token.lastUsedIp ?? null,
  };
}

export interface NewApiToken {
  name: string;
  expiresAt: Date | undefined;
  scope: ScopeInput | undefined;
}

/**
 * When a new token ends: `asked`, else in 90 days; a token acting in an account whose owner caps token lifetimes
 * ends by that cap (a default is shortened to it, an explicit later expiry is refused).
 */
async function expiryWithin(db: Db, now: Date, ownerId: string | undefined, asked: Date | undefined): Promise<Date> {
  const fallback = new Date(now.getTime() + DEFAULT_TOKEN_DAYS * DAY_MS);
  const [owner] = ownerId ? await db.select({ days: users.tokenMaxLifetimeDays }).from(users).where(eq(users.id, ownerId)).limit(1) : [];
  if (!owner?.days) return asked ?? fallback;
  const latest = new Date(now.getTime() + owner.days * DAY_MS);
  if (!asked) return fallback < latest ? fallback : latest;
  if (asked > latest) {
    throw problem(400, 'token_lifetime_exceeded', 'Token lives too long', `The owner of this account lets tokens act there for at most ${owner.days} days: expire it by ${latest.toISOString()}.`, {
      maxLifetimeDays: owner.days,
    });
  }
  return asked;
}

/** Creates a named API token, scoped or not, expiring (90 days unless told); its secret is returned here once. */
export async function createApiToken(ctx: AppContext, meta: RequestMeta, caller: Caller, request: NewApiToken) {
  const now = ctx.clock.now();
  if (request.expiresAt && request.expiresAt <= now) throw fieldError('expiresAt', 'must be in the future');
  const secret = newPersonalToken();
  return ctx.db.transaction(async (tx) => {
    const scope = request.scope ? await checkedScope(tx, now, caller, request.scope) : null;
    const expiresAt = await expiryWithin(tx, now, scope?.ownerId, request.expiresAt);
    const [token] = await tx
      .insert(apiTokens)
      .values({ userId: caller.user.id, name: request.name, tokenHash: hashSecret(secret), createdAt: now, expiresAt, scope, scopeOwnerId: scope?.ownerId ?? null })
      .returning();
    if (!token) throw new Error('token insert returned nothing');
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: scope?.ownerId ?? caller.user.id,
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: token.id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { name: request.name, expiresAt: expiresAt.toISOString(), ...(scope ? { scope } : {}) },
    });
    return { ...presentApiToken(token), token: secret };
  });
}

/** One page of the caller's live tokens, newest first; never their secrets. */
export async function listApiTokens(ctx: AppContext, caller: Caller, limit: number, cursor: string | undefined) {
  const rows = await ctx.db
    .select()
    .from(apiTokens)
    .where(and(eq(apiTokens.userId, caller.user.id), isNull(apiTokens.revokedAt), afterCursor(apiTokens.createdAt, apiTokens.id, decodeCursor(cursor))))
    .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (token) => ({ at: token.createdAt, id: token.id }));
  return { items: page.rows.map(presentApiToken), nextCursor: page.nextCursor };
}

/** Revokes one of the caller's tokens; another account's token is a 404. */
export async function revokeApiToken(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [token] = await tx
      .update(apiTokens)
      .set({ revokedAt: now })
      .where(and(eq(apiTokens.id, id), eq(apiTokens.userId, caller.user.id), isNull(apiTokens.revokedAt)))
      .returning({ id: apiTokens.id });
    if (!token) throw notFound('API token');
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: caller.user.id,
      action: 'api_token.revoke',
      targetType: 'api_token',
      targetId: id,
      outcome: 'ok',
      requestId: meta.requestId,
    });
  });
}
