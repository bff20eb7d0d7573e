import { and, desc, eq, sql } from 'drizzle-orm';
import { outbox } from '../../src/db/schema/index.js';
import type { TestApp } from './app.js';

/** The text of the newest mail of `kind` queued for `email`, read from the outbox: works with and without SMTP. */
export async function newestMail(t: TestApp, email: string, kind: string): Promise<string> {
  const [mail] = await t.ctx.db
    .select({ text: outbox.textBody, subject: outbox.subject })
    .from(outbox)
    .where(and(sql`lower(${outbox.toAddress}) = ${email.toLowerCase()}`, eq(outbox.kind, kind)))
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!mail) throw new Error(`no ${kind} mail to ${email}`);
  // A mail that already left keeps no working links in the outbox: read it as the SMTP listener received it.
  if (t.smtp && mail.text.includes('[redacted]')) {
    const received = t.smtp.messages.filter((m) => m.to.includes(email.toLowerCase()) && m.subject === mail.subject).at(-1);
    if (received) return received.text;
  }
  return mail.text;
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
  while ((await t.workers.mail.runOnce()) > 0);
}
