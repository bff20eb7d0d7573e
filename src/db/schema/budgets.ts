import { boolean, index, integer, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { createdAt, ts } from './columns.js';
import { users } from './accounts.js';
import { collaborations } from './collaboration.js';

/** An owner's monthly spend guardrail for the environments one member created in its account. */
export const memberBudgets = pgTable(
  'member_budgets',
  {
    collaborationId: text('collaboration_id')
      .primaryKey()
      .references(() => collaborations.id, { onDelete: 'cascade' }),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The member's account: usage records name it as their creator. */
    memberId: text('member_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    monthlyBudget: numeric('monthly_budget', { precision: 18, scale: 6 }).notNull(),
    /** At most this many cloudlets of the member's environments may run at once; null: no cap. */
    maxCloudlets: integer('max_cloudlets'),
    /** At 100 % the member's environments are stopped too, not only kept from starting. */
    hardStop: boolean('hard_stop').notNull().default(false),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [index('member_budgets_owner_idx').on(t.ownerId)],
);

/**
 * One row per member, month and threshold reached (80, 100): inserted in the transaction that tells the owner and the
 * member, so each is told once a month however many nodes check at once.
 */
export const budgetAlerts = pgTable(
  'budget_alerts',
  {
    collaborationId: text('collaboration_id')
      .notNull()
      .references(() => collaborations.id, { onDelete: 'cascade' }),
    /** The UTC month, `2030-01`. */
    month: text('month').notNull(),
    threshold: integer('threshold').notNull(),
    spent: numeric('spent', { precision: 18, scale: 6 }).notNull(),
    createdAt: createdAt(),
    /**
     * On the 100 % row with hard stop: when every environment the member had running was stopped. From then on the
     * owner may start them again this month without the worker stopping them anew (the member still may not).
     */
    hardStoppedAt: ts('hard_stopped_at'),
  },
  (t) => [primaryKey({ columns: [t.collaborationId, t.month, t.threshold] })],
);
