import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { isUniqueViolation } from '../../db/errors.js';
import { shares, teams } from '../../db/schema/index.js';
import { lockAccessChange } from '../../http/authorize/lock.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { notFound, problem } from '../../http/errors.js';
import { deliverNotice } from '../../notifications/deliver.js';
import { noticeBy, type OwnerScope } from '../scope.js';
import { lockTeam, teamAffected } from '../shares/holder.js';
import { presentTeam, type TeamView } from './load.js';
import { leftTeamNotice } from './notices.js';

export interface TeamInput {
  name?: string | undefined;
  externalId?: string | null | undefined;
}

const nameTaken = (name: string) =>
  problem(409, 'team_name_taken', 'Team name taken', `A team named "${name}" already exists in this account.`, { errors: [{ path: 'name', message: 'is taken' }] });
const externalIdTaken = (externalId: string) =>
  problem(409, 'team_external_id_taken', 'External id taken', `Another team of this account already has the external id "${externalId}".`, {
    errors: [{ path: 'externalId', message: 'is taken' }],
  });

/** A unique violation on a team's name or external id, as the problem the client can act on. */
function asTakenProblem(error: unknown, input: TeamInput): unknown {
  if (isUniqueViolation(error, 'teams_owner_name_key')) return nameTaken(input.name ?? '');
  if (isUniqueViolation(error, 'teams_owner_external_id_key')) return externalIdTaken(input.externalId ?? '');
  return error;
}

/** The audit record of a change to a team, by the owner (or whoever acts in the scope). */
export const teamAudit = (scope: OwnerScope, now: Date, action: string, teamId: string, details: Record<string, unknown>) => ({
  at: now,
  actor: scope.actor.user,
  ownerId: scope.owner.id,
  action,
  targetType: 'team',
  targetId: teamId,
  outcome: 'ok' as const,
  requestId: scope.meta.requestId,
  details,
});

/** Creates an empty team: it gives nothing until it has members and shares. */
export async function createTeam(ctx: AppContext, scope: OwnerScope, input: { name: string; externalId?: string | null | undefined }): Promise<TeamView> {
  const now = ctx.clock.now();
  try {
    const team = await ctx.db.transaction(async (tx) => {
      await decideUnderLock(tx, now, scope.authorized);
      const [created] = await tx
        .insert(teams)
        .values({ ownerId: scope.owner.id, name: input.name, externalId: input.externalId ?? null, createdAt: now, updatedAt: now })
        .returning();
      if (!created) throw new Error('team insert returned nothing');
      await recordAudit(tx, teamAudit(scope, now, 'team.create', created.id, { name: created.name, externalId: created.externalId }));
      return created;
    });
    return presentTeam(ctx.db, team);
  } catch (error) {
    throw asTakenProblem(error, input);
  }
}

/** Renames a team or changes its external id; nobody's access changes. */
export async function updateTeam(ctx: AppContext, scope: OwnerScope, teamId: string, input: TeamInput): Promise<TeamView> {
  const now = ctx.clock.now();
  try {
    const team = await ctx.db.transaction(async (tx) => {
      await decideUnderLock(tx, now, scope.authorized);
      const before = await lockTeam(tx, scope.owner.id, teamId);
      const [updated] = await tx
        .update(teams)
        .set({ updatedAt: now, ...(input.name === undefined ? {} : { name: input.name }), ...(input.externalId === undefined ? {} : { externalId: input.externalId }) })
        .where(eq(teams.id, teamId))
        .returning();
      if (!updated) throw notFound('team');
      await recordAudit(
        tx,
        teamAudit(scope, now, 'team.update', teamId, { before: { name: before.name, externalId: before.externalId }, after: { name: updated.name, externalId: updated.externalId } }),
      );
      return updated;
    });
    return presentTeam(ctx.db, team);
  } catch (error) {
    throw asTakenProblem(error, input);
  }
}

/**
 * Deletes a team: its shares end at once (each audited as a revocation), and every member who was in it is told.
 * The members themselves stay, with their own shares.
 */
export async function deleteTeam(ctx: AppContext, scope: OwnerScope, teamId: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await decideUnderLock(tx, now, scope.authorized);
    const team = await lockTeam(tx, scope.owner.id, teamId);
    const affected = await teamAffected(tx, teamId);
    await lockAccessChange(tx, scope.owner.id, { collaborationIds: affected.map((member) => member.collaborationId) });
    const ended = await tx.delete(shares).where(eq(shares.teamId, teamId)).returning({ id: shares.id, resourceType: shares.resourceType, groupId: shares.groupId, environmentId: shares.environmentId });
    await tx.delete(teams).where(eq(teams.id, teamId));
    for (const share of ended) {
      await recordAudit(tx, {
        ...teamAudit(scope, now, 'share.delete', share.id, { teamId, resource: { type: share.resourceType, id: share.groupId ?? share.environmentId }, because: 'team.delete' }),
        targetType: 'share',
      });
    }
    const by = await noticeBy(tx, scope);
    for (const member of affected) await deliverNotice(tx, ctx, member.user, { ...leftTeamNotice(scope.owner.name, team.name, true), by });
    await recordAudit(tx, teamAudit(scope, now, 'team.delete', teamId, { name: team.name, sharesDeleted: ended.length, members: affected.map((member) => member.collaborationId) }));
  });
  ctx.wake.mail();
}
