import { and, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { apiTokens, passkeys, sessions, users } from '../db/schema/index.js';
import type { AppContext } from '../context.js';
import { hashSecret, newSecret } from '../secrets.js';
import { readTokenScope, type TokenScope } from '../access/token-scope.js';
import type { RequestMeta } from '../http/request-meta.js';
import type { User } from './caller.js';
import { isPersonalToken, PERSONAL_TOKEN_PREFIX } from './token-secret.js';

export const SESSION_PREFIX = 'sps_';
/** The prefix of the API tokens made before scoped tokens (`sp_pat_…`); they keep working until revoked. */
export const API_TOKEN_PREFIX = 'spt_';

// Writing last-seen on every request would turn reads into writes; a minute of slack is enough for idle expiry.
const TOUCH_AFTER_MS = 60_000;

/** Starts a new session and returns its secret token (never stored in clear). */
export async function startSession(ctx: AppContext, db: Db, userId: string, from: Pick<RequestMeta, 'ip' | 'userAgent'>) {
  const token = newSecret(SESSION_PREFIX);
  const now = ctx.clock.now();
  const [session] = await db
    .insert(sessions)
    .values({
      userId,
      tokenHash: hashSecret(token),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + ctx.config.sessionMaxSeconds * 1000),
      userAgent: from.userAgent?.slice(0, 300) ?? null,
      ip: from.ip,
    })
    .returning({ id: sessions.id, expiresAt: sessions.expiresAt });
  if (!session) throw new Error('session insert returned nothing');
  return { token, sessionId: session.id, expiresAt: session.expiresAt };
}

export interface Authenticated {
  user: User;
  sessionId: string | null;
  apiTokenId: string | null;
  /** The API token's scope: null for sessions and for unscoped tokens (everything the holder can do). */
  tokenScope: TokenScope | null;
  /** The API token's lifetime (expiry minus creation, infinite without expiry): null for sessions. */
  tokenLifetimeMs: number | null;
}

/** How long a token lives from its creation; one made without an expiry (before expiries were required) never ends. */
export const tokenLifetimeMs = (token: { createdAt: Date; expiresAt: Date | null }): number =>
  token.expiresAt ? token.expiresAt.getTime() - token.createdAt.getTime() : Number.POSITIVE_INFINITY;

/**
 * Finds the live session or API token behind a secret, enforcing idle and absolute expiry; an API token records when
 * and from which address (`ip`) it was last used.
 */
export async function authenticate(ctx: AppContext, secret: string, ip: string): Promise<Authenticated | null> {
  const now = ctx.clock.now();
  const tokenHash = hashSecret(secret);
  // A personal token whose checksum does not match is a typo or a forgery: no need to ask the database.
  if (secret.startsWith(PERSONAL_TOKEN_PREFIX) && !isPersonalToken(secret)) return null;
  if (secret.startsWith(API_TOKEN_PREFIX) || secret.startsWith(PERSONAL_TOKEN_PREFIX)) {
    const [row] = await ctx.db
      .select({ user: users, token: apiTokens })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.tokenHash, tokenHash))
      .limit(1);
    if (!row || row.token.revokedAt || (row.token.expiresAt && row.token.expiresAt <= now)) return null;
    const { lastUsedAt, lastUsedIp } = row.token;
    if (!lastUsedAt || lastUsedIp !== ip || now.getTime() - lastUsedAt.getTime() > TOUCH_AFTER_MS) {
      await ctx.db.update(apiTokens).set({ lastUsedAt: now, lastUsedIp: ip }).where(eq(apiTokens.id, row.token.id));
    }
    return {
      user: row.user,
      sessionId: null,
      apiTokenId: row.token.id,
      tokenScope: row.token.scope ? readTokenScope(row.token.scope) : null,
      tokenLifetimeMs: tokenLifetimeMs(row.token),
    };
  }
  if (!secret.startsWith(SESSION_PREFIX)) return null;
  const [row] = await ctx.db
    .select({ user: users, session: sessions })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, now)))
    .limit(1);
  if (!row) return null;
  const idleFor = now.getTime() - row.session.lastSeenAt.getTime();
  if (idleFor > ctx.config.sessionIdleSeconds * 1000) {
    await ctx.db.delete(sessions).where(eq(sessions.id, row.session.id));
    return null;
  }
  if (idleFor > TOUCH_AFTER_MS) {
    await ctx.db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.session.id));
  }
  return { user: row.user, sessionId: row.session.id, apiTokenId: null, tokenScope: null, tokenLifetimeMs: null };
}

/** Ends one session. */
export async function endSession(db: Db, sessionId: string): Promise<void> {
  await db.delete(sessions).where(eq(sessions.id, sessionId));
}

/** Ends every session of a user but `keep` (the one asking, on a password change). */
export async function endOtherSessions(db: Db, userId: string, keep: string | null): Promise<void> {
  await db
    .delete(sessions)
    .where(keep ? and(eq(sessions.userId, userId), ne(sessions.id, keep)) : eq(sessions.userId, userId));
}

/** Ends every way into an account: all its sessions, API tokens and passkeys (a reset, an admin takeover). */
export async function endEveryWayIn(db: Db, userId: string, now: Date): Promise<void> {
  await endOtherSessions(db, userId, null);
  await db
    .update(apiTokens)
    .set({ revokedAt: now })
    .where(and(eq(apiTokens.userId, userId), isNull(apiTokens.revokedAt)));
  // A passkey signs in on its own: one registered by whoever held the account before is a way in too.
  await db.delete(passkeys).where(eq(passkeys.userId, userId));
}
