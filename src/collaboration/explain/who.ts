import { and, desc, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Grant } from '../../access/decide.js';
import { effectiveAccess } from '../../access/decide.js';
import { isTrialExpired } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import { collaborations, users } from '../../db/schema/index.js';
import type { Authorized, EnvironmentFor } from '../../http/authorize/authorized.js';
import { loadGroupTree, loadRolePermissions, loadSharesOf } from '../../access/load/snapshot.js';
import { readsOn } from '../../db/reads.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';
import { roleNames } from '../roles/resolve.js';

type EnvironmentAuthorized = Authorized & { environment: EnvironmentFor };

/** The distinct roles behind the grants of a decision, named. */
export function rolesOf(via: readonly Grant[], names: ReadonlyMap<string, string>) {
  const ids = [...new Set(via.flatMap((grant) => grant.roleIds))];
  return ids.map((id) => ({ id, name: names.get(id) ?? id }));
}

/**
 * Who can reach one environment and how: the owner's active and suspended members, one page of them (newest
 * invitation first, as the members list), each decided by the same effectiveAccess() as every request. Only the
 * page's members and their shares are read: the statements per page do not grow with the account's members.
 */
export async function listEnvironmentAccess(ctx: AppContext, authorized: EnvironmentAuthorized, limit: number, cursor: string | undefined) {
  const { env, groupIds } = authorized.environment;
  const caller = authorized.caller;
  const ownerId = env.ownerId;
  const after = decodeCursor(cursor);
  const rows = await ctx.db
    .select({ collaboration: collaborations, user: users })
    .from(collaborations)
    .innerJoin(users, eq(users.id, collaborations.memberId))
    .where(
      and(
        eq(collaborations.ownerId, ownerId),
        isNotNull(collaborations.memberId),
        inArray(collaborations.status, ['active', 'suspended']),
        afterCursor(collaborations.invitedAt, collaborations.id, after),
      ),
    )
    .orderBy(desc(collaborations.invitedAt), desc(collaborations.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ at: row.collaboration.invitedAt, id: row.collaboration.id }));
  const active = page.rows.filter((row) => row.collaboration.status === 'active').map((row) => row.collaboration.id);
  const [sharesByMember, groups, rolePermissions] = await readsOn(
    ctx.db,
    () => loadSharesOf(ctx.db, active),
    () => loadGroupTree(ctx.db, ownerId),
    () => loadRolePermissions(ctx.db, ownerId),
  );
  const names = await roleNames(ctx.db, ownerId, [...rolePermissions.keys()]);
  const now = ctx.clock.now();
  const target = { kind: 'environment' as const, environmentId: env.id, groupIds };
  const items = page.rows.map(({ collaboration, user }) => {
    const access = effectiveAccess(
      {
        now,
        subject: { id: user.id, trialExpired: isTrialExpired(user, now) },
        ownerId,
        collaboration: { id: collaboration.id, status: collaboration.status },
        shares: sharesByMember.get(collaboration.id) ?? [],
        groups,
        rolePermissions,
      },
      target,
    );
    return {
      memberId: collaboration.id,
      user: { id: user.id, email: user.email, name: user.name },
      // The owner's alias for a member is the owner's own: a manager never reads the one given to itself.
      displayName: user.id === caller.user.id ? null : collaboration.displayName,
      status: collaboration.status,
      level: access.level,
      roles: rolesOf(access.via, names),
      permissions: access.permissions,
      blockedBy: access.blockedBy,
    };
  });
  return { environment: { id: env.id, name: env.name, displayName: env.displayName, ownerId }, items, nextCursor: page.nextCursor };
}
