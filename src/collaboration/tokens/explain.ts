import { eq } from 'drizzle-orm';
import type { Permission } from '../../access/catalog.js';
import { type Access, effectiveAccess, holderAccess } from '../../access/decide.js';
import { explain } from '../../access/explain.js';
import { loadAccessSnapshot } from '../../access/load/snapshot.js';
import type { AccessTarget } from '../../access/snapshot.js';
import { readTokenScope } from '../../access/token-scope.js';
import { isTrialExpired } from '../../accounts/caller.js';
import { tokenLifetimeMs } from '../../accounts/sessions.js';
import type { AppContext } from '../../context.js';
import { users } from '../../db/schema/index.js';
import type { AccountScope, Authorized } from '../../http/authorize/authorized.js';
import { notFound } from '../../http/errors.js';
import { roleNames } from '../roles/resolve.js';
import { teamNames } from '../teams/load.js';
import { findActingToken } from './acting.js';

/**
 * Which limit decided a token's answer: its holder's access when that is what lacks (or blocks), else the token's
 * own limits (`scope`: its scope, or a lifetime over the owner's cap) when they cut anything away, else the holder's
 * access (the token may do all its holder may).
 */
function decidedBy(held: Access, access: Access, permission: Permission | undefined): 'scope' | 'holder' {
  if (permission) {
    if (!held.permissions.includes(permission)) return 'holder';
    if (!access.permissions.includes(permission)) return 'scope';
  }
  if (held.blockedBy !== null) return 'holder';
  return access.permissions.length < held.permissions.length ? 'scope' : 'holder';
}

/** What a member's token acting in the owner's account may do on an environment (or the account), and why. */
export async function explainToken(ctx: AppContext, authorized: Authorized & { account: AccountScope }, query: { tokenId: string; permission?: Permission | undefined }) {
  const ownerId = authorized.account.owner.id;
  const now = ctx.clock.now();
  const found = await findActingToken(ctx.db, ownerId, now, query.tokenId);
  if (!found) throw notFound('API token');
  const [holder] = await ctx.db.select().from(users).where(eq(users.id, found.token.userId)).limit(1);
  if (!holder) throw notFound('API token');
  const scope = found.token.scope ? readTokenScope(found.token.scope) : null;
  const subject = { id: holder.id, trialExpired: isTrialExpired(holder, now), scope, tokenLifetimeMs: tokenLifetimeMs(found.token) };
  const snapshot = await loadAccessSnapshot(ctx.db, now, subject, ownerId);
  const environment = authorized.environment;
  const target: AccessTarget = environment ? { kind: 'environment', environmentId: environment.env.id, groupIds: environment.groupIds } : { kind: 'account' };
  const held = holderAccess(snapshot, target);
  const access = effectiveAccess(snapshot, target);
  const [names, teamsById] = await Promise.all([roleNames(ctx.db, ownerId, access.via.flatMap((grant) => grant.roleIds)), teamNames(ctx.db, access.via.map((grant) => grant.teamId))]);
  return {
    ...explain(access, names, { permission: query.permission, on: target.kind }, teamsById),
    token: { id: found.token.id, name: found.token.name, holder: { memberId: found.memberId, label: found.alias ?? found.holderName } },
    holderPermissions: held.permissions,
    decidedBy: decidedBy(held, access, query.permission),
  };
}
