import type { Clock } from '../clock.js';
import type { Db } from '../db/client.js';
import { enqueueMail } from '../mail/outbox.js';
import { type Audience, type Initiator, initiatorPhrase } from './initiator.js';
import { type NotificationType, notify } from './notify.js';

/** Who a notice goes to. */
export interface Recipient {
  id: string;
  email: string;
  name: string;
}

/** One event told to one person, in the bell and by mail alike. */
export interface Notice {
  type: NotificationType;
  /** The in-app title. */
  title: string;
  /** The in-app text, also the mail's first paragraph. */
  body: string;
  /** A dashboard path; the mail's button opens it under PUBLIC_URL. */
  link: string;
  /** The mail subject, when it should say more than the title. */
  subject?: string;
  /** Further mail paragraphs. */
  details?: string[];
  actionLabel: string;
  footnote?: string;
  /** Who did it, and in whose account: every collaboration and environment mail names its initiator. */
  by: { initiator: Initiator; ownerId: string };
}

/** A notice as written, before saying who did it. */
export type NoticeText = Omit<Notice, 'by'>;

export interface DeliveryContext {
  clock: Clock;
  config: { publicUrl: string };
}

/**
 * Writes the in-app notification and queues its mail in the caller's transaction: both or neither. The mail names
 * who did it ("Done by the owner.", "Done by the member aliased …"), as its recipient may know them.
 */
export async function deliverNotice(db: Db, ctx: DeliveryContext, to: Recipient, notice: Notice): Promise<void> {
  await notify(db, ctx.clock, { userId: to.id, type: notice.type, title: notice.title, body: notice.body, link: notice.link });
  const audience: Audience = { ownerId: notice.by.ownerId, recipientId: to.id };
  await enqueueMail(db, ctx.clock, to.email, notice.type, {
    subject: notice.subject ?? notice.title,
    greeting: `Hello ${to.name},`,
    paragraphs: [notice.body, `Done by ${initiatorPhrase(notice.by.initiator, audience)}.`, ...(notice.details ?? [])],
    action: { label: notice.actionLabel, url: `${ctx.config.publicUrl}${notice.link}` },
    footnote: notice.footnote ?? 'You get this mail because of your collaboration on Shareplane.',
  });
}
