import type { Db } from '../../db/client.js';
import { enqueueMail } from '../../mail/outbox.js';
import type { DeliveryContext, NoticeText, Recipient } from '../../notifications/deliver.js';
import { notify } from '../../notifications/notify.js';

/**
 * Tells one side of a transfer, in the bell and by mail, in the caller's transaction. The two sides are separate
 * accounts, not owner and member, so the text names the other side itself instead of a "Done by" line.
 */
export async function tellTransfer(db: Db, ctx: DeliveryContext, to: Recipient, notice: NoticeText): Promise<void> {
  await notify(db, ctx.clock, { userId: to.id, type: notice.type, title: notice.title, body: notice.body, link: notice.link });
  await enqueueMail(db, ctx.clock, to.email, notice.type, {
    subject: notice.subject ?? notice.title,
    greeting: `Hello ${to.name},`,
    paragraphs: [notice.body, ...(notice.details ?? [])],
    action: { label: notice.actionLabel, url: `${ctx.config.publicUrl}${notice.link}` },
    footnote: notice.footnote ?? 'You get this mail because of an environment transfer on Shareplane.',
  });
}
