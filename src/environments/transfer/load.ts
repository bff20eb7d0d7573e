import { and, desc, eq, or, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { environmentTransfers, users } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
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

const giver = alias(users, 'giver');
const recipient = alias(users, 'recipient');

/** Transfers the user gives or receives matching `where`, newest first, as it sees them. */
export async function transfersOf(db: Db, userId: string, now: Date, where?: SQL, limit = 200): Promise<TransferView[]> {
  const rows = await db
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
  return rows.map(({ transfer, from, to }) => ({
    id: transfer.id,
    environment: { id: transfer.environmentId, name: transfer.environmentName },
    from,
    to,
    status: statusAt(transfer, now),
    direction: transfer.toId === userId ? 'incoming' : 'outgoing',
    createdAt: transfer.createdAt.toISOString(),
    expiresAt: transfer.expiresAt.toISOString(),
    decidedAt: transfer.decidedAt?.toISOString() ?? null,
  }));
}

/** One transfer as the user sees it (it gives or receives it). */
export async function transferView(db: Db, userId: string, id: string, now: Date): Promise<TransferView> {
  const [view] = await transfersOf(db, userId, now, eq(environmentTransfers.id, id), 1);
  if (!view) throw notFound('transfer');
  return view;
}
