import { and, desc, eq, isNull } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { apiTokens } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import { fieldError, notFound } from '../http/errors.js';
import { afterCursor, decodeCursor, pageOf } from '../http/page-cursor.js';
import type { RequestMeta } from '../http/request-meta.js';
import { hashSecret, newSecret } from '../secrets.js';
import type { Caller } from './caller.js';
import { API_TOKEN_PREFIX } from './sessions.js';

type ApiToken = typeof apiTokens.$inferSelect;

export function presentApiToken(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    createdAt: token.createdAt.toISOString(),
    expiresAt: token.expiresAt?.toISOString() ?? null,
    lastUsedAt: token.lastUsedAt?.toISOString() ?? null,
  };
}

/** Creates a named API token; its secret is returned here once and stored only hashed. */
export async function createApiToken(ctx: AppContext, meta: RequestMeta, caller: Caller, name: string, expiresAt: Date | undefined) {
  const now = ctx.clock.now();
  if (expiresAt && expiresAt <= now) throw fieldError('expiresAt', 'must be in the future');
  const secret = newSecret(API_TOKEN_PREFIX);
  return ctx.db.transaction(async (tx) => {
    const [token] = await tx
      .insert(apiTokens)
      .values({ userId: caller.user.id, name, tokenHash: hashSecret(secret), createdAt: now, expiresAt: expiresAt ?? null })
      .returning();
    if (!token) throw new Error('token insert returned nothing');
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: caller.user.id,
      action: 'api_token.create',
      targetType: 'api_token',
      targetId: token.id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { name },
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
