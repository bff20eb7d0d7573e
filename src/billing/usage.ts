import { and, desc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Caller } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import { anyOf } from '../db/any.js';
import type { Db } from '../db/client.js';
import { environments, usageRecords, users } from '../db/schema/index.js';
import { priceOf } from './balance.js';
import { type BillingScope, usageBillingScope } from './scope.js';
import type { AccessSnapshot } from '../access/snapshot.js';
import { effectiveAccess } from '../access/decide.js';
import { aliasesIn } from '../access/load/people.js';
import { budgetView } from './budgets/present.js';
import type { BudgetView } from './budgets/schemas.js';

export type UsageGrouping = 'environment' | 'creator';

export interface UsageQuery {
  ownerId: string;
  groupBy: UsageGrouping;
  from: Date;
  to: Date;
}

export interface Person {
  id: string;
  name: string;
  email?: string;
  /** The one name the caller shows: the owner's alias for a member, for the owner and its managers. */
  label: string;
}

function withoutEmail(person: Person | null, viewerId: string): Person | null {
  if (!person || person.id === viewerId) return person;
  return { id: person.id, name: person.name, label: person.label };
}

/** The creators of a report labelled for its reader: by the owner's alias for the owner and its managers. */
async function labelled(db: Db, snapshot: AccessSnapshot, items: Array<EnvironmentUsage | CreatorUsage>): Promise<Array<EnvironmentUsage | CreatorUsage>> {
  const seesAliases = snapshot.subject.id === snapshot.ownerId || effectiveAccess(snapshot, { kind: 'account' }).permissions.includes('collaboration.manage');
  const aliases = seesAliases ? await aliasesIn(db, snapshot.ownerId, items.map((item) => item.creator?.id ?? null)) : new Map<string, string>();
  return items.map((item) => (item.creator ? { ...item, creator: { ...item.creator, label: aliases.get(item.creator.id) ?? item.creator.name } } : item));
}

interface Amounts {
  /** Environment-hours charged. */
  hours: number;
  cloudletHours: number;
  /** Decimal string with six places. */
  cost: string;
}

export interface EnvironmentUsage extends Amounts {
  environment: { id: string; name: string; displayName: string | null };
  creator: Person | null;
}

export interface CreatorUsage extends Amounts {
  creator: Person | null;
  environments: number;
  /** The creator's monthly budget in the account and this month's progress, when the owner set one. */
  budget?: BudgetView | null;
  spentThisMonth?: string | null;
}

export interface UsageReport {
  ownerId: string;
  groupBy: UsageGrouping;
  from: string;
  to: string;
  /** `account` when every environment counts, `environments` when the caller sees some environments' usage only. */
  scope: 'account' | 'environments';
  pricePerCloudletHour: string;
  items: Array<EnvironmentUsage | CreatorUsage>;
  total: Amounts;
}

const amounts = {
  hours: sql<number>`count(*)::int`,
  cloudletHours: sql<number>`coalesce(sum(${usageRecords.cloudlets}), 0)::int`,
  cost: sql<string>`coalesce(sum(${usageRecords.cost}), 0)::numeric(18, 6)::text`,
};

function recordsIn(scope: BillingScope, query: UsageQuery) {
  return and(
    eq(usageRecords.ownerId, scope.ownerId),
    gte(usageRecords.hour, query.from),
    lt(usageRecords.hour, query.to),
    scope.all ? undefined : anyOf(usageRecords.environmentId, scope.environmentIds),
  );
}

async function peopleById(db: Db, ids: Array<string | null>): Promise<Map<string, Person>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(anyOf(users.id, wanted));
  return new Map(rows.map((row) => [row.id, { ...row, label: row.name }]));
}

async function byEnvironment(db: Db, scope: BillingScope, query: UsageQuery): Promise<EnvironmentUsage[]> {
  const rows = await db
    .select({
      environmentId: usageRecords.environmentId,
      name: sql<string>`max(${usageRecords.environmentName})`,
      createdBy: sql<string | null>`max(${usageRecords.createdBy})`,
      ...amounts,
    })
    .from(usageRecords)
    .where(recordsIn(scope, query))
    .groupBy(usageRecords.environmentId)
    .orderBy(desc(sql`sum(${usageRecords.cost})`), sql`max(${usageRecords.environmentName})`);
  const ids = rows.map((row) => row.environmentId);
  const names =
    ids.length === 0
      ? []
      : await db.select({ id: environments.id, displayName: environments.displayName }).from(environments).where(anyOf(environments.id, ids));
  const displayNames = new Map(names.map((env) => [env.id, env.displayName]));
  const people = await peopleById(db, rows.map((row) => row.createdBy));
  return rows.map((row) => ({
    environment: {
      id: row.environmentId,
      name: row.name,
      displayName: displayNames.get(row.environmentId) ?? null,
    },
    creator: (row.createdBy && people.get(row.createdBy)) || null,
    hours: row.hours,
    cloudletHours: row.cloudletHours,
    cost: row.cost,
  }));
}

