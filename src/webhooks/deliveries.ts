import { and, desc, eq, lt, ne } from 'drizzle-orm';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { webhookDeliveries } from '../db/schema/index.js';
import { fieldError, invalidState, notFound } from '../http/errors.js';
import { findEndpoint, type WebhookScope } from './endpoints.js';

type DeliveryRow = typeof webhookDeliveries.$inferSelect;

/** A delivery as the log shows it: the event, where its attempts stand and what the last one got back. */
export function presentDelivery(row: DeliveryRow) {
  return {
    id: String(row.id),
    eventId: row.eventId,
    type: row.type,
    attempt: row.attempts,
    status: row.status,
    responseCode: row.responseCode,
    durationMs: row.durationMs,
    responseExcerpt: row.responseExcerpt,
    error: row.lastError,
    at: (row.lastAttemptAt ?? row.createdAt).toISOString(),
    occurredAt: row.occurredAt.toISOString(),
    nextAttemptAt: row.status === 'pending' ? row.nextAttemptAt.toISOString() : null,
  };
}

const cursorId = (cursor: string | undefined) => {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,15}$/.test(cursor)) throw fieldError('querystring.cursor', 'is not a cursor from this list');
  return Number(cursor);
};

/** An endpoint's deliveries, newest first. */
export async function listDeliveries(ctx: AppContext, scope: WebhookScope, endpointId: string, limit: number, cursor: string | undefined) {
  const endpoint = await findEndpoint(ctx.db, scope, endpointId);
  const before = cursorId(cursor);
  const rows = await ctx.db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.endpointId, endpoint.id), before === undefined ? undefined : lt(webhookDeliveries.id, before)))
    .orderBy(desc(webhookDeliveries.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit).map(presentDelivery);
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}

/**
 * Sends a delivery again, now, with the same `webhook-id` (receivers deduplicate on it) and a fresh retry schedule.
 * A delivery still queued is a 409; so is one to a disabled endpoint (enable it first).
 */
export async function redeliver(ctx: AppContext, scope: WebhookScope, endpointId: string, deliveryId: string) {
  const id = /^\d{1,15}$/.test(deliveryId) ? Number(deliveryId) : undefined;
  if (id === undefined) throw notFound('delivery');
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const endpoint = await findEndpoint(tx, scope, endpointId);
    if (!endpoint.enabled) throw invalidState('This endpoint is disabled: enable it before redelivering to it.');
    const [found] = await tx
      .select()
      .from(webhookDeliveries)
      .where(and(eq(webhookDeliveries.id, id), eq(webhookDeliveries.endpointId, endpoint.id)))
      .for('update');
    if (!found) throw notFound('delivery');
    if (found.status === 'pending') throw invalidState('This delivery is still queued: it goes out on its own.');
    const [queued] = await tx
      .update(webhookDeliveries)
      .set({ status: 'pending', failures: 0, nextAttemptAt: now, lockedUntil: null, claim: null })
      .where(and(eq(webhookDeliveries.id, found.id), ne(webhookDeliveries.status, 'pending')))
      .returning();
    if (!queued) throw invalidState('This delivery is already queued again.');
    await recordAudit(tx, {
      at: now,
      actor: scope.caller.user,
      ownerId: scope.account.owner.id,
      action: 'webhook.redeliver',
      targetType: 'webhook',
      targetId: endpoint.id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: { deliveryId: String(found.id), eventId: found.eventId, type: found.type },
    });
    return queued;
  });
  ctx.wake.webhooks();
  return presentDelivery(row);
}
