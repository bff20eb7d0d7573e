import { sql } from 'drizzle-orm';
import { expect } from 'vitest';
import type { TestApp } from './app.js';
import { drainMail } from './mail.js';
import { rawRows } from '../../src/db/raw.js';

// Tables whose rows a refused request may legitimately add or touch: the audit log records refusals, counters
// count attempts, sessions/tokens move their last-seen times, and a refusal is a webhook event (attempt.refused).
const VOLATILE = new Set(['audit_events', 'webhook_deliveries', 'rate_limits', 'sessions', 'api_tokens', '__drizzle_migrations']);
// Columns any allowed request may move, off its path: the last use of shares and members (access review).
const rowText = `(to_jsonb(t) - 'last_used_at')::text`;

/** A digest of every business table's content, to prove that a refused request wrote nothing. */
export async function databaseDigest(t: TestApp): Promise<Record<string, string>> {
  const tables = await rawRows<{ name: string }>(
    t.ctx.db,
    sql`select table_name as name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`,
  );
  const digest: Record<string, string> = {};
  for (const { name } of tables) {
    if (VOLATILE.has(name)) continue;
    const [row] = await rawRows<{ d: string | null }>(
      t.ctx.db,
      sql.raw(`select md5(coalesce(string_agg(${rowText}, '|' order by ${rowText}), '')) as d from "${name}" t`),
    );
    digest[name] = row?.d ?? '';
  }
  return digest;
}

/**
 * Runs `act` and asserts that no business table changed. Mail already queued goes out first: with workers running,
 * a mail sent meanwhile must not be taken for a change made by `act`.
 */
export async function expectNoChange(t: TestApp, act: () => Promise<unknown>): Promise<void> {
  await drainMail(t);
  const before = await databaseDigest(t);
  await act();
  const after = await databaseDigest(t);
  expect(after).toEqual(before);
}
