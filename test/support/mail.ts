import { and, desc, eq, isNotNull, sql } from 'drizzle-orm';
import { outbox } from '../../src/db/schema/index.js';
import type { TestApp } from './app.js';

/**
 * The text of the newest mail of `kind` queued for `email`, read from the outbox: works with and without SMTP. Once
 * sent through SMTP the outbox keeps it without its links, so then the copy the SMTP listener received is read.
 */
export async function newestMail(t: TestApp, email: string, kind: string): Promise<string> {
  const [mail] = await t.ctx.db
    .select({ text: outbox.textBody, subject: outbox.subject, status: outbox.status })
    .from(outbox)
    .where(and(sql`lower(${outbox.toAddress}) = ${email.toLowerCase()}`, eq(outbox.kind, kind)))
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!mail) throw new Error(`no ${kind} mail to ${email}`);
  if (mail.status !== 'sent' || !t.smtp || !mail.text.includes('[redacted]')) return mail.text;
  const received = await t.smtp.waitFor(email, (candidate) => candidate.subject === mail.subject);
  return t.smtp.inbox(email).filter((candidate) => candidate.subject === mail.subject).at(-1)?.text ?? received.text;
}

/** The token of the first link in a mail text starting with `prefix`: its `token` parameter, else its last path segment. */
export function tokenFromLink(text: string, prefix: string): string {
  const link = text.match(/https?:\/\/\S+/g)?.find((candidate) => candidate.startsWith(prefix));
  if (!link) throw new Error(`no link ${prefix} in:\n${text}`);
  const url = new URL(link);
  return url.searchParams.get('token') ?? url.pathname.split('/').pop() ?? '';
}

/**
 * Delivers all due mail now, after any pass the background mail worker is in, so that the worker changes nothing
 * while a test compares the database. Nothing to do for an app without workers.
 */
export async function drainMail(t: TestApp): Promise<void> {
  if (!t.workers) return;
  for (const waitUntil = Date.now() + 15_000; ; ) {
    while ((await t.workers.mail.runOnce()) > 0);
    // A message the background pass claimed before ours is still being sent: wait for its outcome to be recorded.
    const [inFlight] = await t.ctx.db
      .select({ id: outbox.id })
      .from(outbox)
      .where(and(eq(outbox.status, 'pending'), isNotNull(outbox.claim)))
      .limit(1);
    if (!inFlight) return;
    if (Date.now() > waitUntil) throw new Error(`mail ${inFlight.id} stays claimed: no worker records its outcome`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
