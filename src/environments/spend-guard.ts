import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { environments, memberBudgets, nodeGroups, usageRecords } from '../db/schema/index.js';
import { spendCapReached } from '../http/errors.js';

/** The UTC calendar month holding `at`: budgets count from its first hour, alerts are keyed by it (`2030-01`). */
export function monthOf(at: Date): { start: Date; end: Date; key: string } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  const end = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + 1, 1));
  return { start, end, key: start.toISOString().slice(0, 7) };
}

export type MemberBudget = typeof memberBudgets.$inferSelect;

/** Where a member stands against its budget this month: what its environments cost, and the thresholds reached. */
export interface BudgetStanding {
  budget: MemberBudget;
  /** Decimal string with six places. */
  spent: string;
  /** 80 % of the budget reached. */
  warned: boolean;
  /** 100 % reached: the member creates, starts and scales up nothing more there. */
  reached: boolean;
}

/** Cost, this month, of the usage the owner was charged for the environments `memberId` created. */
const spentSql = (ownerId: string, memberId: string, now: Date) => {
  const month = monthOf(now);
  return sql`(select coalesce(sum(${usageRecords.cost}), 0)::numeric(18, 6) from ${usageRecords}
    where ${usageRecords.ownerId} = ${ownerId} and ${usageRecords.createdBy} = ${memberId}
      and ${usageRecords.hour} >= ${month.start.toISOString()}::timestamptz and ${usageRecords.hour} < ${month.end.toISOString()}::timestamptz)`;
};

/** The member's budget in the owner's account and how far this month's spend went, compared exactly in the database. */
export async function budgetStanding(db: Db, ownerId: string, memberId: string, now: Date): Promise<BudgetStanding | null> {
  const spent = spentSql(ownerId, memberId, now);
  const [row] = await db
    .select({
      budget: memberBudgets,
      spent: sql<string>`${spent}::text`,
      warned: sql<boolean>`${spent} * 100 >= ${memberBudgets.monthlyBudget} * 80`,
      reached: sql<boolean>`${spent} >= ${memberBudgets.monthlyBudget}`,
    })
    .from(memberBudgets)
    .where(and(eq(memberBudgets.ownerId, ownerId), eq(memberBudgets.memberId, memberId)));
  return row ?? null;
}

// Statuses whose nodes run, or are about to: what a cap on cloudlets running at once counts.
const RUNNING_OR_SOON = ['creating', 'starting', 'running', 'restarting'] as const;

/** Cloudlets of the member's environments in the account that run (or are about to), but `except`. */
async function runningCloudlets(db: Db, ownerId: string, memberId: string, except: string | null): Promise<number> {
  const [row] = await db
    .select({ cloudlets: sql<number>`coalesce(sum(${nodeGroups.count} * ${nodeGroups.cloudlets}), 0)::int` })
    .from(nodeGroups)
    .innerJoin(environments, eq(environments.id, nodeGroups.environmentId))
    .where(
      and(
        eq(environments.ownerId, ownerId),
        eq(environments.createdBy, memberId),
        isNull(environments.deletedAt),
        inArray(environments.status, [...RUNNING_OR_SOON]),
        except ? ne(environments.id, except) : undefined,
      ),
    );
  return row?.cloudlets ?? 0;
}

export interface SpendingChange {
  ownerId: string;
  /** Who created the environment (or creates it now): whose budget it counts against. */
  creatorId: string | null;
  /** Who asks: the owner is never held back by its own guardrails. */
  actorId: string;
  now: Date;
  /** The environment's cloudlets once the change is done, when it will run; null when it will not run. */
  runningCloudlets: number | null;
  /** The environment changed (it is not counted twice); null for a new one. */
  environmentId: string | null;
}

/**
 * Refuses (409 `spend_cap_reached`) creating, starting or scaling up an environment whose creator is a member with a
 * budget in the owner's account, once this month's spend reached it, or past the member's cap on cloudlets running
 * at once. Read live, in the caller's transaction: raising the budget lifts the block at once. The owner is exempt.
 */
export async function assertSpendAllowed(tx: Db, change: SpendingChange): Promise<void> {
  if (change.creatorId === null || change.actorId === change.ownerId || change.creatorId === change.ownerId) return;
  const standing = await budgetStanding(tx, change.ownerId, change.creatorId, change.now);
  if (!standing) return;
  const { budget } = standing;
  if (standing.reached) {
    throw spendCapReached(
      `The environments this member created in the account cost ${standing.spent} this month, which reaches its monthly budget of ${budget.monthlyBudget}: ask the owner to raise it.`,
      { monthlyBudget: budget.monthlyBudget, spentThisMonth: standing.spent },
    );
  }
  if (budget.maxCloudlets !== null && change.runningCloudlets !== null) {
    const after = (await runningCloudlets(tx, change.ownerId, change.creatorId, change.environmentId)) + change.runningCloudlets;
    if (after > budget.maxCloudlets) {
      throw spendCapReached(
        `This member's environments may run at most ${budget.maxCloudlets} cloudlets at once in this account; this change would make ${after}.`,
        { maxCloudlets: budget.maxCloudlets },
      );
    }
  }
}
