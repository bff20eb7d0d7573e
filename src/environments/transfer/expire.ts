import { and, asc, eq, lte, type SQL } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { environmentTransfers, users } from '../../db/schema/index.js';
import { transferExpiredNotice } from './notices.js';
import { tellTransfer } from './tell.js';

const BATCH = 50;

/**
 * Settles, in the caller's transaction, pending transfers whose 7 days ran out (all of them, or those of one
 * environment): each is marked `expired` at its deadline (it already reads so then, statusAt), the owner who asked is
 * told that nothing changed hands, and the expiry is audited in its account. Rows are claimed with FOR UPDATE SKIP
 * LOCKED, so any number of nodes settle each transfer once.
 */
export async function expireTransfersIn(tx: Db, ctx: AppContext, now: Date, environmentId?: string): Promise<number> {
  const where: SQL[] = [eq(environmentTransfers.status, 'pending'), lte(environmentTransfers.expiresAt, now)];
  if (environmentId) where.push(eq(environmentTransfers.environmentId, environmentId));
  const due = await tx
    .select()
    .from(environmentTransfers)
    .where(and(...where))
    .orderBy(asc(environmentTransfers.expiresAt))
    .limit(BATCH)
    .for('update', { skipLocked: true });
  for (const transfer of due) {
    await tx.update(environmentTransfers).set({ status: 'expired', decidedAt: transfer.expiresAt }).where(eq(environmentTransfers.id, transfer.id));
    const [from] = await tx.select().from(users).where(eq(users.id, transfer.fromId));
    const [to] = await tx.select().from(users).where(eq(users.id, transfer.toId));
    if (from && to) await tellTransfer(tx, ctx, from, transferExpiredNotice({ environment: { id: transfer.environmentId, name: transfer.environmentName }, from, to }));
    await recordAudit(tx, {
      at: now,
      actor: null,
      ownerId: transfer.fromId,
      action: 'environment.transfer_expire',
      targetType: 'environment',
      targetId: transfer.environmentId,
      outcome: 'ok',
      details: { transferId: transfer.id, toId: transfer.toId, expiredAt: transfer.expiresAt.toISOString() },
    });
  }
  return due.length;
}

/** The worker's pass: settles expired transfers in batches, in their own transaction, and wakes the mailer. */
export async function expireTransfers(ctx: AppContext): Promise<number> {
  const settled = await ctx.db.transaction((tx) => expireTransfersIn(tx, ctx, ctx.clock.now()));
  if (settled > 0) ctx.wake.mail();
  return settled;
}
