import { and, eq, inArray, isNotNull } from 'drizzle-orm';
import type { Grant } from '../../access/decide.js';
import { effectiveAccess } from '../../access/decide.js';
import type { ShareFacts } from '../../access/snapshot.js';
import { isTrialExpired } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import { collaborations, users } from '../../db/schema/index.js';
import type { Authorized, EnvironmentFor } from '../../http/authorize/authorized.js';
import { loadGroupTree, loadRolePermissions, loadSharesOfOwner } from '../../access/load/snapshot.js';
import { roleNames } from '../roles/resolve.js';

type EnvironmentAuthorized = Authorized & { environment: EnvironmentFor };

/** The distinct roles behind the grants of a decision, named. */
export function rolesOf(via: readonly Grant[], names: ReadonlyMap<string, string>) {
  const ids = [...new Set(via.flatMap((grant) => grant.roleIds))];
  return ids.map((id) => ({ id, name: names.get(id) ?? id }));
}

/**
 * Who can reach one environment and how: every active or suspended member of its owner, decided by the same
 * effectiveAccess() as every request, from data loaded once.
 */
export async function listEnvironmentAccess(ctx: AppContext, authorized: EnvironmentAuthorized) {
  const { env, groupIds } = authorized.environment;
  const caller = authorized.caller;
  const environment = { id: env.id, name: env.name, displayName: env.displayName, ownerId: env.ownerId, groupIds };
  const ownerId = environment.ownerId;
  const [members, sharesByMember, groups, rolePermissions] = await Promise.all([
    ctx.db
      .select({ collaboration: collaborations, user: users })
      .from(collaborations)
      .innerJoin(users, eq(users.id, collaborations.memberId))
      .where(and(eq(collaborations.ownerId, ownerId), isNotNull(collaborations.memberId), inArray(collaborations.status, ['active', 'suspended']))),
    loadSharesOfOwner(ctx.db, ownerId),
    loadGroupTree(ctx.db, ownerId),
    loadRolePermissions(ctx.db, ownerId),
  ]);
  const names = await roleNames(ctx.db, ownerId, [...rolePermissions.keys()]);
  const now = ctx.clock.now();
  const target = { kind: 'environment' as const, environmentId: environment.id, groupIds: environment.groupIds };
  const items = members.map(({ collaboration, user }) => {
    const shares: ShareFacts[] = collaboration.status === 'active' ? (sharesByMember.get(collaboration.id) ?? []) : [];
    const access = effectiveAccess(
      {
        now,
        subject: { id: user.id, trialExpired: isTrialExpired(user, now) },
        ownerId,
        collaboration: { id: collaboration.id, status: collaboration.status },
        shares,
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
  items.sort((a, b) => Number(a.level === null) - Number(b.level === null) || a.user.email.localeCompare(b.user.email));
  return { environment: { id: environment.id, name: environment.name, displayName: environment.displayName, ownerId }, items };
}
