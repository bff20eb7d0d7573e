import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { type Caller, subjectOf } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { collaborations, environments, groups, users } from '../../db/schema/index.js';
import { anyOf } from '../../db/any.js';
import { isLive, type AccessSnapshot } from '../../access/snapshot.js';
import { roleNames } from '../roles/resolve.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';
import type { Collaboration, Person } from './load.js';
import { decide, effectiveAccess } from '../../access/decide.js';
import { loadAccessSnapshot } from '../../access/load/snapshot.js';
import { lockedForSecondFactor } from '../../http/authorize/second-factor-lock.js';
import { twoFactorRequired } from '../../http/errors.js';

/** A collaboration as its member sees it: the owner, never the owner's alias for the member. */
export function presentCollaboration(c: Collaboration, owner: Person) {
  return {
    id: c.id,
    owner: { id: owner.id, name: owner.name, email: owner.email },
    status: c.status,
    invitedAt: c.invitedAt.toISOString(),
    acceptedAt: c.acceptedAt?.toISOString() ?? null,
    expiresAt: c.status === 'pending' ? (c.tokenExpiresAt?.toISOString() ?? null) : null,
  };
}

/** The owner of a collaboration, for presenting it. */
export async function ownerOf(db: Db, c: Collaboration): Promise<Person> {
  const [owner] = await db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(eq(users.id, c.ownerId)).limit(1);
  if (!owner) throw new Error(`collaboration ${c.id} has no owner`);
  return owner;
}

/**
 * The accounts the caller collaborates with (active or suspended) and the pending invitations to its address. The
 * invitations show only once the address is verified: an unproven address must not reveal who invited its holder.
 */
export async function listMyCollaborations(ctx: AppContext, caller: Caller, limit: number, cursor: string | undefined) {
  const me = caller.user;
  const mine = and(eq(collaborations.memberId, me.id), inArray(collaborations.status, ['active', 'suspended']));
  const invited = me.emailVerifiedAt
    ? and(eq(collaborations.status, 'pending'), sql`lower(${collaborations.email}) = ${me.email.toLowerCase()}`)
    : undefined;
  const rows = await ctx.db
    .select({ collaboration: collaborations, owner: { id: users.id, name: users.name, email: users.email } })
    .from(collaborations)
    .innerJoin(users, eq(users.id, collaborations.ownerId))
    .where(and(invited ? or(mine, invited) : mine, afterCursor(collaborations.invitedAt, collaborations.id, decodeCursor(cursor))))
    .orderBy(desc(collaborations.invitedAt), desc(collaborations.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ at: row.collaboration.invitedAt, id: row.collaboration.id }));
  const items = await Promise.all(
    page.rows.map(async (row) => ({
      ...presentCollaboration(row.collaboration, row.owner),
      ...(await accountAccessOf(ctx, caller, row.collaboration)),
    })),
  );
  return { items, nextCursor: page.nextCursor };
}

/**
 * What the caller may do in an owner's account as a whole, so the dashboard can offer "create in this account"
 * only where a share allows it, without deciding anything itself.
 */
async function accountAccessOf(ctx: AppContext, caller: Caller, c: Collaboration) {
  if (c.status !== 'active') return { permissions: [], canCreateEnvironments: false, shares: [], locked: null };
  const snapshot = await loadAccessSnapshot(ctx.db, ctx.clock.now(), subjectOf(caller), c.ownerId);
  const destinations = [null, ...snapshot.groups.keys()];
  const problem = lockedForSecondFactor(snapshot) ? twoFactorRequired(c.ownerId) : null;
  return {
    locked: problem && { reason: 'two_factor_required' as const, detail: problem.message, enrol: problem.extra.enrol as { api: string; dashboard: string } },
    permissions: effectiveAccess(snapshot, { kind: 'account' }).permissions,
    canCreateEnvironments: destinations.some((groupId) => decide(snapshot, { kind: 'create', groupId }, 'env.create').allowed),
    shares: await mySharesIn(ctx.db, snapshot),
  };
}

/** The caller's own shares in an owner's account, named (resource, roles) with their expiry: "who holds what". */
async function mySharesIn(db: Db, snapshot: AccessSnapshot) {
  const live = snapshot.shares.filter((share) => isLive(share, snapshot.now));
  const groupIds = live.flatMap((share) => (share.resource.type === 'group' ? [share.resource.id] : []));
  const environmentIds = live.flatMap((share) => (share.resource.type === 'environment' ? [share.resource.id] : []));
  const [groupRows, environmentRows, names] = await Promise.all([
    groupIds.length ? db.select({ id: groups.id, name: groups.name }).from(groups).where(anyOf(groups.id, groupIds)) : [],
    environmentIds.length ? db.select({ id: environments.id, name: environments.name }).from(environments).where(anyOf(environments.id, environmentIds)) : [],
    roleNames(db, snapshot.ownerId, live.flatMap((share) => share.roleIds)),
  ]);
  const nameOf = new Map([...groupRows, ...environmentRows].map((row) => [row.id, row.name]));
  return live.map((share) => ({
    id: share.id,
    resource: share.resource.type === 'account' ? { type: share.resource.type } : { type: share.resource.type, id: share.resource.id, name: nameOf.get(share.resource.id) ?? '' },
    roles: share.roleIds.map((id) => ({ id, name: names.get(id) ?? id })),
    expiresAt: share.expiresAt?.toISOString() ?? null,
  }));
}
