import { and, desc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { collaborations, users } from '../../db/schema/index.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';
import type { OwnerScope } from '../scope.js';
import { type MemberRow, presentMember } from './load.js';

/** The owner's members of every status, newest invitation first. */
export async function listMembers(ctx: AppContext, scope: OwnerScope, limit: number, cursor: string | undefined) {
  const rows = await ctx.db
    .select({ collaboration: collaborations, user: { id: users.id, name: users.name, email: users.email } })
    .from(collaborations)
    .leftJoin(users, eq(users.id, collaborations.memberId))
    .where(and(eq(collaborations.ownerId, scope.owner.id), afterCursor(collaborations.invitedAt, collaborations.id, decodeCursor(cursor))))
    .orderBy(desc(collaborations.invitedAt), desc(collaborations.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ at: row.collaboration.invitedAt, id: row.collaboration.id }));
  const now = ctx.clock.now();
  return {
    items: page.rows.map((row) => presentMember({ collaboration: row.collaboration, user: row.user?.id ? row.user : null }, now, scope.actor.user.id)),
    nextCursor: page.nextCursor,
  };
}

/** One member of the owner's account. */
export function getMember(ctx: AppContext, scope: OwnerScope, member: MemberRow) {
  return presentMember(member, ctx.clock.now(), scope.actor.user.id);
}
