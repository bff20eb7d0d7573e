import { type Clock, DAY } from '../clock.js';
import type { Db } from '../db/client.js';
import { outbox } from '../db/schema/index.js';
import { type MailContent, renderMail } from './layout.js';

/** How long the outbox keeps trying a mail before it is marked failed (an admin can still retry it then). */
export const MAIL_RETRY_WINDOW_MS = 3 * DAY;

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
    giveUpAt: new Date(now.getTime() + MAIL_RETRY_WINDOW_MS),
    createdAt: now,
  });
}
