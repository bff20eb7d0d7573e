import { z } from 'zod';
import { personLabel } from '../access/load/people.js';
import type { AppContext } from '../context.js';
import { auditOutcomes } from '../db/schema/index.js';
import { callerOf } from '../http/auth.js';
import { fieldError, problemSchema } from '../http/errors.js';
import { type App, instant, page, pageQuery } from '../http/types.js';
import { exportAudit, exportFormats } from './export.js';
import { listAudit } from './list.js';

const idString = z.string().min(1).max(100);

const auditEventSchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actorId: z.string().nullable(),
    actorEmail: z.string().nullable(),
    actorName: z.string().nullable().describe("The actor's account name; null for the platform"),
    actorLabel: personLabel.nullable().describe("How the caller names the actor: in the owner's own log, the owner's alias for a member, else the account name; null for the platform"),
    ownerId: z.string().nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    outcome: z.enum(auditOutcomes),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()).nullable().optional().describe("Only in the owner's own log"),
  })
  .describe('Who did what on whose account, and how it ended');

/** The audit log: an owner's whole account, or a member's own actions in an owner's account. */
export function auditRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/audit', {
    config: { access: 'activeAccount' },
    schema: {
      tags: ['Audit'],
      summary: 'The audit log, newest first',
      description:
        'Without `ownerId` (or with your own id): your account\'s whole log, members\' actions on your environments ' +
        'included. With another owner\'s id: only your own actions in that account, while you are an active member.',
      querystring: z.strictObject({
        ownerId: idString.optional(),
        environmentId: idString.optional(),
        actorId: idString.optional(),
        action: z.string().min(1).max(100).optional().describe('An exact action, or a prefix ending in * (environment.*)'),
        outcome: z.enum(auditOutcomes).optional(),
        from: instant.optional(),
        to: instant.optional(),
        ...pageQuery,
      }),
      response: { 200: page(auditEventSchema), 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema },
    },
    handler: async (request) => {
      const { from, to, ...rest } = request.query;
      return listAudit(ctx, callerOf(request), { ...rest, ...period(from, to) });
    },
  });

  app.get('/api/v1/audit/export', {
    config: { access: 'activeAccount' },
    schema: {
      tags: ['Audit'],
      summary: 'The audit log as a download, oldest first: ndjson (one event per line) or CSV, streamed',
      description:
        'The same events `GET /api/v1/audit` would page through for the same filters and caller (an owner: the ' +
        "account's whole log; a member: its own actions in the owner's account), streamed with constant memory. " +
        'It ends at the newest event when the export began.',
      querystring: z.strictObject({
        format: z.enum(exportFormats).default('ndjson'),
        ownerId: idString.optional(),
        environmentId: idString.optional(),
        actorId: idString.optional(),
        action: z.string().min(1).max(100).optional(),
        outcome: z.enum(auditOutcomes).optional(),
        from: instant.optional(),
        to: instant.optional(),
      }),
      response: {
        200: z.string().describe('application/x-ndjson: one audit event (as in GET /audit) per line; text/csv: a header row, then one row per event'),
        400: problemSchema,
        401: problemSchema,
        403: problemSchema,
        404: problemSchema,
      },
    },
    handler: async (request, reply) => {
      const { format, from, to, ...rest } = request.query;
      const stream = await exportAudit(ctx, callerOf(request), { ...rest, ...period(from, to) }, format);
      const day = ctx.clock.now().toISOString().slice(0, 10);
      return reply
        .header('content-type', format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="audit-${day}.${format}"`)
        .header('cache-control', 'no-store')
        // A stream is piped as it is, never serialized: the 200 schema above documents what it carries.
        .send(stream as unknown as string);
    },
  });
}

/** `from` and `to` as times, `from` strictly first. */
function period(from: string | undefined, to: string | undefined): { from: Date | undefined; to: Date | undefined } {
  if (from && to && new Date(from).getTime() >= new Date(to).getTime()) throw fieldError('querystring.from', 'must be before to');
  return { from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
}
