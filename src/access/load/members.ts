import { and, eq, type SQL } from 'drizzle-orm';
import { effectiveAccess } from '../decide.js';
import type { Db } from '../../db/client.js';
import { collaborations, users } from '../../db/schema/index.js';
import type { Permission } from '../catalog.js';
import type { ShareFacts } from '../snapshot.js';
import { loadRolePermissions, loadShares, loadSharesOf } from './snapshot.js';
import { readsOn } from '../../db/reads.js';
import { hasSecondFactorSql } from '../../accounts/factors/second-factor.js';

export type Collaboration = typeof collaborations.$inferSelect;
export interface Person {
  id: string;
  name: string;
  email: string;
}
export interface MemberRow {
  collaboration: Collaboration;
  user: Person | null;
  /** Whether the member's account has a second factor (accounts/factors/second-factor.ts). */
  hasSecondFactor: boolean;
}

/** Collaborations with their linked account, filtered by `where`. */
export async function selectMembers(db: Db, where: SQL | undefined): Promise<MemberRow[]> {
  const rows = await db
    .select({
      collaboration: collaborations,
      user: { id: users.id, name: users.name, email: users.email },
      hasSecondFactor: hasSecondFactorSql(collaborations.memberId),
    })
    .from(collaborations)
    .leftJoin(users, eq(users.id, collaborations.memberId))
    .where(where);
  return rows.map((row) => ({ collaboration: row.collaboration, user: row.user?.id ? row.user : null, hasSecondFactor: row.hasSecondFactor === true }));
}

/** One member of `ownerId`'s account, or null: another owner's member is the same as none. */
export async function findMember(db: Db, ownerId: string, id: string): Promise<MemberRow | null> {
  const [row] = await selectMembers(db, and(eq(collaborations.id, id), eq(collaborations.ownerId, ownerId)));
  return row ?? null;
}

/** Whether a collaboration's account-level shares hold collaboration.manage, whatever its status. */
export async function holdsManage(db: Db, now: Date, collaboration: Collaboration): Promise<boolean> {
  if (!collaboration.memberId) return false;
  const [shares, rolePermissions] = await readsOn(
    db,
    () => loadShares(db, collaboration.id),
    () => loadRolePermissions(db, collaboration.ownerId),
  );
  return managesWith(now, collaboration, shares, rolePermissions);
}

/** Which of one owner's collaborations hold collaboration.manage (see holdsManage): their shares only, in three statements. */
export async function managersAmong(db: Db, now: Date, ownerId: string, among: readonly Collaboration[]): Promise<Set<string>> {
  const ids = among.filter((c) => c.memberId).map((c) => c.id);
  const [sharesByMember, rolePermissions] = await readsOn(
    db,
    () => loadSharesOf(db, ids),
    () => loadRolePermissions(db, ownerId),
  );
  return new Set(among.filter((c) => c.memberId && managesWith(now, c, sharesByMember.get(c.id) ?? [], rolePermissions)).map((c) => c.id));
}

function managesWith(now: Date, collaboration: Collaboration, shares: readonly ShareFacts[], rolePermissions: ReadonlyMap<string, readonly Permission[]>): boolean {
  if (!collaboration.memberId) return false;
  // Judged as if active: a suspended manager is still one, and only the owner may reinstate or remove it.
  const access = effectiveAccess(
    {
      now,
      subject: { id: collaboration.memberId, trialExpired: false },
      ownerId: collaboration.ownerId,
      collaboration: { id: collaboration.id, status: 'active' },
      shares,
      groups: new Map(),
      rolePermissions,
    },
    { kind: 'account' },
  );
  return access.permissions.includes('collaboration.manage');
}
