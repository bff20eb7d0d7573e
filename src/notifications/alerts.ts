import { and, eq, isNotNull } from 'drizzle-orm';
import { systemRoles } from '../access/catalog.js';
import { canSee, effectiveAccess } from '../access/decide.js';
import type { AccessTarget } from '../access/snapshot.js';
import { isTrialExpired } from '../accounts/caller.js';
import { collaborationVersionColumns, loadGroupTree, loadRolePermissions, loadSharesOf } from '../access/load/snapshot.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { collaborations, groupEnvironments, roles, users } from '../db/schema/index.js';
import { deliverNotice } from './deliver.js';
import type { Initiator } from './initiator.js';
import { readsOn } from '../db/reads.js';

export interface Alert {
  title: string;
  body: string;
  /** A dashboard path, e.g. `/environments/<id>`; the mail links to it under PUBLIC_URL. Default: the environment, or `/`. */
  link?: string;
  /** The environment the alert is about; without it, the alert is about the whole account. */
  environmentId?: string;
  /** Who did what the alert is about (the platform itself for trial deadlines). */
  initiator: Initiator;
}

export interface AlertedMember {
  userId: string;
  email: string;
}

/** Ids of the roles that carry the receiveAlerts flag: the system ones that do, and the owner's custom ones. */
async function alertRoleIds(db: Db, ownerId: string): Promise<Set<string>> {
  const custom = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.ownerId, ownerId), eq(roles.receiveAlerts, true)));
  return new Set([...systemRoles.filter((role) => role.receiveAlerts).map((role) => role.id), ...custom.map((role) => role.id)]);
}

/**
 * The members who should hear about an alert: active, with a live role flagged receiveAlerts on the target, and not
 * locked out by the owner's two-factor policy (a member without the second factor the owner requires is refused
 * everything in the account, so it hears nothing about it either).
 */
async function alertRecipients(db: Db, ctx: AppContext, ownerId: string, environmentId: string | undefined) {
  const now = ctx.clock.now();
  const members = await db
    .select({
      collaborationId: collaborations.id,
      userId: users.id,
      email: users.email,
      name: users.name,
      type: users.type,
      trialEndsAt: users.trialEndsAt,
      // The owner requires a second factor and the member has none (hasSecondFactorSql decides "has").
      lacksRequiredSecondFactor: collaborationVersionColumns.lacksRequiredSecondFactor,
    })
    .from(collaborations)
    .innerJoin(users, eq(users.id, collaborations.memberId))
    .where(and(eq(collaborations.ownerId, ownerId), eq(collaborations.status, 'active'), isNotNull(collaborations.memberId)));
  if (members.length === 0) return [];
  const [flagged, groups, rolePermissions, sharesByCollaboration] = await readsOn(
    db,
    () => alertRoleIds(db, ownerId),
    () => loadGroupTree(db, ownerId),
    () => loadRolePermissions(db, ownerId),
    () => loadSharesOf(db, members.map((member) => member.collaborationId)),
  );
  let target: AccessTarget = { kind: 'account' };
  if (environmentId !== undefined) {
    const links = await db.select({ groupId: groupEnvironments.groupId }).from(groupEnvironments).where(eq(groupEnvironments.environmentId, environmentId));
    target = { kind: 'environment', environmentId, groupIds: links.map((link) => link.groupId) };
  }
  const recipients = [];
  for (const member of members) {
    const access = effectiveAccess(
      {
        now,
        subject: { id: member.userId, trialExpired: isTrialExpired(member, now) },
        ownerId,
        collaboration: { id: member.collaborationId, status: 'active', lacksRequiredSecondFactor: member.lacksRequiredSecondFactor === true },
        shares: sharesByCollaboration.get(member.collaborationId) ?? [],
        groups,
        rolePermissions,
      },
      target,
    );
    // The level that decides access decides alerts too; an alert never reveals an environment the member cannot see.
    const flaggedRole = access.via.some((grant) => grant.roleIds.some((roleId) => flagged.has(roleId)));
    if (flaggedRole && (target.kind === 'account' || canSee(access))) recipients.push(member);
  }
  return recipients;
}

/**
 * Tells the owner's members who hold a role with `receiveAlerts` on the environment (or, without one, on the whole
 * account) about an event: an `environment.alert` notification and a mail each, written in the caller's
 * transaction. Call `ctx.wake.mail()` after it commits. Returns who was alerted.
 */
export async function alertMembers(tx: Db, ctx: AppContext, ownerId: string, alert: Alert): Promise<AlertedMember[]> {
  const recipients = await alertRecipients(tx, ctx, ownerId, alert.environmentId);
  const link = alert.link ?? (alert.environmentId ? `/environments/${alert.environmentId}` : '/');
  for (const member of recipients) {
    await deliverNotice(tx, ctx, { id: member.userId, email: member.email, name: member.name }, {
      type: 'environment.alert',
      title: alert.title,
      body: alert.body,
      link,
      actionLabel: 'Open in Shareplane',
      footnote: 'You get this mail because one of your roles in this account receives alerts. The account owner can change that.',
      by: { initiator: alert.initiator, ownerId },
    });
  }
  return recipients.map((member) => ({ userId: member.userId, email: member.email }));
}
