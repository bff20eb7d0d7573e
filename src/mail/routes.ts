import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { outbox, outboxStatuses } from '../db/schema/index.js';
import { callerOf } from '../http/auth.js';
import { fieldError, problemSchema } from '../http/errors.js';
import { requestMeta } from '../http/request-meta.js';
import { type App, page, pageQuery } from '../http/types.js';
import { retryMail } from './retry.js';
import { redactSecrets } from '../secrets.js';

const mailSchema = z.object({
  id: z.string(),
  kind: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  status: z.enum(outboxStatuses),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});

interface MailFilter {
  to?: string | undefined;
  status?: (typeof outboxStatuses)[number] | undefined;
}

/** A mail list's cursor is the id of the last mail shown; anything else is not ours (400, never page 1 again). */
function mailCursor(cursor: string): number {
  if (!/^\d{1,15}$/.test(cursor)) throw fieldError('cursor', 'is not a cursor from this list');
  return Number(cursor);
}

type OutboxRow = typeof outbox.$inferSelect;

function presentMail(row: OutboxRow, show: (body: string) => string) {
  return {
    id: String(row.id),
    kind: row.kind,
    to: row.toAddress,
    subject: row.subject,
    text: show(row.textBody),
    html: show(row.htmlBody),
    status: row.status,
    attempts: row.attempts,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    sentAt: row.sentAt?.toISOString() ?? null,
  };
}

/** The outbox, newest first; `redact` blanks the single-use links for readers other than the recipients. */
async function listMail(ctx: AppContext, filter: MailFilter, limit: number, cursor: string | undefined, redact: boolean) {
  const show = redact ? redactSecrets : (body: string) => body;
  const conditions = [
    filter.to ? sql`lower(${outbox.toAddress}) = ${filter.to.toLowerCase()}` : undefined,
    filter.status ? eq(outbox.status, filter.status) : undefined,
    cursor === undefined ? undefined : lt(outbox.id, mailCursor(cursor)),
  ];
  const rows = await ctx.db
    .select()
    .from(outbox)
    .where(and(...conditions))
    .orderBy(desc(outbox.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((row) => presentMail(row, show));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}

/** The dev mailbox (only without SMTP) and the admins' view of the outbox, failed mail included. */
export function mailRoutes(app: App, ctx: AppContext): void {
  if (ctx.config.devMailbox) {
    app.get('/api/v1/dev/mail', {
      config: { access: 'public' },
      schema: {
        tags: ['Development'],
        summary: 'The dev mailbox: every mail the product sent, newest first (only without SMTP_URL, on a loopback address or with DEV_MAILBOX=on)',
        querystring: z.strictObject({ to: z.string().max(254).optional(), ...pageQuery }),
        response: { 200: page(mailSchema), 400: problemSchema },
      },
      handler: async (request) => listMail(ctx, { to: request.query.to }, request.query.limit, request.query.cursor, false),
    });
  }

  app.get('/api/v1/admin/mail', {
    config: { access: 'admin' },
    schema: {
      tags: ['Admin'],
      summary: 'The mail outbox with delivery status and last error (platform admins); single-use links are blanked',
      querystring: z.strictObject({ to: z.string().max(254).optional(), status: z.enum(outboxStatuses).optional(), ...pageQuery }),
      response: { 200: page(mailSchema), 400: problemSchema, 401: problemSchema, 403: problemSchema },
    },
    handler: async (request) => listMail(ctx, request.query, request.query.limit, request.query.cursor, true),
  });

  app.post('/api/v1/admin/mail/:id/retry', {
    config: { access: 'admin' },
    schema: {
      tags: ['Admin'],
      summary: 'Send a failed mail again, with a fresh retry window (platform admins)',
      params: z.strictObject({ id: z.string().regex(/^\d{1,15}$/, 'must be a mail id') }),
      response: { 200: mailSchema, 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema },
    },
    handler: async (request) => {
      const row = await retryMail(ctx, requestMeta(request), callerOf(request), Number(request.params.id));
      return presentMail(row, redactSecrets);
    },
  });
}
