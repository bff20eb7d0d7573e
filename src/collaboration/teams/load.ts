import { and, asc, eq, gt, inArray, or } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collaborations, teamMembers, teams, users } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import { decodeCursor, encodeCursor } from '../../http/page-cursor.js';
import type { TeamRow } from '../shares/holder.js';

/** A team as the API shows it, with its members (the owner's alias and the member's account). */
export interface TeamView {
  id: string;
  name: string;
  externalId: string | null;
  members: Array<{ memberId: string; email: string; displayName: string | null; status: string; user: { id: string; name: string; email: string } | null }>;
  createdAt: string;
  updatedAt: string;
}

/** One team of the owner; another owner's team is the same 404 as none. */
export async function findTeam(db: Db, ownerId: string, teamId: string): Promise<TeamRow | null> {
  const [team] = await db
    .select()
    .from(teams)
    .where(and(eq(teams.id, teamId), eq(teams.ownerId, ownerId)))
    .limit(1);
  return team ?? null;
}

export async function loadTeam(db: Db, ownerId: string, teamId: string): Promise<TeamRow> {
  const team = await findTeam(db, ownerId, teamId);
  if (!team) throw notFound('team');
  return team;
}

/** Teams with their members, in one more statement whatever their number. */
export async function presentTeams(db: Db, rows: readonly TeamRow[]): Promise<TeamView[]> {
  if (rows.length === 0) return [];
  const members = await db
    .select({
      teamId: teamMembers.teamId,
      memberId: collaborations.id,
      email: collaborations.email,
      displayName: collaborations.displayName,
      status: collaborations.status,
      user: { id: users.id, name: users.name, email: users.email },
    })
    .from(teamMembers)
    .innerJoin(collaborations, eq(collaborations.id, teamMembers.collaborationId))
    .leftJoin(users, eq(users.id, collaborations.memberId))
    .where(inArray(teamMembers.teamId, rows.map((row) => row.id)))
    .orderBy(asc(teamMembers.addedAt), asc(collaborations.id));
  return rows.map((team) => ({
    id: team.id,
    name: team.name,
    externalId: team.externalId,
    members: members
      .filter((member) => member.teamId === team.id)
      .map(({ memberId, email, displayName, status, user }) => ({ memberId, email, displayName, status, user: user?.id ? user : null })),
    createdAt: team.createdAt.toISOString(),
    updatedAt: team.updatedAt.toISOString(),
  }));
}

export async function presentTeam(db: Db, team: TeamRow): Promise<TeamView> {
  const [view] = await presentTeams(db, [team]);
  if (!view) throw notFound('team');
  return view;
}

/** The owner's teams by name, a page at a time. */
export async function listTeams(db: Db, ownerId: string, limit: number, cursor: string | undefined) {
  const after = decodeCursor(cursor);
  const rows = await db
    .select()
    .from(teams)
    .where(and(eq(teams.ownerId, ownerId), after ? or(gt(teams.createdAt, after.at), and(eq(teams.createdAt, after.at), gt(teams.id, after.id))) : undefined))
    .orderBy(asc(teams.createdAt), asc(teams.id))
    .limit(limit + 1);
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return { items: await presentTeams(db, kept), nextCursor: rows.length > limit && last ? encodeCursor({ at: last.createdAt, id: last.id }) : null };
}

/** Team names by id, for explanations that say which team gave what. */
export async function teamNames(db: Db, teamIds: readonly (string | null)[]): Promise<Map<string, string>> {
  const ids = [...new Set(teamIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, ids));
  return new Map(rows.map((row) => [row.id, row.name]));
}
