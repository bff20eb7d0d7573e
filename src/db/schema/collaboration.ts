import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { createdAt, id, ts } from './columns.js';
import { users } from './accounts.js';
import { environments, groups } from './environments.js';

export const collaborationStatuses = ['pending', 'active', 'suspended', 'rejected', 'left'] as const;
export type CollaborationStatus = (typeof collaborationStatuses)[number];

/** The link between one owner and one invited email. */
export const collaborations = pgTable(
  'collaborations',
  {
    id: id(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    memberId: text('member_id').references(() => users.id, { onDelete: 'cascade' }),
    displayName: text('display_name'),
    status: text('status', { enum: collaborationStatuses }).notNull(),
    tokenHash: text('token_hash').unique(),
    tokenExpiresAt: ts('token_expires_at'),
    invitedBy: text('invited_by').references(() => users.id, { onDelete: 'set null' }),
    invitedAt: ts('invited_at').notNull(),
    acceptedAt: ts('accepted_at'),
    updatedAt: ts('updated_at').notNull(),
    /**
     * Moves on every change to what this member's access is decided from (its status and shares, the owner's groups,
     * filing and roles), in that change's transaction. Writes lock this row before deciding, so a change that commits
     * first always wins; caches of the member's access are valid only for the version they were read at.
     */
    accessVersion: bigint('access_version', { mode: 'number' }).notNull().default(0),
    /** When the member last acted in the account with an allowed request; written at most once an hour (access review). */
    lastUsedAt: ts('last_used_at'),
  },
  (t) => [
    uniqueIndex('collaborations_owner_email_key').on(t.ownerId, sql`lower(${t.email})`),
    index('collaborations_member_idx').on(t.memberId),
  ],
);

/** Custom roles of an owner. System roles live in code (access/catalog.ts) and are never stored. */
export const roles = pgTable(
  'roles',
  {
    id: id(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    permissions: text('permissions').array().notNull(),
    receiveAlerts: boolean('receive_alerts').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('roles_owner_name_key').on(t.ownerId, sql`lower(${t.name})`)],
);

/**
 * A team of an owner's members. Shares given to a team count for each of its members as their own would (a union at
 * each level of the decision); `externalId` is kept for a later mapping to a directory group.
 */
export const teams = pgTable(
  'teams',
  {
    id: id(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    externalId: text('external_id'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('teams_owner_name_key').on(t.ownerId, sql`lower(${t.name})`),
    uniqueIndex('teams_owner_external_id_key').on(t.ownerId, t.externalId).where(sql`${t.externalId} is not null`),
  ],
);

/** Who is in a team: collaborations of the team's owner. Removing or leaving a collaboration takes it out of its teams. */
export const teamMembers = pgTable(
  'team_members',
  {
    teamId: text('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    collaborationId: text('collaboration_id')
      .notNull()
      .references(() => collaborations.id, { onDelete: 'cascade' }),
    addedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.collaborationId] }), index('team_members_collaboration_idx').on(t.collaborationId)],
);

export const shareResourceTypes = ['account', 'group', 'environment'] as const;
export type ShareResourceType = (typeof shareResourceTypes)[number];

/** A set of roles given to one collaboration, or to one team of the owner's members, on one resource. */
export const shares = pgTable(
  'shares',
  {
    id: id(),
    /** The member holding the share; null for a team's share. */
    collaborationId: text('collaboration_id').references(() => collaborations.id, { onDelete: 'cascade' }),
    /** The team holding the share; null for a member's. */
    teamId: text('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    resourceType: text('resource_type', { enum: shareResourceTypes }).notNull(),
    groupId: text('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    environmentId: text('environment_id').references(() => environments.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    /**
     * Set on a share made by approving an access request (access_requests.id; no foreign key, the request points
     * back with one): such a share always expires and sits beside any share the member already has on the resource.
     */
    accessRequestId: text('access_request_id').unique(),
    /** When an allowed action was last decided by this share; written at most once an hour (access review). */
    lastUsedAt: ts('last_used_at'),
    /** The owner's date to look at this share again; the owner is mailed a few days before. */
    reviewBy: ts('review_by'),
    /** Set when that reminder was queued, so it goes out once; cleared when reviewBy moves. */
    reviewRemindedAt: ts('review_reminded_at'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    // One standing share per member and resource; shares granted by requests are temporary and come on top.
    uniqueIndex('shares_collaboration_resource_key')
      .on(t.collaborationId, t.resourceType, sql`coalesce(${t.groupId}, ${t.environmentId}, '')`)
      .where(sql`${t.accessRequestId} is null`),
    uniqueIndex('shares_team_resource_key')
      .on(t.teamId, t.resourceType, sql`coalesce(${t.groupId}, ${t.environmentId}, '')`)
      .where(sql`${t.accessRequestId} is null and ${t.teamId} is not null`),
    index('shares_team_idx').on(t.teamId),
    check('shares_holder_check', sql`(${t.collaborationId} is null) <> (${t.teamId} is null)`),
    index('shares_group_idx').on(t.groupId),
    index('shares_environment_idx').on(t.environmentId),
    index('shares_review_by_idx').on(t.reviewBy),
    check(
      'shares_resource_check',
      sql`(${t.resourceType} = 'account' and ${t.groupId} is null and ${t.environmentId} is null)
        or (${t.resourceType} = 'group' and ${t.groupId} is not null and ${t.environmentId} is null)
        or (${t.resourceType} = 'environment' and ${t.environmentId} is not null and ${t.groupId} is null)`,
    ),
  ],
);

/** The roles of a share: a system role id (`viewer`...) or a custom role's id. */
export const shareRoles = pgTable(
  'share_roles',
  {
    shareId: text('share_id')
      .notNull()
      .references(() => shares.id, { onDelete: 'cascade' }),
    roleId: text('role_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.shareId, t.roleId] }), index('share_roles_role_idx').on(t.roleId)],
);
