import { and, asc, eq, gt, isNotNull, isNull, lte } from 'drizzle-orm';
import { recordAudit } from '../audit/record.js';
import { DAY } from '../clock.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { environments, users } from '../db/schema/index.js';
import { queueLifecycleAction } from '../environments/lifecycle.js';
import { alertMembers } from '../notifications/alerts.js';
import { deliverNotice } from '../notifications/deliver.js';
import type { User } from '../accounts/caller.js';

/** How long before a trial's end its owner is warned. */
export const TRIAL_WARNING_MS = 3 * DAY;
// Accounts handled per pass; the loop runs again at once while a pass did something.
const BATCH = 50;

const TRIAL_STOP_REASON = 'trial_ended';

/**
 * Queues a stop for each environment (locked by the caller) through the environments' lifecycle, so the runtime
 * driver stops the nodes and the run closes; each stop is audited as the platform's action.
 */
async function stopEnvironments(tx: Db, now: Date, envs: Array<{ id: string; ownerId: string }>): Promise<void> {
  for (const env of envs) {
    await queueLifecycleAction(tx, env.id, 'stop', now);
    await recordAudit(tx, {
      at: now,
      actor: null,
      ownerId: env.ownerId,
      action: 'environment.stop',
      targetType: 'environment',
      targetId: env.id,
      outcome: 'ok',
      details: { reason: TRIAL_STOP_REASON, from: 'running', to: 'stopping' },
    });
  }
}

/** Stops the account's own running environments; answers their names. One locked by a request now is left to the sweep. */
async function stopTrialEnvironments(tx: Db, now: Date, user: User): Promise<string[]> {
  const running = await tx
    .select({ id: environments.id, ownerId: environments.ownerId, name: environments.name })
    .from(environments)
    .where(and(eq(environments.ownerId, user.id), eq(environments.status, 'running'), isNull(environments.deletedAt)))
    .orderBy(asc(environments.name))
    .for('update', { skipLocked: true });
  await stopEnvironments(tx, now, running);
  return running.map((env) => env.name);
}

/**
 * Stops environments of ended trials that are running again after the end was handled: one that was starting or
 * restarting then, or locked by a request at that moment. No mail: the owner was told once.
 */
async function stopLeftovers(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const leftovers = await tx
      .select({ id: environments.id, ownerId: environments.ownerId })
      .from(environments)
      .innerJoin(users, eq(users.id, environments.ownerId))
      .where(
        and(
          eq(environments.status, 'running'),
          isNull(environments.deletedAt),
          eq(users.type, 'trial'),
          isNotNull(users.trialEndedHandledAt),
          lte(users.trialEndsAt, now),
        ),
      )
      .limit(BATCH)
      .for('update', { of: environments, skipLocked: true });
    await stopEnvironments(tx, now, leftovers);
    return leftovers.length;
  });
}

const when = (at: Date) => `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * Claims one trial that needs `due` done, locking its row with SKIP LOCKED so another node running the same pass
 * takes a different account; the caller's update of the bookkeeping column makes the claim stick at commit.
 */
async function claim(tx: Db, due: ReturnType<typeof and>): Promise<User | undefined> {
  const [user] = await tx.select().from(users).where(due).orderBy(asc(users.trialEndsAt)).limit(1).for('update', { skipLocked: true });
  return user;
}

/** Warns one trial owner whose trial ends within three days (mail, notification, alerted members); once per trial. */
async function warnOne(ctx: AppContext): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const user = await claim(
      tx,
      and(
        eq(users.type, 'trial'),
        isNull(users.trialWarnedAt),
        isNull(users.trialEndedHandledAt),
        gt(users.trialEndsAt, now),
        lte(users.trialEndsAt, new Date(now.getTime() + TRIAL_WARNING_MS)),
      ),
    );
    if (!user?.trialEndsAt) return false;
    await tx.update(users).set({ trialWarnedAt: now }).where(eq(users.id, user.id));
    const ends = when(user.trialEndsAt);
    const daysLeft = Math.max(1, Math.ceil((user.trialEndsAt.getTime() - now.getTime()) / DAY));
    await deliverNotice(tx, ctx, user, {
      type: 'trial.ending',
      title: `Your trial ends on ${ends}`,
      subject: `Your Shareplane trial ends in ${daysLeft} day${daysLeft === 1 ? '' : 's'}`,
      body: `Your Shareplane trial ends on ${ends}. Then your running environments are stopped and your account is paused.`,
      details: [
        'Upgrade to a paid account to keep them running. If you only work in other accounts, ask the billing team to make yours a collaborator account instead: it never expires.',
      ],
      link: '/billing',
      actionLabel: 'Review my plan',
      footnote: 'You get this mail because your Shareplane trial is about to end.',
      by: { initiator: { kind: 'system' }, ownerId: user.id },
    });
    await alertMembers(tx, ctx, user.id, {
      title: `${user.name}'s trial ends on ${ends}`,
      body: `The trial of ${user.name}'s account ends on ${ends}. Unless it is upgraded, its running environments will be stopped then.`,
      link: '/environments',
      initiator: { kind: 'system' },
    });
    await recordAudit(tx, {
      at: now,
      actor: null,
      ownerId: user.id,
      action: 'account.trial_warning',
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      details: { trialEndsAt: user.trialEndsAt.toISOString() },
    });
    return true;
  });
}

