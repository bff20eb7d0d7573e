import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AppContext } from '../context.js';
import { outbox } from '../db/schema/index.js';
import { redactSecrets } from '../secrets.js';

export const MAX_MAIL_ATTEMPTS = 8;
const BATCH = 20;
// A node that claimed mail and died releases it when the lease runs out.
const LEASE_MS = 120_000;

/** Wait before the next attempt: 5 s, 10 s, 20 s... up to an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface MailSender {
  send(message: { from: string; to: string; subject: string; text: string; html: string }): Promise<void>;
  close(): void;
  /** The dev mailbox is read from the outbox itself, so sent mail keeps its links there; SMTP mail has them blanked. */
  keepsSentBodies?: boolean;
}

/** Sends through SMTP with nodemailer. */
export function smtpSender(url: string): MailSender {
  const transport: Transporter = nodemailer.createTransport(url);
  return {
    send: async (message) => {
      await transport.sendMail(message);
    },
    close: () => transport.close(),
  };
}

const LINK = /https?:\/\/[^\s<>"]+/g;

/** The dev mailbox: mail stays readable at GET /api/v1/dev/mail and its links are printed to the log. */
export function devMailbox(ctx: AppContext): MailSender {
  return {
    send: async (message) => {
      const links = message.text.match(LINK) ?? [];
      ctx.log.info({ to: message.to, subject: message.subject, links }, `dev mailbox: "${message.subject}" to ${message.to}`);
    },
    close: () => undefined,
    keepsSentBodies: true,
  };
}

/**
 * Claims due mail with a lease (`FOR UPDATE SKIP LOCKED`, so several nodes never take the same row), sends it
 * outside any transaction, then records the outcome: sent, retried later with backoff, or failed for good.
 * Returns how many messages it handled.
 */
export async function deliverDueMail(ctx: AppContext, sender: MailSender): Promise<number> {
  const now = ctx.clock.now();
  const claimed = await ctx.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: outbox.id })
      .from(outbox)
      .where(
        and(
          eq(outbox.status, 'pending'),
          lte(outbox.nextAttemptAt, now),
          or(isNull(outbox.lockedUntil), lte(outbox.lockedUntil, now)),
        ),
      )
      .orderBy(asc(outbox.id))
      .limit(BATCH)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(outbox)
      .set({ lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${outbox.attempts} + 1` })
      .where(inArray(outbox.id, due.map((row) => row.id)))
      .returning();
  });
  for (const message of claimed) {
    try {
      await sender.send({
        from: ctx.config.mailFrom,
        to: message.toAddress,
        subject: message.subject,
        text: message.textBody,
        html: message.htmlBody,
      });
      const scrubbed = sender.keepsSentBodies ? {} : { textBody: redactSecrets(message.textBody), htmlBody: redactSecrets(message.htmlBody) };
      await ctx.db
        .update(outbox)
        .set({ status: 'sent', sentAt: ctx.clock.now(), lockedUntil: null, lastError: null, ...scrubbed })
        .where(eq(outbox.id, message.id));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      const final = message.attempts >= MAX_MAIL_ATTEMPTS;
      ctx.log.warn({ mailId: message.id, attempts: message.attempts, final, reason }, 'mail delivery failed');
      await ctx.db
        .update(outbox)
        .set({
          status: final ? 'failed' : 'pending',
          lockedUntil: null,
          lastError: reason.slice(0, 1000),
          nextAttemptAt: new Date(ctx.clock.now().getTime() + backoffMs(message.attempts)),
        })
        .where(eq(outbox.id, message.id));
    }
  }
  return claimed.length;
}
