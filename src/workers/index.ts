import { runTrialPass } from './trial-end.js';
import { meterUsage } from '../billing/metering.js';
import { checkBudgets } from '../billing/budgets/check.js';
import type { AppContext } from '../context.js';
import { driveRuntimeJobs } from '../environments/runtime/worker.js';
import { deliverDueMail, devMailbox, type MailSender, smtpSender } from '../mail/worker.js';
import { pruneRateLimits } from '../http/rate-limit.js';
import { pruneSignInChallenges } from '../accounts/factors/challenge.js';
import { pruneChallenges } from '../accounts/passkeys/challenges.js';
import { pruneFinishedJobs } from '../environments/runtime/jobs.js';
import { WorkerLoop } from './loop.js';
import { deliverDueWebhooks } from '../webhooks/deliver.js';
import { pruneSettledDeliveries } from '../webhooks/prune.js';
import { remindReviews } from '../collaboration/review/reminders.js';
import { lapseRequests } from '../collaboration/requests/lapse.js';
import { expireTransfers } from '../environments/transfer/expire.js';

export interface Workers {
  loops: WorkerLoop[];
  mail: WorkerLoop;
  /** Drives environment actions through the runtime driver and settles their status (environments/runtime/worker.ts). */
  runtime: WorkerLoop;
  /** Charges running environments per started hour (billing/metering.ts), then checks members' budgets (billing/budgets/check.ts). */
  metering: WorkerLoop;
  /** Warns trials ending soon and stops ended trials' environments (accounts/trial.ts). */
  trial: WorkerLoop;
  /** Posts queued webhook deliveries to their endpoints (webhooks/deliver.ts). */
  webhooks: WorkerLoop;
  /** Mails owners whose shares are due for review (collaboration/review/reminders.ts). */
  review: WorkerLoop;
  /** Settles what ran out unanswered: access requests after 24 hours, transfers after 7 days (requests/lapse.ts, transfer/expire.ts). */
  deadlines: WorkerLoop;
  /** Drops old rate-limit windows, finished runtime jobs and settled webhook deliveries. */
  housekeeping: WorkerLoop;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  /** How often idle loops look for work; tests use short intervals. */
  pollMs?: number;
  mailSender?: MailSender;
}

/**
 * Starts the background workers of this node. Each is safe to run on every node at once (row leases with
 * SKIP LOCKED, unique keys), so a deployment simply runs them everywhere.
 */
export function startWorkers(ctx: AppContext, options: WorkerOptions = {}): Workers {
  const poll = options.pollMs ?? 1000;
  const sender = options.mailSender ?? (ctx.config.smtpUrl ? smtpSender(ctx.config.smtpUrl) : devMailbox(ctx));
  const mail = new WorkerLoop('mail', poll, () => deliverDueMail(ctx, sender), ctx.log);
  // On start it also takes over jobs whose node died mid-action, once their lease has run out.
  const runtime = new WorkerLoop('runtime', poll, () => driveRuntimeJobs(ctx), ctx.log);
  // Events queue deliveries in their own transactions without waking anyone: a poll a second keeps them within seconds.
  const webhooks = new WorkerLoop('webhooks', Math.min(poll, 1000), () => deliverDueWebhooks(ctx), ctx.log);
  const housekeeping = new WorkerLoop(
    'housekeeping',
    Math.max(poll, 60_000),
    async () => {
      await pruneRateLimits(ctx.db, ctx.clock);
      await pruneFinishedJobs(ctx.db, ctx.clock.now());
      await pruneSettledDeliveries(ctx.db, ctx.clock.now());
      await pruneChallenges(ctx.db, ctx.clock.now());
      await pruneSignInChallenges(ctx.db, ctx.clock.now());
      return 0;
    },
    ctx.log,
  );
  // Hourly charges and day-scale trial deadlines: a pass every half minute is plenty, and cheap when idle.
  // Budgets are judged on what metering just charged, so they run in the same pass, right after it.
  const metering = new WorkerLoop('metering', Math.max(poll, 30_000), async () => (await meterUsage(ctx)) + (await checkBudgets(ctx)), ctx.log);
  const trial = new WorkerLoop('trial', Math.max(poll, 30_000), () => runTrialPass(ctx), ctx.log);
  const review = new WorkerLoop('review', Math.max(poll, 60_000), () => remindReviews(ctx), ctx.log);
  const deadlines = new WorkerLoop('deadlines', Math.max(poll, 60_000), async () => (await lapseRequests(ctx)) + (await expireTransfers(ctx)), ctx.log);
  const loops = [mail, runtime, webhooks, housekeeping, metering, trial, review, deadlines];
  ctx.wake.mail = () => mail.wake();
  ctx.wake.runtime = () => runtime.wake();
  ctx.wake.webhooks = () => webhooks.wake();
  for (const loop of loops) loop.start();
  return {
    loops,
    mail,
    runtime,
    webhooks,
    metering,
    trial,
    review,
    deadlines,
    housekeeping,
    stop: async () => {
      await Promise.all(loops.map((loop) => loop.stop()));
      sender.close();
    },
  };
}
