import { and, eq, inArray, not } from 'drizzle-orm';
import { hasSecondFactorSql } from '../../accounts/factors/second-factor.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { collaborations, users } from '../../db/schema/index.js';
import { enqueueMail } from '../../mail/outbox.js';

/**
 * The owner has just required two-factor sign-in: every member (active or suspended) without a second factor is
 * mailed, in the transaction of the switch, that it is locked out of the account until it turns it on. Answers how many.
 */
export async function mailMembersWithoutSecondFactor(ctx: AppContext, tx: Db, owner: { id: string; name: string; email: string }): Promise<number> {
  const lacking = await tx
    .select({ email: users.email, name: users.name })
    .from(collaborations)
    .innerJoin(users, eq(users.id, collaborations.memberId))
    .where(and(eq(collaborations.ownerId, owner.id), inArray(collaborations.status, ['active', 'suspended']), not(hasSecondFactorSql(users.id))));
  for (const member of lacking) {
    await enqueueMail(tx, ctx.clock, member.email, 'collaboration.two_factor_required', {
      subject: `${owner.name} requires two-factor sign-in`,
      greeting: `Hello ${member.name},`,
      paragraphs: [
        `${owner.name} (${owner.email}) now requires two-factor sign-in of everyone who works in its Shareplane account. Until you turn it on, you can do nothing there, with your sessions and your API tokens alike.`,
        'Turning it on takes a minute with an authenticator app on your phone.',
      ],
      action: { label: 'Turn on two-factor sign-in', url: `${ctx.config.publicUrl}/settings/account` },
    });
  }
  return lacking.length;
}
