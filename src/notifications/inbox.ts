import { and, count, desc, eq, isNull } from 'drizzle-orm';
import type { Caller } from '../accounts/caller.js';
import { afterCursor, decodeCursor, pageOf } from '../http/page-cursor.js';
import type { AppContext } from '../context.js';
import { notifications } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';

type Row = typeof notifications.$inferSelect;

/** A notification as the bell shows it. */
export function presentNotification(row: Row) {
  return {
    id: row.id,
    type: row.type,
    title: row.title,
    body: row.body,
    link: row.link,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  };
}

async function unreadCount(ctx: AppContext, userId: string): Promise<number> {
  const [row] = await ctx.db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return Number(row?.n ?? 0);
}

/** The caller's notifications, newest first, and how many are unread. */
export async function listNotifications(ctx: AppContext, caller: Caller, options: { limit: number; cursor?: string | undefined; unread?: boolean | undefined }) {
  const userId = caller.user.id;
  const rows = await ctx.db
    .select()
    .from(notifications)
    .where(
      and(
        eq(notifications.userId, userId),
        options.unread ? isNull(notifications.readAt) : undefined,
        afterCursor(notifications.createdAt, notifications.id, decodeCursor(options.cursor)),
      ),
    )
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit + 1);
  const page = pageOf(rows, options.limit, (row) => ({ at: row.createdAt, id: row.id }));
  return { items: page.rows.map(presentNotification), nextCursor: page.nextCursor, unreadCount: await unreadCount(ctx, userId) };
}

/** Marks one of the caller's notifications read (once: a second call keeps the first time). */
export async function markRead(ctx: AppContext, caller: Caller, id: string) {
  const mine = and(eq(notifications.id, id), eq(notifications.userId, caller.user.id));
  await ctx.db
    .update(notifications)
    .set({ readAt: ctx.clock.now() })
    .where(and(mine, isNull(notifications.readAt)));
  const [row] = await ctx.db.select().from(notifications).where(mine).limit(1);
  if (!row) throw notFound('notification');
  return presentNotification(row);
}

/** Marks every unread notification of the caller read. */
export async function markAllRead(ctx: AppContext, caller: Caller) {
  const marked = await ctx.db
    .update(notifications)
    .set({ readAt: ctx.clock.now() })
    .where(and(eq(notifications.userId, caller.user.id), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { marked: marked.length, unreadCount: 0 };
}
