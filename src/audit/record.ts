import type { Db } from '../db/client.js';
import { type AuditOutcome, auditEvents } from '../db/schema/index.js';
import { enqueueWebhookEvent } from '../webhooks/enqueue.js';
import { webhookTypeOf } from '../webhooks/events.js';

export interface AuditEntry {
  at: Date;
  actor: { id: string; email: string } | null;
  /** The account whose resource was touched; for account-level events, the actor's own. */
  ownerId: string | null;
  /** `resource.verb`, e.g. `environment.stop`, `share.create`, `account.login`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  outcome: AuditOutcome;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

/**
 * Writes one audit event, and queues it for the owner's webhook endpoints subscribed to it; call it inside the
 * transaction of the change it records, so the event, its deliveries and the change commit together.
 */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  const [event] = await db.insert(auditEvents).values({
    at: entry.at,
    actorId: entry.actor?.id ?? null,
    actorEmail: entry.actor?.email ?? null,
    ownerId: entry.ownerId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome,
    requestId: entry.requestId ?? null,
    details: entry.details ?? null,
  }).returning({ id: auditEvents.id });
  const type = webhookTypeOf(entry.action, entry.outcome, entry.actor !== null);
  if (!event || type === null || entry.ownerId === null) return;
  await enqueueWebhookEvent(db, {
    ownerId: entry.ownerId,
    type,
    at: entry.at,
    data: {
      auditEventId: String(event.id),
      action: entry.action,
      outcome: entry.outcome,
      actor: entry.actor ? { id: entry.actor.id, email: entry.actor.email } : null,
      target: { type: entry.targetType, id: entry.targetId ?? null },
      requestId: entry.requestId ?? null,
      details: entry.details ?? {},
    },
  });
}
