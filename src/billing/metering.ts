import { eq, sql } from 'drizzle-orm';
import { HOUR } from '../clock.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { rawRows } from '../db/raw.js';
import { balances, environmentRuns, environmentTransfers, environments, nodeGroups, usageRecords } from '../db/schema/index.js';
import { decimalText } from './money.js';

// Environments examined per pass; the loop runs again at once while a pass charged something.
const BATCH = 200;
// Runs closed longer ago than this are not looked at again: their hours were charged while they were open.
const LOOKBACK_MS = 7 * 24 * HOUR;

/** The start of the UTC hour containing `at`. */
export function hourOf(at: Date): Date {
  return new Date(Math.floor(at.getTime() / HOUR) * HOUR);
}

const iso = (at: Date) => sql`${at.toISOString()}::timestamptz`;

/**
 * The last started hour of a run that the clock has reached: the current hour while it is open, the hour holding
 * its last running instant once closed (a run stopped at 11:00 sharp did not run during 11:00).
 */
const lastHourOfRun = (currentHour: Date) => sql`case
  when ${environmentRuns.stoppedAt} is null then ${iso(currentHour)}
  else least(${iso(currentHour)}, date_trunc('hour', ${environmentRuns.stoppedAt} - interval '1 microsecond', 'UTC'))
end`;

// A run opened and closed at the same instant (stopped before the clock moved) never ran: nothing to charge.
const ranForSomeTime = sql`(${environmentRuns.stoppedAt} is null or ${environmentRuns.stoppedAt} > ${environmentRuns.startedAt})`;

/** Environments whose runs reach an hour after the last one already charged. */
async function environmentsDue(db: Db, now: Date): Promise<string[]> {
  const currentHour = hourOf(now);
  const rows = await rawRows<{ id: string }>(
    db,
    sql`select distinct ${environmentRuns.environmentId} as id
      from ${environmentRuns}
      where (${environmentRuns.stoppedAt} is null or ${environmentRuns.stoppedAt} > ${iso(new Date(now.getTime() - LOOKBACK_MS))})
        and ${environmentRuns.startedAt} <= ${iso(now)}
        and ${ranForSomeTime}
        and ${lastHourOfRun(currentHour)} >= date_trunc('hour', ${environmentRuns.startedAt}, 'UTC')
        and ${lastHourOfRun(currentHour)} > coalesce(
          (select max(u.hour) from ${usageRecords} u where u.environment_id = ${environmentRuns.environmentId}),
          '-infinity'::timestamptz)
      order by 1
      limit ${BATCH}`,
  );
  return rows.map((row) => row.id);
}

/**
 * Whoever owned the environment `e` when `hours.hour` began: the giver of the first transfer accepted after that
 * instant, or the owner now when none was. An hour begun before a hand-over is the old owner's, the next the new one's.
 */
const ownerWhenHourStarted = sql`coalesce((select t.from_id from ${environmentTransfers} t
  where t.environment_id = e.id and t.status = 'accepted' and t.decided_at > hours.hour
  order by t.decided_at limit 1), e.owner_id)`;

/**
 * Charges one environment for every started hour of its runs up to the clock's current hour, in one statement:
 * usage rows are inserted with ON CONFLICT DO NOTHING on (environment, hour) and the owner's balance is debited
 * by the rows actually inserted. Two nodes metering the same environment at once therefore charge each hour once:
 * the second waits on the first's unique-key entries and then inserts nothing. Returns how many hours it charged.
 * Each hour goes to whoever owned the environment when it began (transfers). Run it in a transaction; a deleted
 * environment keeps its row and runs, so its last hours are still charged.
 */
export async function meterEnvironment(db: Db, ctx: Pick<AppContext, 'config'>, environmentId: string, now: Date): Promise<number> {
  const currentHour = hourOf(now);
  const price = decimalText(ctx.config.pricePerCloudletHour);
  // Waits for a hand-over being committed on this environment, so the hours are charged by the ownership it leaves.
  await db.select({ id: environments.id }).from(environments).where(eq(environments.id, environmentId)).for('share');
  const [row] = await rawRows<{ charged: number }>(
    db,
    sql`with charged_until as (
        -- Hours before the last charged one were charged when it was: only look from there on.
        select coalesce(max(u.hour), '-infinity'::timestamptz) as hour
        from ${usageRecords} u where u.environment_id = ${environmentId}
      ), hours as (
        select distinct h.hour
        from ${environmentRuns}
        cross join charged_until c
        cross join lateral generate_series(
          greatest(date_trunc('hour', ${environmentRuns.startedAt}, 'UTC'), c.hour),
          ${lastHourOfRun(currentHour)},
          interval '1 hour'
        ) as h(hour)
        where ${environmentRuns.environmentId} = ${environmentId} and ${environmentRuns.startedAt} <= ${iso(now)} and ${ranForSomeTime}
      ), size as (
        select coalesce(sum(g.count * g.cloudlets), 0)::int as cloudlets
        from ${nodeGroups} g where g.environment_id = ${environmentId}
      ), inserted as (
        insert into ${usageRecords} (id, environment_id, environment_name, owner_id, created_by, hour, cloudlets, cost, charged_at)
        select gen_random_uuid()::text, e.id, e.name, ${ownerWhenHourStarted}, e.created_by, hours.hour, size.cloudlets,
          (size.cloudlets * ${price}::numeric)::numeric(18, 6), ${iso(now)}
        from ${environments} e cross join size cross join hours
        where e.id = ${environmentId}
        order by hours.hour
        on conflict on constraint usage_environment_hour_key do nothing
        returning owner_id, cost
      ), debited as (
        insert into ${balances} (user_id, amount, updated_at)
        select owner_id, -sum(cost), ${iso(now)} from inserted group by owner_id
        on conflict (user_id) do update
          set amount = ${balances.amount} + excluded.amount, updated_at = excluded.updated_at
        returning 1
      )
      select count(*)::int as charged from inserted`,
  );
  return row?.charged ?? 0;
}

/**
 * One metering pass: every environment with running time not yet charged is charged to its owner, one transaction
 * per environment. Safe on every node at once (the unique key decides, not timing). Returns the hours charged.
 */
export async function meterUsage(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const due = await environmentsDue(ctx.db, now);
  let charged = 0;
  for (const environmentId of due) {
    charged += await ctx.db.transaction((tx) => meterEnvironment(tx, ctx, environmentId, now));
  }
  return charged;
}
