import { eq } from 'drizzle-orm';
import type { Permission } from '../../access/catalog.js';
import { effectiveAccess } from '../../access/decide.js';
import { explain } from '../../access/explain.js';
import { loadAccessSnapshot } from '../../access/load/snapshot.js';
import type { AccessSnapshot, AccessTarget } from '../../access/snapshot.js';
import { isTrialExpired } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import { users } from '../../db/schema/index.js';
import type { AccountScope, Authorized } from '../../http/authorize/authorized.js';
import { loadMember } from '../members/load.js';
import { roleNames } from '../roles/resolve.js';
import { teamNames } from '../teams/load.js';

async function memberSnapshot(ctx: AppContext, ownerId: string, memberId: string): Promise<AccessSnapshot> {
  const member = await loadMember(ctx.db, ownerId, memberId);
  const now = ctx.clock.now();
  const userId = member.collaboration.memberId;
  if (!userId) {
    // Nobody accepted yet: the decision is "not a member", whatever is asked.
    const collaboration = { id: member.collaboration.id, status: member.collaboration.status };
    return { now, subject: { id: '', trialExpired: false }, ownerId, collaboration, shares: [], groups: new Map(), rolePermissions: new Map() };
  }
  const [user] = await ctx.db.select().from(users).where(eq(users.id, userId)).limit(1);
  return loadAccessSnapshot(ctx.db, now, { id: userId, trialExpired: user ? isTrialExpired(user, now) : false }, ownerId);
}

/**
 * Why a member can or cannot reach an environment (or, without one, the account): the level that decided, the
 * shares and roles behind it, or what blocked it. With `permission`, `allowed` answers for that permission;
 * without, whether the member sees the target at all. The route's rule loaded the account (as its owner or a
 * manager) and the environment, if one was named.
 */
export async function explainAccess(ctx: AppContext, authorized: Authorized & { account: AccountScope }, query: { memberId: string; permission?: Permission | undefined }) {
  const ownerId = authorized.account.owner.id;
  const environment = authorized.environment;
  const target: AccessTarget = environment
    ? { kind: 'environment', environmentId: environment.env.id, groupIds: environment.groupIds }
    : { kind: 'account' };
  const snapshot = await memberSnapshot(ctx, ownerId, query.memberId);
  const access = effectiveAccess(snapshot, target);
  const [names, teamsById] = await Promise.all([roleNames(ctx.db, ownerId, access.via.flatMap((grant) => grant.roleIds)), teamNames(ctx.db, access.via.map((grant) => grant.teamId))]);
  return explain(access, names, { permission: query.permission, on: target.kind }, teamsById);
}