/** Ends one trial whose end has passed: stops its own environments and tells the owner and alerted members; once. */
async function endOne(ctx: AppContext): Promise<boolean> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const user = await claim(tx, and(eq(users.type, 'trial'), isNull(users.trialEndedHandledAt), lte(users.trialEndsAt, now)));
    if (!user?.trialEndsAt) return false;
    // A trial that ended before any warning went out gets the end notice only.
    await tx.update(users).set({ trialEndedHandledAt: now, trialWarnedAt: user.trialWarnedAt ?? now }).where(eq(users.id, user.id));
    const stopped = await stopTrialEnvironments(tx, now, user);
    const ended = when(user.trialEndsAt);
    const what =
      stopped.length === 0
        ? 'No environment of yours was running.'
        : `We stopped your running environment${stopped.length === 1 ? '' : 's'} ${stopped.join(', ')}; nothing was deleted.`;
    await deliverNotice(tx, ctx, user, {
      type: 'trial.ended',
      title: 'Your trial has ended',
      subject: 'Your Shareplane trial has ended',
      body: `Your Shareplane trial ended on ${ended}. ${what}`,
      details: [
        'You can still sign in and leave the accounts you collaborate with. Upgrade to a paid account, or ask the billing team to make yours a collaborator account, to use the rest again at once.',
      ],
      link: '/billing',
      actionLabel: 'Upgrade my account',
      footnote: 'You get this mail because your Shareplane trial has ended.',
      by: { initiator: { kind: 'system' }, ownerId: user.id },
    });
    await alertMembers(tx, ctx, user.id, {
      title: `${user.name}'s trial has ended`,
      body:
        `The trial of ${user.name}'s account ended on ${ended}. ` +
        (stopped.length === 0 ? 'None of its environments was running.' : `Its running environments were stopped: ${stopped.join(', ')}.`),
      link: '/environments',
      initiator: { kind: 'system' },
    });
    await recordAudit(tx, {
      at: now,
      actor: null,
      ownerId: user.id,
      action: 'account.trial_end',
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      details: { trialEndsAt: user.trialEndsAt.toISOString(), stoppedEnvironments: stopped },
    });
    return true;
  });
}

/**
 * One pass of the trial worker: warns trials ending within three days, ends the trials whose end has passed, and
 * stops what still runs in ended trials.
 * One transaction per account, claimed with SKIP LOCKED and marked done in it, so every node may run it at once
 * and each mail goes out once. Returns how many accounts it handled.
 */
export async function runTrialPass(ctx: AppContext): Promise<number> {
  let handled = 0;
  while (handled < BATCH && (await warnOne(ctx))) handled++;
  let ended = 0;
  while (ended < BATCH && (await endOne(ctx))) ended++;
  const leftovers = await stopLeftovers(ctx);
  if (handled + ended > 0) ctx.wake.mail();
  if (ended + leftovers > 0) ctx.wake.runtime();
  return handled + ended + leftovers;
}
