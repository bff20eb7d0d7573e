import { eq } from 'drizzle-orm';
import type { AccessSnapshot } from '../access/snapshot.js';
import type { AppContext } from '../context.js';
import { balances } from '../db/schema/index.js';
import { decimalText } from './money.js';
import { accountBillingScope } from './scope.js';

export interface BalanceView {
  ownerId: string;
  /** Decimal string with six places; negative once metering has charged more than was credited. */
  amount: string;
  pricePerCloudletHour: string;
  updatedAt: string | null;
}

/** An owner's balance, for the owner or a member with billing.view at account level. */
export async function getBalance(ctx: AppContext, snapshot: AccessSnapshot): Promise<BalanceView> {
  const { ownerId } = accountBillingScope(snapshot);
  const [row] = await ctx.db
    .select({ amount: balances.amount, updatedAt: balances.updatedAt })
    .from(balances)
    .where(eq(balances.userId, ownerId));
  return {
    ownerId,
    amount: row?.amount ?? '0.000000',
    pricePerCloudletHour: priceOf(ctx),
    updatedAt: row?.updatedAt.toISOString() ?? null,
  };
}

/** The configured price of one cloudlet for one hour, as a decimal string. */
export function priceOf(ctx: Pick<AppContext, 'config'>): string {
  return decimalText(ctx.config.pricePerCloudletHour);
}
