import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import { type MailContent, renderMail } from './layout.js';

/**
 * Queues a mail in the caller's transaction: it is sent only if the change that caused it commits, and it is
 * never lost once it has. `kind` names the event (`account.verify`, `collaboration.invited`...).
 */
export async function enqueueMail(db: Db, clock: Clock, to: string, kind: string, content: MailContent): Promise<void> {
  const rendered = renderMail(content);
  const now = clock.now();
  await db.insert(outbox).values({
    kind,
    toAddress: to,
    subject: rendered.subject,
    textBody: rendered.text,
    htmlBody: rendered.html,
    nextAttemptAt: now,
    createdAt: now,
  });
}
