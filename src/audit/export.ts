import { Readable } from 'node:stream';
import { and, asc, gt, lte, max } from 'drizzle-orm';
import type { Caller } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import { auditEvents } from '../db/schema/index.js';
import { type AuditFilter, type AuditItem, auditScope, presentAuditEvent } from './list.js';

export const exportFormats = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof exportFormats)[number];

/** Rows read per query: the most the export holds in memory at once, whatever the log's size. */
const BATCH = 1000;

const COLUMNS = ['id', 'at', 'actorId', 'actorEmail', 'ownerId', 'action', 'targetType', 'targetId', 'outcome', 'requestId', 'details'] as const;

/**
 * One CSV cell (RFC 4180). Text a spreadsheet would run as a formula (=, +, -, @, tab, carriage return first) is
 * prefixed with a quote, so an exported actor email or reason can never execute in the reader's spreadsheet.
 */
function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function line(item: AuditItem, format: ExportFormat): string {
  if (format === 'ndjson') return `${JSON.stringify(item)}\n`;
  return `${COLUMNS.map((column) => csvCell(item[column])).join(',')}\r\n`;
}

/**
 * The audit events a caller may read (the same rule as the log), oldest first, as a stream of ndjson or CSV lines.
 * It reads the log in keyset batches of BATCH rows and produces the next batch only when the client has taken the
 * last one, so memory stays flat however many events there are. Events written after the export began are not in
 * it: it ends at the newest event it saw when it started.
 */
export async function exportAudit(ctx: AppContext, caller: Caller, filter: Omit<AuditFilter, 'limit' | 'cursor'>, format: ExportFormat): Promise<Readable> {
  const { where, isOwner } = await auditScope(ctx, caller, filter);
  const [bound] = await ctx.db.select({ last: max(auditEvents.id) }).from(auditEvents).where(where);
  const last = bound?.last ?? 0;
  async function* lines(): AsyncGenerator<string> {
    if (format === 'csv') yield `${COLUMNS.join(',')}\r\n`;
    let after = 0;
    while (after < last) {
      const rows = await ctx.db
        .select()
        .from(auditEvents)
        .where(and(where, gt(auditEvents.id, after), lte(auditEvents.id, last)))
        .orderBy(asc(auditEvents.id))
        .limit(BATCH);
      if (rows.length === 0) return;
      yield rows.map((row) => line(presentAuditEvent(row, isOwner), format)).join('');
      after = rows.at(-1)?.id ?? last;
    }
  }
  return Readable.from(lines(), { objectMode: false, highWaterMark: 64 * 1024 });
}
