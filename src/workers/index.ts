import type { AppContext } from '../context.js';
import { deliverDueMail, devMailbox, type MailSender, smtpSender } from '../mail/worker.js';
import { pruneRateLimits } from '../http/rate-limit.js';
import { WorkerLoop } from './loop.js';

export interface Workers {
  loops: WorkerLoop[];
  mail: WorkerLoop;
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
  const housekeeping = new WorkerLoop(
    'housekeeping',
    Math.max(poll, 60_000),
    async () => {
      await pruneRateLimits(ctx.db, ctx.clock);
      return 0;
    },
    ctx.log,
  );
  const loops = [mail, housekeeping];
  ctx.wake.mail = () => mail.wake();
  for (const loop of loops) loop.start();
  return {
    loops,
    mail,
    stop: async () => {
      await Promise.all(loops.map((loop) => loop.stop()));
      sender.close();
    },
  };
}
