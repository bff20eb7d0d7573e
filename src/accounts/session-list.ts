import { and, desc, eq, gt, ne } from 'drizzle-orm';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { sessions } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import type { Caller } from './caller.js';
import { deviceOf } from './device.js';

/** Most sessions a person has at once in practice; the list shows the newest this many. */
const LIST_LIMIT = 200;

/** The caller's live sessions, newest first: device, address, when started and last seen, and which is this one. */
export async function listSessions(ctx: AppContext, caller: Caller) {
  const now = ctx.clock.now();
  const idleSince = new Date(now.getTime() - ctx.config.sessionIdleSeconds * 1000);
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, caller.user.id), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, idleSince)))
    .orderBy(desc(sessions.createdAt), desc(sessions.id))
    .limit(LIST_LIMIT);
  return {
    items: rows.map((row) => ({
      id: row.id,
      device: deviceOf(row.userAgent),
      userAgent: row.userAgent,
      ip: row.ip,
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: row.lastSeenAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      current: row.id === caller.sessionId,
    })),
  };
}

async function auditEnd(ctx: AppContext, db: Parameters<typeof recordAudit>[0], meta: RequestMeta, caller: Caller, targetId: string | null, details: Record<string, unknown>) {
  await recordAudit(db, {
    at: ctx.clock.now(),
    actor: caller.user,
    ownerId: caller.user.id,
    action: 'account.session.end',
    targetType: 'session',
    targetId,
    outcome: 'ok',
    requestId: meta.requestId,
    details,
  });
}

/** Ends one of the caller's sessions (this one included: that signs out); another person's is a 404. */
export async function endOneSession(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const ended = await tx
      .delete(sessions)
      .where(and(eq(sessions.id, id), eq(sessions.userId, caller.user.id)))
      .returning({ id: sessions.id });
    if (ended.length === 0) throw notFound('session');
    await auditEnd(ctx, tx, meta, caller, id, { current: id === caller.sessionId });
  });
}

/** Ends every session of the caller but the one asking; answers how many ended. */
export async function endOtherSessionsOf(ctx: AppContext, meta: RequestMeta, caller: Caller): Promise<number> {
  return ctx.db.transaction(async (tx) => {
    const others = caller.sessionId ? and(eq(sessions.userId, caller.user.id), ne(sessions.id, caller.sessionId)) : eq(sessions.userId, caller.user.id);
    const ended = await tx.delete(sessions).where(others).returning({ id: sessions.id });
    await auditEnd(ctx, tx, meta, caller, null, { others: ended.length });
    return ended.length;
  });
}
