import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { rawRows } from '../db/raw.js';
import { subscriptionsMatching } from './events.js';

export interface WebhookEvent {
  ownerId: string;
  type: string;
  at: Date;
  data: Record<string, unknown>;
}

/** A Standard Webhooks message id: unique per event, the same for every endpoint, attempt and redelivery. */
const newEventId = () => `msg_${randomBytes(16).toString('base64url')}`;

/**
 * Queues one delivery of an event to each enabled endpoint of its owner subscribed to it, in the caller's
 * transaction: the event and its deliveries commit together or not at all. One statement (an insert from a select),
 * so it costs one round trip whether or not the owner has endpoints. Returns how many deliveries it queued.
 */
export async function enqueueWebhookEvent(db: Db, event: WebhookEvent): Promise<number> {
  const at = event.at.toISOString();
  const matching = sql.join(
    subscriptionsMatching(event.type).map((entry) => sql`${entry}`),
    sql`, `,
  );
  const rows = await rawRows<{ id: number }>(
    db,
    sql`insert into webhook_deliveries (endpoint_id, event_id, type, data, occurred_at, next_attempt_at, created_at)
        select id, ${newEventId()}, ${event.type}, ${JSON.stringify(event.data)}::jsonb, ${at}::timestamptz, ${at}::timestamptz, ${at}::timestamptz
        from webhook_endpoints
        where owner_id = ${event.ownerId} and enabled and events && array[${matching}]::text[]
        returning id`,
  );
  return rows.length;
}
