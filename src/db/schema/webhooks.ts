import { bigserial, boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ts } from './columns.js';
import { users } from './accounts.js';

/** An owner's webhook endpoint: where the account's events are posted, signed with the endpoint's secret. */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: id(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    /** Event types (`share.create`), prefixes (`share.*`) or `*`. */
    events: text('events').array().notNull(),
    enabled: boolean('enabled').notNull().default(true),
    /**
     * The Standard Webhooks signing secret (`whsec_…`). Signing needs the key itself, so it is kept, never returned
     * after creation or rotation, and never logged.
     */
    secret: text('secret').notNull(),
    /** After a rotation the old secret also signs until then, so receivers can switch without missing a delivery. */
    previousSecret: text('previous_secret'),
    previousSecretUntil: ts('previous_secret_until'),
    /** The first failure since the last success: an endpoint failing for a day is disabled. */
    failingSince: ts('failing_since'),
    disabledReason: text('disabled_reason'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull().defaultNow(),
  },
  (t) => [index('webhook_endpoints_owner_idx').on(t.ownerId)],
);

export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/**
 * One event for one endpoint: the durable queue row, written in the transaction of the event, and its last attempt.
 * The unique (endpoint, event) key makes a second delivery of one event to one endpoint impossible.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    /** The Standard Webhooks message id (`webhook-id`), the same on every attempt and redelivery. */
    eventId: text('event_id').notNull(),
    type: text('type').notNull(),
    /** The body's `data`, fixed when the event happened. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    occurredAt: ts('occurred_at').notNull(),
    status: text('status', { enum: webhookDeliveryStatuses }).notNull().default('pending'),
    /** Attempts made, redeliveries included. */
    attempts: integer('attempts').notNull().default(0),
    /** Failed attempts since the last redelivery: where the retry schedule stands. */
    failures: integer('failures').notNull().default(0),
    nextAttemptAt: ts('next_attempt_at').notNull(),
    lockedUntil: ts('locked_until'),
    /** The claim of the node delivering it now: its outcome is recorded only while this still matches. */
    claim: text('claim'),
    responseCode: integer('response_code'),
    durationMs: integer('duration_ms'),
    responseExcerpt: text('response_excerpt'),
    lastError: text('last_error'),
    lastAttemptAt: ts('last_attempt_at'),
    deliveredAt: ts('delivered_at'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('webhook_deliveries_event_idx').on(t.endpointId, t.eventId),
    index('webhook_deliveries_due_idx').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_endpoint_idx').on(t.endpointId, t.id),
  ],
);
