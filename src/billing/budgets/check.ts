import { and, asc, count, eq, inArray, isNull } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { budgetAlerts, collaborations, environments, memberBudgets, users } from '../../db/schema/index.js';
import { queueLifecycleAction } from '../../environments/lifecycle.js';
import { budgetStanding, monthOf } from '../../environments/spend-guard.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { memberBudgetNotice, ownerBudgetNotice, type Threshold } from './notices.js';

const BUDGET_STOP_REASON = 'spend_cap_reached';

/**
 * Queues a stop of the member's running environments in the account, through the lifecycle, once per month: the
 * 100 % alert row records when all of them were queued. One locked by a request now waits for the next pass, so the
 * mark is set only when none was skipped; after it, an environment the owner starts again stays running.
 */
async function hardStop(tx: Db, now: Date, budget: typeof memberBudgets.$inferSelect): Promise<number> {
  const { ownerId, memberId, collaborationId } = budget;
  const month = monthOf(now).key;
  const [alert] = await tx
    .select({ hardStoppedAt: budgetAlerts.hardStoppedAt })
    .from(budgetAlerts)
    .where(and(eq(budgetAlerts.collaborationId, collaborationId), eq(budgetAlerts.month, month), eq(budgetAlerts.threshold, 100)))
    .for('update');
  if (!alert || alert.hardStoppedAt) return 0;
  const runningOfMember = and(eq(environments.ownerId, ownerId), eq(environments.createdBy, memberId), eq(environments.status, 'running'), isNull(environments.deletedAt));
  const running = await tx.select({ id: environments.id }).from(environments).where(runningOfMember).orderBy(asc(environments.name)).for('update', { skipLocked: true });
  const [all] = await tx.select({ n: count() }).from(environments).where(runningOfMember);
  for (const env of running) {
    await queueLifecycleAction(tx, env.id, 'stop', now);
    await recordAudit(tx, {
      at: now,
      actor: null,
      ownerId,
      action: 'environment.stop',
      targetType: 'environment',
      targetId: env.id,
      outcome: 'ok',
      details: { reason: BUDGET_STOP_REASON, from: 'running', to: 'stopping' },
    });
  }
  if ((all?.n ?? 0) === running.length) {
    await tx
      .update(budgetAlerts)
      .set({ hardStoppedAt: now })
      .where(and(eq(budgetAlerts.collaborationId, collaborationId), eq(budgetAlerts.month, month), eq(budgetAlerts.threshold, 100)));
  }
  return running.length;
}

/**
 * Tells the owner and the member, once per month and threshold, that the member's environments reached 80 % or
 * 100 % of its budget: the alert row's primary key (member, month, threshold) is inserted in the transaction that
 * writes the notices, so two nodes checking at once tell each person once. Answers how many thresholds it told.
 */
async function tellThresholds(tx: Db, ctx: AppContext, budget: typeof memberBudgets.$inferSelect, standing: { spent: string; warned: boolean; reached: boolean }, now: Date): Promise<number> {
  const month = monthOf(now).key;
  const steps = ([80, 100] as const).filter((percent) => (percent === 80 ? standing.warned : standing.reached));
  let told = 0;
  for (const percent of steps) {
    const inserted = await tx
      .insert(budgetAlerts)
      .values({ collaborationId: budget.collaborationId, month, threshold: percent, spent: standing.spent, createdAt: now })
      .onConflictDoNothing()
      .returning();
    if (inserted.length === 0) continue;
    const people = await tx.select().from(users).where(inArray(users.id, [budget.ownerId, budget.memberId]));
    const owner = people.find((person) => person.id === budget.ownerId);
    const member = people.find((person) => person.id === budget.memberId);
    const [collaboration] = await tx.select({ alias: collaborations.displayName }).from(collaborations).where(eq(collaborations.id, budget.collaborationId));
    if (!owner || !member) continue;
    const step: Threshold = { percent, spent: standing.spent, budget: budget.monthlyBudget, hardStop: budget.hardStop, month };
    const by = { initiator: { kind: 'system' } as const, ownerId: owner.id };
    await deliverNotice(tx, ctx, owner, { ...ownerBudgetNotice(collaboration?.alias ?? member.name, budget.collaborationId, step), by });
    await deliverNotice(tx, ctx, member, { ...memberBudgetNotice(owner.name, step), by });
    await recordAudit(tx, {
      at: now,
      actor: null,
      ownerId: owner.id,
      action: 'collaboration.budget_threshold',
      targetType: 'collaboration',
      targetId: budget.collaborationId,
      outcome: 'ok',
      details: { threshold: percent, month, spent: standing.spent, monthlyBudget: budget.monthlyBudget },
    });
    told += 1;
  }
  return told;
}

/**
 * One pass over the members' budgets, after metering: thresholds told once a month, and at 100 % with hard stop the
 * member's running environments stopped through the normal lifecycle. Safe on every node at once. Answers what it did.
 */
export async function checkBudgets(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const budgets = await ctx.db
    .select({ budget: memberBudgets })
    .from(memberBudgets)
    .innerJoin(collaborations, eq(collaborations.id, memberBudgets.collaborationId))
    .where(inArray(collaborations.status, ['active', 'suspended']));
  let done = 0;
  for (const { budget } of budgets) {
    done += await ctx.db.transaction(async (tx) => {
      const standing = await budgetStanding(tx, budget.ownerId, budget.memberId, now);
      if (!standing || !standing.warned) return 0;
      let acted = await tellThresholds(tx, ctx, standing.budget, standing, now);
      if (standing.reached && standing.budget.hardStop) acted += await hardStop(tx, now, standing.budget);
      return acted;
    });
  }
  if (done > 0) {
    ctx.wake.mail();
    ctx.wake.runtime();
  }
  return done;
}
