import { sql } from 'drizzle-orm';
import { index, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ts } from './columns.js';
import { users } from './accounts.js';
import { environments } from './environments.js';

export const transferStatuses = ['pending', 'accepted', 'declined', 'cancelled', 'expired'] as const;
export type TransferStatus = (typeof transferStatuses)[number];

/**
 * An owner's request to hand one environment to another account, and its outcome. Accepted rows are the
 * environment's ownership history: metering charges each hour to whoever owned the environment when it started.
 */
export const environmentTransfers = pgTable(
  'environment_transfers',
  {
    id: id(),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    /** The environment's name when asked, for lists after it is renamed or deleted. */
    environmentName: text('environment_name').notNull(),
    fromId: text('from_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    toId: text('to_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: transferStatuses }).notNull(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    /** When it was accepted, declined, cancelled or found expired; for an accepted one, the hand-over instant. */
    decidedAt: ts('decided_at'),
  },
  (t) => [
    // One open request per environment at a time.
    uniqueIndex('environment_transfers_pending_key').on(t.environmentId).where(sql`${t.status} = 'pending'`),
    index('environment_transfers_to_idx').on(t.toId, t.createdAt),
    index('environment_transfers_from_idx').on(t.fromId, t.createdAt),
  ],
);
