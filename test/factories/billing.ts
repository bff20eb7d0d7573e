import { eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { balances, usageRecords } from '../../src/db/schema/index.js';
import type { Account } from '../factories.js';
import type { TestApp } from '../support/app.js';

/**
 * Stops the automatic passes of the metering and trial loops (runOnce still works), so that a pass happens only
 * where the test runs one and never in the middle of a before/after comparison.
 */
export async function manualBillingWorkers(t: TestApp): Promise<void> {
  await t.workers?.metering.stop();
  await t.workers?.trial.stop();
}

/** Runs one pass of this app's metering worker. */
export async function meter(t: TestApp): Promise<number> {
  if (!t.workers) throw new Error('start the test app with workers to meter');
  return t.workers.metering.runOnce();
}

/** The usage rows of one environment, oldest hour first. */
export async function usageOf(t: TestApp, environmentId: string) {
  return t.ctx.db.select().from(usageRecords).where(eq(usageRecords.environmentId, environmentId)).orderBy(usageRecords.hour);
}

/** An account's balance as stored, '0' when metering never touched it. */
export async function storedBalance(t: TestApp, userId: string): Promise<string> {
  const [row] = await t.ctx.db.select({ amount: balances.amount }).from(balances).where(eq(balances.userId, userId));
  return row?.amount ?? '0';
}

/** The balance as the API shows it to `account`. */
export async function balanceOf(t: TestApp, account: Account, ownerId?: string): Promise<string> {
  const answer = await t.http.as(account).get('/api/v1/billing/balance', { query: { ownerId } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body.amount;
}

/** Sums numeric strings exactly, in the database, as money is summed everywhere else. */
export async function sumMoney(t: TestApp, amounts: string[]): Promise<string> {
  if (amounts.length === 0) return '0.000000';
  const values = sql.join(
    amounts.map((amount) => sql`(${amount}::numeric)`),
    sql`, `,
  );
  const result = (await t.ctx.db.execute(sql`select coalesce(sum(v), 0)::numeric(18, 6)::text as s from (values ${values}) as x(v)`)) as unknown as {
    rows: Array<{ s: string }>;
  };
  return result.rows[0]?.s ?? '0.000000';
}
