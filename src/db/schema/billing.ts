import { index, integer, numeric, pgTable, text, unique } from 'drizzle-orm/pg-core';
import { id, ts } from './columns.js';
import { users } from './accounts.js';

/** One account's money, debited by metering. */
export const balances = pgTable('balances', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  amount: numeric('amount', { precision: 18, scale: 6 }).notNull().default('0'),
  updatedAt: ts('updated_at').notNull(),
});

/**
 * One charge per environment per started hour. The environment's owner, creator and name are copied so the record
 * survives the environment's deletion and reports can group by creator.
 */
export const usageRecords = pgTable(
  'usage_records',
  {
    id: id(),
    environmentId: text('environment_id').notNull(),
    environmentName: text('environment_name').notNull(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdBy: text('created_by'),
    hour: ts('hour').notNull(),
    cloudlets: integer('cloudlets').notNull(),
    cost: numeric('cost', { precision: 18, scale: 6 }).notNull(),
    chargedAt: ts('charged_at').notNull(),
  },
  (t) => [unique('usage_environment_hour_key').on(t.environmentId, t.hour), index('usage_owner_hour_idx').on(t.ownerId, t.hour)],
);
