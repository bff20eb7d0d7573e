import { and, eq, lt, or, type SQL } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import { fieldError } from './errors.js';

/** A position in a list ordered by (time desc, id desc): stable under inserts, unlike offsets. */
export interface TimeCursor {
  at: Date;
  id: string;
}

/** Encodes the position after `last` as an opaque base64url string. */
export function encodeCursor(last: TimeCursor): string {
  return Buffer.from(`${last.at.toISOString()}|${last.id}`).toString('base64url');
}

/** Decodes a cursor from a query string; a cursor that is not ours is a 400, never a silent first page. */
export function decodeCursor(cursor: string | undefined): TimeCursor | undefined {
  if (cursor === undefined) return undefined;
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const separator = text.indexOf('|');
  const at = new Date(text.slice(0, separator));
  const id = text.slice(separator + 1);
  // Our cursors hold times the database wrote; anything outside years 1970–9999 is forged (and would be a 500 there).
  const year = at.getUTCFullYear();
  if (separator < 0 || Number.isNaN(at.getTime()) || year < 1970 || year > 9999 || id.length === 0 || id.length > 100) {
    throw fieldError('cursor', 'is not a cursor from this list');
  }
  return { at, id };
}

/** The condition "after the cursor" for a list ordered by (timeColumn desc, idColumn desc). */
export function afterCursor(timeColumn: PgColumn, idColumn: PgColumn, cursor: TimeCursor | undefined): SQL | undefined {
  if (!cursor) return undefined;
  return or(lt(timeColumn, cursor.at), and(eq(timeColumn, cursor.at), lt(idColumn, cursor.id)));
}

/** Cuts a page fetched with limit + 1 rows and computes its next cursor. */
export function pageOf<Row>(rows: Row[], limit: number, position: (row: Row) => TimeCursor): { rows: Row[]; nextCursor: string | null } {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { rows: kept, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(position(last)) : null };
}