async function byCreator(db: Db, scope: BillingScope, query: UsageQuery): Promise<CreatorUsage[]> {
  const rows = await db
    .select({
      createdBy: usageRecords.createdBy,
      environments: sql<number>`count(distinct ${usageRecords.environmentId})::int`,
      ...amounts,
    })
    .from(usageRecords)
    .where(recordsIn(scope, query))
    .groupBy(usageRecords.createdBy)
    .orderBy(desc(sql`sum(${usageRecords.cost})`), usageRecords.createdBy);
  const people = await peopleById(db, rows.map((row) => row.createdBy));
  return rows.map((row) => ({
    creator: (row.createdBy && people.get(row.createdBy)) || null,
    environments: row.environments,
    hours: row.hours,
    cloudletHours: row.cloudletHours,
    cost: row.cost,
  }));
}

const MICROS = 1_000_000n;

/** A decimal with at most six places ("12.345600") as millionths, exactly. */
function toMicros(amount: string): bigint {
  const negative = amount.startsWith('-');
  const [whole = '0', fraction = ''] = (negative ? amount.slice(1) : amount).split('.');
  const micros = BigInt(whole) * MICROS + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  return negative ? -micros : micros;
}

/** Millionths as the database prints numeric(18, 6): "0.032000". */
function fromMicros(micros: bigint): string {
  const sign = micros < 0n ? '-' : '';
  const size = micros < 0n ? -micros : micros;
  return `${sign}${size / MICROS}.${(size % MICROS).toString().padStart(6, '0')}`;
}

/** The report's total: the sum of its groups, which between them hold every record in range exactly once. */
function totalOf(items: ReadonlyArray<EnvironmentUsage | CreatorUsage>): Amounts {
  let hours = 0;
  let cloudletHours = 0;
  let cost = 0n;
  for (const item of items) {
    hours += item.hours;
    cloudletHours += item.cloudletHours;
    cost += toMicros(item.cost);
  }
  return { hours, cloudletHours, cost: fromMicros(cost) };
}

/** Adds each creator's budget and this month's spend (the budget's own month, whatever the report's range). */
async function withBudgets(ctx: AppContext, ownerId: string, items: CreatorUsage[]): Promise<void> {
  const now = ctx.clock.now();
  for (const item of items) {
    const budget = item.creator && item.creator.id !== ownerId ? await budgetView(ctx.db, ownerId, item.creator.id, now) : null;
    item.budget = budget;
    item.spentThisMonth = budget?.spentThisMonth ?? null;
  }
}

/**
 * Usage and cost of an owner's environments over [from, to), grouped by environment or by the person who created
 * them, with totals. Members see it only with billing.view (see usageBillingScope).
 */
export async function usageReport(ctx: AppContext, caller: Caller, snapshot: AccessSnapshot, query: UsageQuery): Promise<UsageReport> {
  const scope = await usageBillingScope(ctx.db, snapshot);
  const grouped = await labelled(
    ctx.db,
    snapshot,
    query.groupBy === 'environment' ? await byEnvironment(ctx.db, scope, query) : await byCreator(ctx.db, scope, query),
  );
  // Budgets are the account's whole spend per member: shown only to readers of the whole account's usage.
  if (query.groupBy === 'creator' && scope.all) await withBudgets(ctx, query.ownerId, grouped as CreatorUsage[]);
  // A member with billing.view sees what each collaborator's environments cost, by name; emails stay the owner's.
  const items = caller.user.id === query.ownerId ? grouped : grouped.map((item) => ({ ...item, creator: withoutEmail(item.creator, caller.user.id) }));
  return {
    ownerId: query.ownerId,
    groupBy: query.groupBy,
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    scope: scope.all ? 'account' : 'environments',
    pricePerCloudletHour: priceOf(ctx),
    items,
    total: totalOf(items),
  };
}
