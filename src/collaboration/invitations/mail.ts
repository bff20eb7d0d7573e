import { and, isNotNull, sql } from 'drizzle-orm';
import type { Clock } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { users } from '../../db/schema/index.js';
import { enqueueMail } from '../../mail/outbox.js';
import { notify } from '../../notifications/notify.js';
import { readableTime } from '../notices.js';

export interface InvitationLetter {
  email: string;
  owner: { name: string; email: string };
  inviter: { id: string; name: string; email: string };
  ownerId: string;
  token: string;
  expiresAt: Date;
  resent: boolean;
}

/**
 * Mails the invitation link (the token exists only in this mail) and, when a verified account already uses the
 * address, adds a bell notification pointing at its invitations page: the token itself is never stored.
 */
export async function sendInvitation(db: Db, ctx: { clock: Clock; config: { publicUrl: string } }, letter: InvitationLetter): Promise<void> {
  const { owner, inviter } = letter;
  const onBehalf = inviter.id === letter.ownerId ? '' : ` on behalf of ${owner.name}`;
  await enqueueMail(db, ctx.clock, letter.email, 'collaboration.invited', {
    subject: `${owner.name} invited you to collaborate on Shareplane`,
    greeting: 'Hello,',
    paragraphs: [
      `${inviter.name} (${inviter.email}) invited you${onBehalf} to collaborate on the Shareplane account of ${owner.name}.`,
      'Open the invitation to accept or decline it. You can accept with your existing Shareplane account for this address, or create one in a minute; nothing is shared with you until the owner decides what you may access.',
      `This invitation link works once and expires on ${readableTime(letter.expiresAt)}.${letter.resent ? ' It replaces the link sent before, which no longer works.' : ''}`,
    ],
    action: { label: 'Open the invitation', url: `${ctx.config.publicUrl}/invitations/${letter.token}` },
    footnote: `If you do not know ${owner.name}, ignore this mail: nothing happens unless you accept.`,
  });
  const [account] = await db
    .select({ id: users.id })
    .from(users)
    .where(and(sql`lower(${users.email}) = ${letter.email.toLowerCase()}`, isNotNull(users.emailVerifiedAt)))
    .limit(1);
  if (account) {
    await notify(db, ctx.clock, {
      userId: account.id,
      type: 'collaboration.invited',
      title: `${owner.name} invited you to collaborate`,
      body: `${inviter.name} invited you${onBehalf} to collaborate on ${owner.name}'s account. Accept or decline it before ${readableTime(letter.expiresAt)}.`,
      link: '/shared-with-me',
    });
  }
}
