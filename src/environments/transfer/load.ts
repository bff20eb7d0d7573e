import { and, desc, eq, gt, lte, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { environmentTransfers, type TransferStatus, users } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';
import type { TransferView } from './schemas.js';

export type TransferRow = typeof environmentTransfers.$inferSelect;

/** A pending transfer whose 7 days ran out reads as expired, before any job notices. */
export function statusAt(row: Pick<TransferRow, 'status' | 'expiresAt'>, now: Date): TransferRow['status'] {
  return row.status === 'pending' && row.expiresAt.getTime() <= now.getTime() ? 'expired' : row.status;
}

/**
 * The transfer `id` as `side` of it (`to`: the recipient, `from`: the giver), locked for the transaction when asked.
 * Anyone else gets the same 404 as for an unknown id.
 */
export async function loadTransferAs(tx: Db, id: string, userId: string, side: 'to' | 'from', lock = false): Promise<TransferRow> {
  const mine = side === 'to' ? eq(environmentTransfers.toId, userId) : eq(environmentTransfers.fromId, userId);
  const query = tx.select().from(environmentTransfers).where(and(eq(environmentTransfers.id, id), mine));
  const [row] = lock ? await query.for('update') : await query;
  if (!row) throw notFound('transfer');
  return row;
}

/** The SQL condition of a status as `statusAt` reads it. */
export function hasStatus(status: TransferStatus, now: Date): SQL | undefined {
  if (status === 'pending') return and(eq(environmentTransfers.status, 'pending'), gt(environmentTransfers.expiresAt, now));
  if (status === 'expired') return or(eq(environmentTransfers.status, 'expired'), and(eq(environmentTransfers.status, 'pending'), lte(environmentTransfers.expiresAt, now)));
  return eq(environmentTransfers.status, status);
}

const giver = alias(users, 'giver');
const recipient = alias(users, 'recipient');

async function transferRows(db: Db, userId: string, where: SQL | undefined, limit: number) {
  return db
    .select({
      transfer: environmentTransfers,
      from: { id: giver.id, name: giver.name, email: giver.email },
      to: { id: recipient.id, name: recipient.name, email: recipient.email },
    })
    .from(environmentTransfers)
    .innerJoin(giver, eq(giver.id, environmentTransfers.fromId))
    .innerJoin(recipient, eq(recipient.id, environmentTransfers.toId))
    .where(and(or(eq(environmentTransfers.fromId, userId), eq(environmentTransfers.toId, userId)), where))
    .orderBy(desc(environmentTransfers.createdAt), desc(environmentTransfers.id))
    .limit(limit);
}

type Row = Awaited<ReturnType<typeof transferRows>>[number];

function present({ transfer, from, to }: Row, userId: string, now: Date): TransferView {
  return {
    id: transfer.id,
    environment: { id: transfer.environmentId, name: transfer.environmentName },
    from,
    to,
    status: statusAt(transfer, now),
    direction: transfer.toId === userId ? 'incoming' : 'outgoing',
    createdAt: transfer.createdAt.toISOString(),
    expiresAt: transfer.expiresAt.toISOString(),
    decidedAt: transfer.decidedAt?.toISOString() ?? null,
  };
}

/** One page of the transfers the user gives or receives matching `where`, newest first, as it sees them. */
export async function transfersOf(db: Db, userId: string, now: Date, where: SQL | undefined, page: { limit: number; cursor: string | undefined }) {
  const rows = await transferRows(db, userId, and(where, afterCursor(environmentTransfers.createdAt, environmentTransfers.id, decodeCursor(page.cursor))), page.limit + 1);
  const cut = pageOf(rows, page.limit, (row) => ({ at: row.transfer.createdAt, id: row.transfer.id }));
  return { items: cut.rows.map((row) => present(row, userId, now)), nextCursor: cut.nextCursor };
}

/** One transfer as the user sees it (it gives or receives it). */
export async function transferView(db: Db, userId: string, id: string, now: Date): Promise<TransferView> {
  const [row] = await transferRows(db, userId, eq(environmentTransfers.id, id), 1);
  if (!row) throw notFound('transfer');
  return present(row, userId, now);
}
