import { and, desc, eq, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { outbox, outboxStatuses } from '../db/schema/index.js';
import { problemSchema } from '../http/errors.js';
import { type App, page, pageQuery } from '../http/types.js';
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

/** The outbox, newest first; `redact` blanks the single-use links for readers other than the recipients. */
async function listMail(ctx: AppContext, filter: MailFilter, limit: number, cursor: string | undefined, redact: boolean) {
  const show = redact ? redactSecrets : (body: string) => body;
  const conditions = [
    filter.to ? sql`lower(${outbox.toAddress}) = ${filter.to.toLowerCase()}` : undefined,
    filter.status ? eq(outbox.status, filter.status) : undefined,
    cursor && /^\d+$/.test(cursor) ? lt(outbox.id, Number(cursor)) : undefined,
  ];
  const rows = await ctx.db
    .select()
    .from(outbox)
    .where(and(...conditions))
    .orderBy(desc(outbox.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map((row) => ({
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
  }));
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
}
