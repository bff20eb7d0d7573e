import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { type Caller, subjectOf } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { collaborations, environments, groups, roles, users } from '../../db/schema/index.js';
import { anyOf } from '../../db/any.js';
import { isLive, type AccessSnapshot } from '../../access/snapshot.js';
import { systemRole, systemRoles } from '../../access/catalog.js';
import { readsOn } from '../../db/reads.js';
import { afterCursor, decodeCursor, pageOf } from '../../http/page-cursor.js';
import type { Collaboration, Person } from './load.js';
import { decide, effectiveAccess } from '../../access/decide.js';
import { collaborationVersionColumns, loadAccessSnapshots } from '../../access/load/snapshot.js';
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
    .select({
      collaboration: collaborations,
      lacksRequiredSecondFactor: collaborationVersionColumns.lacksRequiredSecondFactor,
      tokenMaxLifetimeDays: users.tokenMaxLifetimeDays,
      owner: { id: users.id, name: users.name, email: users.email },
    })
    .from(collaborations)
    .innerJoin(users, eq(users.id, collaborations.ownerId))
    .where(and(invited ? or(mine, invited) : mine, afterCursor(collaborations.invitedAt, collaborations.id, decodeCursor(cursor))))
    .orderBy(desc(collaborations.invitedAt), desc(collaborations.id))
    .limit(limit + 1);
  const page = pageOf(rows, limit, (row) => ({ at: row.collaboration.invitedAt, id: row.collaboration.id }));
  const access = await accountAccessOf(ctx, caller, page.rows);
  const items = page.rows.map((row) => ({ ...presentCollaboration(row.collaboration, row.owner), ...(access.get(row.collaboration.id) ?? NO_ACCESS) }));
  return { items, nextCursor: page.nextCursor };
}

const NO_ACCESS = { permissions: [], canCreateEnvironments: false, shares: [], locked: null };

/** Why an account the member belongs to refuses it everything, and where to lift that. */
interface Locked {
  reason: 'two_factor_required';
  detail: string;
  enrol: { api: string; dashboard: string };
}

/**
 * What the caller may do in each owner's account as a whole (active collaborations only), so the dashboard can
 * offer "create in this account" only where a share allows it, without deciding anything itself. The whole page is
 * read in a fixed number of statements: the snapshots together, then the names of every share's resource and roles.
 */
async function accountAccessOf(
  ctx: AppContext,
  caller: Caller,
  page: ReadonlyArray<{ collaboration: Collaboration; lacksRequiredSecondFactor: boolean; tokenMaxLifetimeDays: number | null }>,
) {
  const active = page
    .filter((row) => row.collaboration.status === 'active')
    .map((row) => ({
      ownerId: row.collaboration.ownerId,
      collaboration: { ...row.collaboration, lacksRequiredSecondFactor: row.lacksRequiredSecondFactor, tokenMaxLifetimeDays: row.tokenMaxLifetimeDays },
    }));
  const snapshots = await loadAccessSnapshots(ctx.db, ctx.clock.now(), subjectOf(caller), active);
  const named = await shareNames(ctx.db, [...snapshots.values()]);
  const answers = new Map<string, { permissions: string[]; canCreateEnvironments: boolean; shares: ReturnType<typeof named>; locked: Locked | null }>();
  for (const [id, snapshot] of snapshots) {
    const destinations = [null, ...snapshot.groups.keys()];
    const problem = lockedForSecondFactor(snapshot) ? twoFactorRequired(snapshot.ownerId) : null;
    answers.set(id, {
      locked: problem && { reason: 'two_factor_required' as const, detail: problem.message, enrol: problem.extra.enrol as { api: string; dashboard: string } },
      permissions: effectiveAccess(snapshot, { kind: 'account' }).permissions,
      canCreateEnvironments: destinations.some((groupId) => decide(snapshot, { kind: 'create', groupId }, 'env.create').allowed),
      shares: named(snapshot),
    });
  }
  return answers;
}

/** The caller's own live shares in each account, named (resource, roles) with their expiry: "who holds what". */
async function shareNames(db: Db, snapshots: readonly AccessSnapshot[]) {
  const live = snapshots.flatMap((snapshot) => snapshot.shares.filter((share) => isLive(share, snapshot.now)));
  const groupIds = live.flatMap((share) => (share.resource.type === 'group' ? [share.resource.id] : []));
  const environmentIds = live.flatMap((share) => (share.resource.type === 'environment' ? [share.resource.id] : []));
  const customRoleIds = [...new Set(live.flatMap((share) => share.roleIds))].filter((id) => !systemRole(id));
  const ownerIds = snapshots.map((snapshot) => snapshot.ownerId);
  const [groupRows, environmentRows, roleRows] = await readsOn(
    db,
    () => (groupIds.length ? db.select({ id: groups.id, name: groups.name }).from(groups).where(anyOf(groups.id, groupIds)) : []),
    () => (environmentIds.length ? db.select({ id: environments.id, name: environments.name }).from(environments).where(anyOf(environments.id, environmentIds)) : []),
    () =>
      customRoleIds.length
        ? db
            .select({ id: roles.id, name: roles.name })
            .from(roles)
            .where(and(anyOf(roles.ownerId, ownerIds), anyOf(roles.id, customRoleIds)))
        : [],
  );
  const nameOf = new Map([...groupRows, ...environmentRows].map((row) => [row.id, row.name]));
  const roleName = new Map<string, string>([...systemRoles.map((role) => [role.id, role.name] as const), ...roleRows.map((row) => [row.id, row.name] as const)]);
  return (snapshot: AccessSnapshot) =>
    snapshot.shares
      .filter((share) => isLive(share, snapshot.now))
      .map((share) => ({
        id: share.id,
        resource: share.resource.type === 'account' ? { type: share.resource.type } : { type: share.resource.type, id: share.resource.id, name: nameOf.get(share.resource.id) ?? '' },
        roles: share.roleIds.map((id) => ({ id, name: roleName.get(id) ?? id })),
        expiresAt: share.expiresAt?.toISOString() ?? null,
      }));
}
