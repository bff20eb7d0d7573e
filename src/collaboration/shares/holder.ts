import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { collaborations, teamMembers, teams, users } from '../../db/schema/index.js';
import type { Authorized } from '../../http/authorize/authorized.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { notFound } from '../../http/errors.js';
import type { MemberRow, Person } from '../members/load.js';
import { assertStillShareable, shareableMember } from './context.js';
import type { ShareHolderKey } from './load.js';

export type TeamRow = typeof teams.$inferSelect;

/** Who a share is given to: one member who accepted, or one team of the owner's members. */
export type ShareHolder =
  | { kind: 'member'; key: { collaborationId: string }; user: Person }
  | { kind: 'team'; key: { teamId: string }; team: TeamRow };

/** A member as a share holder: only one who accepted (active or suspended) can hold shares. */
export function memberHolder(member: MemberRow): ShareHolder {
  const shareable = shareableMember(member);
  return { kind: 'member', key: { collaborationId: shareable.collaboration.id }, user: shareable.user };
}

export const teamHolder = (team: TeamRow): ShareHolder => ({ kind: 'team', key: { teamId: team.id }, team });

/** A member whose access a change to a holder's shares moves, with its account and whether it is told. */
export interface Affected {
  collaborationId: string;
  user: Person;
}

/** The members of a team whose access its shares decide (active or suspended: a suspended one gets them back). */
export async function teamAffected(tx: Db, teamId: string): Promise<Affected[]> {
  const rows = await tx
    .select({ collaborationId: collaborations.id, user: { id: users.id, name: users.name, email: users.email } })
    .from(teamMembers)
    .innerJoin(collaborations, eq(collaborations.id, teamMembers.collaborationId))
    .innerJoin(users, eq(users.id, collaborations.memberId))
    .where(and(eq(teamMembers.teamId, teamId), inArray(collaborations.status, ['active', 'suspended'])))
    .orderBy(asc(collaborations.id));
  return rows;
}

/** Locks a team row of the owner for a change to it or its members (404 when it went meanwhile). */
export async function lockTeam(tx: Db, ownerId: string, teamId: string): Promise<TeamRow> {
  const [team] = await tx
    .select()
    .from(teams)
    .where(and(eq(teams.id, teamId), eq(teams.ownerId, ownerId)))
    .for('update');
  if (!team) throw notFound('team');
  return team;
}

/**
 * The first step of a change to a holder's shares: locks what decides its access (the member's collaboration; the
 * team row, then every member of the team, so a membership change and a team share change never interleave), moves
 * their access versions and decides the route's rule again. Answers the fresh authorization and who is affected.
 */
export async function lockHolder(tx: Db, now: Date, authorized: Authorized, holder: ShareHolder): Promise<{ fresh: Authorized; affected: Affected[] }> {
  if (holder.kind === 'member') {
    const fresh = await decideUnderLock(tx, now, authorized, { collaborationIds: [holder.key.collaborationId] });
    await assertStillShareable(tx, holder.key.collaborationId);
    return { fresh, affected: [{ collaborationId: holder.key.collaborationId, user: holder.user }] };
  }
  await lockTeam(tx, holder.team.ownerId, holder.team.id);
  const affected = await teamAffected(tx, holder.team.id);
  const fresh = await decideUnderLock(tx, now, authorized, { collaborationIds: affected.map((member) => member.collaborationId) });
  return { fresh, affected };
}

/** How audit details name the holder. */
export const holderDetails = (holder: ShareHolder): { memberId: string } | { teamId: string } =>
  holder.kind === 'member' ? { memberId: holder.key.collaborationId } : { teamId: holder.key.teamId };

/** How a notice names what was shared: the resource, and for a team share the team it came through. */
export const throughHolder = (holder: ShareHolder, resource: string): string => (holder.kind === 'team' ? `${resource} (through the team ${holder.team.name})` : resource);

export const holderKeyOf = (holder: ShareHolder): ShareHolderKey => holder.key;
