import type { Db } from '../../db/client.js';
import { budgetStanding, monthOf } from '../../environments/spend-guard.js';
import type { BudgetView } from './schemas.js';

/** Spent as a whole percentage of the budget, rounded down (exact on the decimal strings). */
function percentOf(spent: string, budget: string): number {
  const micros = (amount: string) => {
    const [whole = '0', fraction = ''] = amount.split('.');
    return BigInt(whole) * 1_000_000n + BigInt(fraction.padEnd(6, '0').slice(0, 6));
  };
  const of = micros(budget);
  return of === 0n ? 100 : Number((micros(spent) * 100n) / of);
}

/** A member's budget in the owner's account as the owner reads it; null when it has none. */
export async function budgetView(db: Db, ownerId: string, memberId: string, now: Date): Promise<BudgetView | null> {
  const standing = await budgetStanding(db, ownerId, memberId, now);
  if (!standing) return null;
  const { budget } = standing;
  return {
    memberId: budget.collaborationId,
    monthlyBudget: budget.monthlyBudget,
    maxCloudlets: budget.maxCloudlets,
    hardStop: budget.hardStop,
    month: monthOf(now).key,
    spentThisMonth: standing.spent,
    percent: percentOf(standing.spent, budget.monthlyBudget),
    warned: standing.warned,
    reached: standing.reached,
    updatedAt: budget.updatedAt.toISOString(),
  };
}
