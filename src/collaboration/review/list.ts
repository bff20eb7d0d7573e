import { and, asc, eq, gt, inArray, isNotNull, isNull, lt, lte, or } from 'drizzle-orm';
import { DAY } from '../../clock.js';
import type { Db } from '../../db/client.js';
import { collaborations, shares, teamMembers, teams, users } from '../../db/schema/index.js';
import { loadShares, presentShares, type LoadedShare } from '../shares/load.js';
import { staleActingTokens } from '../tokens/acting.js';

/** A share expiring this soon is listed for review. */
export const EXPIRING_WITHIN_MS = 7 * DAY;
const LIMIT = 200;

const live = (now: Date) => or(isNull(shares.expiresAt), gt(shares.expiresAt, now));

/** The owner's members who accepted (active or suspended), with their alias and account name, by collaboration id. */
async function membersOf(db: Db, ownerId: string) {
  const rows = await db
    .select({ id: collaborations.id, alias: collaborations.displayName, status: collaborations.status, lastUsedAt: collaborations.lastUsedAt, acceptedAt: collaborations.acceptedAt, user: { id: users.id, name: users.name, email: users.email } })
    .from(collaborations)
    .innerJoin(users, eq(users.id, collaborations.memberId))
    .where(and(eq(collaborations.ownerId, ownerId), inArray(collaborations.status, ['active', 'suspended'])));
  return new Map(rows.map((row) => [row.id, row]));
}

/** The owner's teams, by id. */
async function teamsOf(db: Db, ownerId: string) {
  const rows = await db.select({ id: teams.id, name: teams.name }).from(teams).where(eq(teams.ownerId, ownerId));
  return new Map(rows.map((row) => [row.id, row]));
}

type Members = Awaited<ReturnType<typeof membersOf>>;
type Teams = Awaited<ReturnType<typeof teamsOf>>;

/** The shares held by the members or teams (a team's own shares, listed once). */
const heldByAny = (members: Members, teamsById: Teams) =>
  or(
    members.size > 0 ? inArray(shares.collaborationId, [...members.keys()]) : undefined,
    teamsById.size > 0 ? inArray(shares.teamId, [...teamsById.keys()]) : undefined,
  );

/** Share rows matching `where` among the members and teams, presented with their holder's label, last use and review date. */
async function sharesWhere(db: Db, ownerId: string, now: Date, holders: { members: Members; teams: Teams }, where: ReturnType<typeof and>) {
  if (holders.members.size === 0 && holders.teams.size === 0) return [];
  const rows = await db
    .select({ id: shares.id, collaborationId: shares.collaborationId, teamId: shares.teamId })
    .from(shares)
    .where(and(heldByAny(holders.members, holders.teams), where))
    .orderBy(asc(shares.createdAt), asc(shares.id))
    .limit(LIMIT);
  const loaded: LoadedShare[] = (
    await Promise.all(rows.map((row) => loadShares(db, row.teamId !== null ? { teamId: row.teamId } : { collaborationId: row.collaborationId ?? '' }, row.id)))
  ).flat();
  const views = await presentShares(db, ownerId, loaded, now);
  return views.map((view) => {
    const team = view.teamId === null ? undefined : holders.teams.get(view.teamId);
    if (team) return { ...view, memberLabel: `Team ${team.name}` };
    const member = view.memberId === null ? undefined : holders.members.get(view.memberId);
    return { ...view, memberLabel: member ? (member.alias ?? member.user.name) : (view.memberId ?? '') };
  });
}

/**
 * What an owner should look at again (issue 13): live shares nobody used for `unusedDays` (never used ones made
 * before that too), shares ending within a week or due for review, active members who never used their access, and
 * tokens acting in the account that were not used for `unusedDays`.
 */
export async function reviewAccess(db: Db, ownerId: string, now: Date, unusedDays: number) {
  const since = new Date(now.getTime() - unusedDays * DAY);
  const soon = new Date(now.getTime() + EXPIRING_WITHIN_MS);
  const [members, teamsById] = await Promise.all([membersOf(db, ownerId), teamsOf(db, ownerId)]);
  const holders = { members, teams: teamsById };
  const [unusedShares, expiringShares, reviewDue, staleTokens, holding, teamHolding] = await Promise.all([
    sharesWhere(db, ownerId, now, holders, and(live(now), or(and(isNull(shares.lastUsedAt), lte(shares.createdAt, since)), lt(shares.lastUsedAt, since)))),
    sharesWhere(db, ownerId, now, holders, and(isNotNull(shares.expiresAt), gt(shares.expiresAt, now), lte(shares.expiresAt, soon))),
    sharesWhere(db, ownerId, now, holders, and(live(now), isNotNull(shares.reviewBy), lte(shares.reviewBy, soon))),
    staleActingTokens(db, ownerId, now, since),
    members.size === 0
      ? Promise.resolve([])
      : db
          .selectDistinct({ id: shares.collaborationId })
          .from(shares)
          .where(and(inArray(shares.collaborationId, [...members.keys()]), live(now))),
    // Members who hold live access through a team count as holding access too.
    teamsById.size === 0
      ? Promise.resolve([])
      : db
          .selectDistinct({ id: teamMembers.collaborationId })
          .from(teamMembers)
          .innerJoin(shares, eq(shares.teamId, teamMembers.teamId))
          .where(and(inArray(teamMembers.teamId, [...teamsById.keys()]), live(now))),
  ]);
  const holdingIds = new Set([...holding, ...teamHolding].map((row) => row.id));
  const idleMembers = [...members.values()]
    .filter((member) => member.status === 'active' && member.lastUsedAt === null && holdingIds.has(member.id))
    .map((member) => ({ memberId: member.id, label: member.alias ?? member.user.name, user: member.user, acceptedAt: member.acceptedAt?.toISOString() ?? null }));
  return { unusedDays, unusedShares, expiringShares, reviewDue, idleMembers, staleTokens };
}
