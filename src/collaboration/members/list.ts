import { and, desc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { collaborations, users } from '../../db/schema/index.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';
import type { OwnerScope } from '../scope.js';
import { type Collaboration, managersAmong } from '../../access/load/members.js';
import { type MemberRow, presentMember } from './load.js';
import { hasSecondFactorSql } from '../../accounts/factors/second-factor.js';

/** The owner's members of every status, newest invitation first. */
export async function listMembers(ctx: AppContext, scope: OwnerScope, limit: number, cursor: string | undefined) {
  const rows = await ctx.db
    .select({ collaboration: collaborations, user: { id: users.id, name: users.name, email: users.email }, hasSecondFactor: hasSecondFactorSql(collaborations.memberId) })
    .from(collaborations)
    .leftJoin(users, eq(users.id, collaborations.memberId))
    .where(and(eq(collaborations.ownerId, scope.owner.id), afterCursor(collaborations.invitedAt, collaborations.id, decodeCursor(cursor))))
    .orderBy(desc(collaborations.invitedAt), desc(collaborations.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ at: row.collaboration.invitedAt, id: row.collaboration.id }));
  const now = ctx.clock.now();
  const unmanageable = await unmanageableBy(ctx, scope, page.rows.map((row) => row.collaboration));
  return {
    items: page.rows.map((row) =>
      presentMember({ collaboration: row.collaboration, user: row.user?.id ? row.user : null, hasSecondFactor: row.hasSecondFactor === true }, now, scope.actor.user.id, !unmanageable.has(row.collaboration.id)),
    ),
    nextCursor: page.nextCursor,
  };
}

/** One member of the owner's account. */
export async function getMember(ctx: AppContext, scope: OwnerScope, member: MemberRow) {
  const unmanageable = await unmanageableBy(ctx, scope, [member.collaboration]);
  return presentMember(member, ctx.clock.now(), scope.actor.user.id, !unmanageable.has(member.collaboration.id));
}

/**
 * The members a manager may not act on (DESIGN.md section 6: its own membership, and members who manage the account
 * too), so the dashboard offers no action the member rule would refuse. The owner may act on everyone.
 */
async function unmanageableBy(ctx: AppContext, scope: OwnerScope, among: readonly Collaboration[]): Promise<Set<string>> {
  if (!scope.managed) return new Set();
  const managers = await managersAmong(ctx.db, ctx.clock.now(), scope.owner.id, among);
  for (const c of among) if (c.memberId === scope.actor.user.id) managers.add(c.id);
  return managers;
}
