import { and, asc, eq, gt, isNotNull, isNull, lte, or, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { DAY } from '../../clock.js';
import type { AppContext } from '../../context.js';
import { collaborations, shares, teams, users } from '../../db/schema/index.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { readableTime } from '../notices.js';
import { describeResource } from '../shares/resource.js';
import { loadShares } from '../shares/load.js';

/** How long before a share's review date its owner is mailed. */
export const REVIEW_REMINDER_MS = 3 * DAY;
const BATCH = 50;

/**
 * Mails owners whose shares are due for review within three days, once per review date: each share is claimed with
 * FOR UPDATE SKIP LOCKED and marked in the same transaction as its mail, so any number of nodes send it once.
 */
export async function remindReviews(ctx: AppContext): Promise<number> {
  const now = ctx.clock.now();
  const sent = await ctx.db.transaction(async (tx) => {
    const due = await tx
      .select({
        share: shares,
        ownerId: sql<string>`coalesce(${collaborations.ownerId}, ${teams.ownerId})`,
        alias: collaborations.displayName,
        memberName: users.name,
        teamName: teams.name,
      })
      .from(shares)
      .leftJoin(collaborations, eq(collaborations.id, shares.collaborationId))
      .leftJoin(users, eq(users.id, collaborations.memberId))
      .leftJoin(teams, eq(teams.id, shares.teamId))
      .where(
        and(
          isNotNull(shares.reviewBy),
          isNull(shares.reviewRemindedAt),
          lte(shares.reviewBy, new Date(now.getTime() + REVIEW_REMINDER_MS)),
          or(isNull(shares.expiresAt), gt(shares.expiresAt, now)),
        ),
      )
      .orderBy(asc(shares.reviewBy))
      .limit(BATCH)
      .for('update', { of: shares, skipLocked: true });
    for (const row of due) {
      const [owner] = await tx.select().from(users).where(eq(users.id, row.ownerId)).limit(1);
      const holder = row.share.teamId !== null ? { teamId: row.share.teamId } : { collaborationId: row.share.collaborationId ?? '' };
      const [loaded] = await loadShares(tx, holder, row.share.id);
      // Marked even when it cannot be told (a member gone meanwhile), so it is never picked again.
      await tx.update(shares).set({ reviewRemindedAt: now }).where(eq(shares.id, row.share.id));
      if (!owner || !loaded || !row.share.reviewBy) continue;
      const member = row.teamName !== null ? `the team ${row.teamName}` : (row.alias ?? row.memberName ?? 'a member');
      const resource = describeResource(loaded.resource, owner.name);
      await deliverNotice(tx, ctx, owner, {
        type: 'share.review_due',
        title: `Review ${member}'s access to ${resource}`,
        subject: `Time to review ${member}'s access to ${resource} on Shareplane`,
        body: `You asked to review ${member}'s share on ${resource} by ${readableTime(row.share.reviewBy)}.`,
        details: ['The Access review page shows when it was last used, and removes or downgrades it in one click.'],
        link: '/review',
        actionLabel: 'Review access',
        by: { initiator: { kind: 'system' }, ownerId: owner.id },
      });
      await recordAudit(tx, {
        at: now,
        actor: null,
        ownerId: owner.id,
        action: 'share.review_reminder',
        targetType: 'share',
        targetId: row.share.id,
        outcome: 'ok',
        details: { reviewBy: row.share.reviewBy.toISOString() },
      });
    }
    return due.length;
  });
  if (sent > 0) ctx.wake.mail();
  return sent;
}
