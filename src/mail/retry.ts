import { and, eq } from 'drizzle-orm';
import type { Caller } from '../accounts/caller.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { outbox } from '../db/schema/index.js';
import { invalidState, notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { MAIL_RETRY_WINDOW_MS } from './outbox.js';

/** A platform admin sends a failed mail again: due now, with a fresh retry window. Sent and queued mail is a 409. */
export async function retryMail(ctx: AppContext, meta: RequestMeta, caller: Caller, id: number) {
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const [found] = await tx.select({ status: outbox.status }).from(outbox).where(eq(outbox.id, id));
    if (!found) throw notFound('mail');
    if (found.status !== 'failed') throw invalidState(`This mail is ${found.status}: only a failed mail can be retried.`);
    const [retried] = await tx
      .update(outbox)
      .set({ status: 'pending', nextAttemptAt: now, giveUpAt: new Date(now.getTime() + MAIL_RETRY_WINDOW_MS), lockedUntil: null, claim: null })
      .where(and(eq(outbox.id, id), eq(outbox.status, 'failed')))
      .returning();
    if (!retried) throw invalidState('This mail is no longer failed.');
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: caller.user.id,
      action: 'mail.retry',
      targetType: 'mail',
      targetId: String(id),
      outcome: 'ok',
      requestId: meta.requestId,
      details: { kind: retried.kind },
    });
    return retried;
  });
  ctx.wake.mail();
  return row;
}
