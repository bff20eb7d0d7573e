import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { users, webhookEndpoints } from '../db/schema/index.js';
import { enqueueMail } from '../mail/outbox.js';

/**
 * Disables an endpoint that has failed every attempt since `failingSince`, and mails its owner (through the outbox,
 * in the same transaction). Only the node that flips it from enabled writes the mail, so the owner gets one.
 */
export async function disableFailingEndpoint(ctx: AppContext, endpointId: string, failingSince: Date): Promise<void> {
  const now = ctx.clock.now();
  const reason = `Every delivery failed since ${failingSince.toISOString()}.`;
  const disabled = await ctx.db.transaction(async (tx) => {
    const [endpoint] = await tx
      .update(webhookEndpoints)
      .set({ enabled: false, disabledReason: reason, updatedAt: now })
      .where(and(eq(webhookEndpoints.id, endpointId), eq(webhookEndpoints.enabled, true)))
      .returning();
    if (!endpoint) return false;
    const [owner] = await tx.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, endpoint.ownerId));
    if (!owner) return false;
    await recordAudit(tx, {
      at: now,
      actor: null,
      ownerId: owner.id,
      action: 'webhook.disable',
      targetType: 'webhook',
      targetId: endpoint.id,
      outcome: 'ok',
      details: { reason },
    });
    await enqueueMail(tx, ctx.clock, owner.email, 'webhook.disabled', {
      subject: 'A webhook endpoint was disabled',
      greeting: 'Hello,',
      paragraphs: [
        `Shareplane disabled your webhook endpoint ${endpoint.description || endpoint.id}: every delivery to it has failed for a day (${reason}).`,
        'Deliveries wait while it is disabled. Fix the endpoint, enable it again under Account settings → Webhooks, and redeliver what it missed.',
      ],
      action: { label: 'Open webhooks', url: `${ctx.config.publicUrl}/settings/webhooks` },
      footnote: 'You get this mail because you own this Shareplane account.',
    });
    return true;
  });
  if (disabled) ctx.wake.mail();
}
