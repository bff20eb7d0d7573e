import { eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { environmentTransfers, users } from '../../db/schema/index.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { notFound } from '../../http/errors.js';
import { loadTransferAs, transferView } from './load.js';
import { transferCancelledNotice, transferDeclinedNotice } from './notices.js';
import { assertPending, assertUnscoped } from './pending.js';
import type { TransferView } from './schemas.js';
import { tellTransfer } from './tell.js';

/**
 * Closes a pending transfer without a hand-over: the recipient declines it (the giver is told) or the giver cancels
 * it (the recipient is told). Audited in the giver's account, where the environment stays.
 */
async function closeTransfer(ctx: AppContext, caller: Caller, meta: RequestMeta, id: string, how: 'decline' | 'cancel'): Promise<TransferView> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const transfer = await loadTransferAs(tx, id, caller.user.id, how === 'decline' ? 'to' : 'from', true);
    assertUnscoped(caller);
    assertPending(transfer, now);
    await tx
      .update(environmentTransfers)
      .set({ status: how === 'decline' ? 'declined' : 'cancelled', decidedAt: now })
      .where(eq(environmentTransfers.id, transfer.id));
    const [from] = await tx.select().from(users).where(eq(users.id, transfer.fromId));
    const [to] = await tx.select().from(users).where(eq(users.id, transfer.toId));
    if (!from || !to) throw notFound('transfer');
    const about = { environment: { id: transfer.environmentId, name: transfer.environmentName }, from, to };
    if (how === 'decline') await tellTransfer(tx, ctx, from, transferDeclinedNotice(about));
    else await tellTransfer(tx, ctx, to, transferCancelledNotice(about));
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: transfer.fromId,
      action: `environment.transfer_${how}`,
      targetType: 'environment',
      targetId: transfer.environmentId,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { transferId: transfer.id, toId: transfer.toId },
    });
  });
  ctx.wake.mail();
  return transferView(ctx.db, caller.user.id, id, now);
}

/** The recipient declines: the environment stays where it is. */
export const declineTransfer = (ctx: AppContext, caller: Caller, meta: RequestMeta, id: string) => closeTransfer(ctx, caller, meta, id, 'decline');

/** The giver withdraws its request before the recipient answers. */
export const cancelTransfer = (ctx: AppContext, caller: Caller, meta: RequestMeta, id: string) => closeTransfer(ctx, caller, meta, id, 'cancel');
