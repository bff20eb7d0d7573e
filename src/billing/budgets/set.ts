import { eq } from 'drizzle-orm';
import type { MemberRow } from '../../access/load/members.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { memberBudgets } from '../../db/schema/index.js';
import type { AccountScope, Authorized } from '../../http/authorize/authorized.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { invalidState } from '../../http/errors.js';
import { budgetView } from './present.js';
import type { BudgetView } from './schemas.js';

type OwnerAuthorized = Authorized & { account: AccountScope; member: MemberRow };

export interface BudgetInput {
  monthlyBudget: string;
  maxCloudlets?: number | null | undefined;
  hardStop: boolean;
}

/** Only a member who accepted has an account whose environments can be counted. */
function memberAccount(member: MemberRow): string {
  const status = member.collaboration.status;
  if (!member.user || (status !== 'active' && status !== 'suspended')) {
    throw invalidState('Only a member who accepted the invitation has environments to budget: set it once it has joined.');
  }
  return member.user.id;
}

/**
 * The owner sets (or replaces) a member's monthly budget and optional cap on cloudlets running at once. It applies at
 * once: a member blocked at 100 % may create and start again as soon as the budget is above what it spent.
 */
export async function setBudget(ctx: AppContext, authorized: OwnerAuthorized, input: BudgetInput): Promise<BudgetView | null> {
  const now = ctx.clock.now();
  const ownerId = authorized.account.owner.id;
  const memberId = memberAccount(authorized.member);
  const collaborationId = authorized.member.collaboration.id;
  await ctx.db.transaction(async (tx) => {
    // The member's writes decide under this lock: a change to its guardrail commits before or after them, whole.
    await decideUnderLock(tx, now, authorized, { collaborationIds: [collaborationId] });
    const values = { monthlyBudget: input.monthlyBudget, maxCloudlets: input.maxCloudlets ?? null, hardStop: input.hardStop, updatedAt: now };
    await tx
      .insert(memberBudgets)
      .values({ collaborationId, ownerId, memberId, ...values })
      .onConflictDoUpdate({ target: memberBudgets.collaborationId, set: values });
    await recordAudit(tx, {
      at: now,
      actor: authorized.caller.user,
      ownerId,
      action: authorized.rule.action,
      targetType: 'collaboration',
      targetId: collaborationId,
      outcome: 'ok',
      requestId: authorized.meta.requestId,
      details: { monthlyBudget: input.monthlyBudget, maxCloudlets: values.maxCloudlets, hardStop: input.hardStop },
    });
  });
  return budgetView(ctx.db, ownerId, memberId, now);
}

/** The owner removes a member's guardrail: nothing holds its environments back any more. */
export async function removeBudget(ctx: AppContext, authorized: OwnerAuthorized): Promise<void> {
  const now = ctx.clock.now();
  const collaborationId = authorized.member.collaboration.id;
  await ctx.db.transaction(async (tx) => {
    await decideUnderLock(tx, now, authorized, { collaborationIds: [collaborationId] });
    const removed = await tx.delete(memberBudgets).where(eq(memberBudgets.collaborationId, collaborationId)).returning();
    if (removed.length === 0) return;
    await recordAudit(tx, {
      at: now,
      actor: authorized.caller.user,
      ownerId: authorized.account.owner.id,
      action: authorized.rule.action,
      targetType: 'collaboration',
      targetId: collaborationId,
      outcome: 'ok',
      requestId: authorized.meta.requestId,
    });
  });
}
