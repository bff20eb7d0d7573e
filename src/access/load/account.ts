import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { AccountFacts, MemberFacts } from '../account-access.js';
import type { Db } from '../../db/client.js';
import { collaborations, environments, users } from '../../db/schema/index.js';
import { groupIdsColumn } from './environments.js';
import { readsOn } from '../../db/reads.js';
import { loadGroupTree, loadRolePermissions, loadSharesOfOwner } from './snapshot.js';

/** Which part of an account a change can move: some environments, and everyone's access or some members'. */
export interface AccountPart {
  environmentIds: readonly string[];
  /** Only these collaborations (a share's member); every member whose shares are kept when absent. */
  collaborationIds?: readonly string[];
}

/**
 * What decides the access of the owner's members to some of its environments, read from `db` (inside a change's
 * transaction, before and after the change), for `accessDelta`. Every member whose shares are kept counts as it
 * stands when awake: a suspended member is re-activated with its shares and an ended trial can be extended, so an
 * arrangement made while a member sleeps must not hand it, on waking, access nobody granted (the sequence test's
 * dormant regrouping escalation).
 */
export async function loadAccountFacts(db: Db, now: Date, ownerId: string, part: AccountPart): Promise<AccountFacts> {
  const onlySome = part.collaborationIds ? inArray(collaborations.id, [...part.collaborationIds, '']) : undefined;
  const [rows, sharesByMember, groups, rolePermissions, envs] = await readsOn(
    db,
    () =>
      db
        .select({ collaboration: collaborations, user: users })
        .from(collaborations)
        .innerJoin(users, eq(users.id, collaborations.memberId))
        .where(and(eq(collaborations.ownerId, ownerId), inArray(collaborations.status, ['active', 'suspended']), onlySome)),
    () => loadSharesOfOwner(db, ownerId),
    () => loadGroupTree(db, ownerId),
    () => loadRolePermissions(db, ownerId),
    () =>
      part.environmentIds.length === 0
        ? []
        : db
            .select({ id: environments.id, name: environments.name, groupIds: groupIdsColumn })
            .from(environments)
            .where(and(eq(environments.ownerId, ownerId), isNull(environments.deletedAt), inArray(environments.id, [...part.environmentIds]))),
  );
  const members: MemberFacts[] = rows.map(({ collaboration, user }) => ({
    collaborationId: collaboration.id,
    userId: user.id,
    label: collaboration.displayName ?? user.name,
    shares: sharesByMember.get(collaboration.id) ?? [],
  }));
  return { now, ownerId, members, groups, rolePermissions, environments: envs };
}
