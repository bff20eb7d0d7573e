import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, ts } from './columns.js';
import { users } from './accounts.js';
import { collaborations, shareResourceTypes, shares } from './collaboration.js';
import { environments, groups } from './environments.js';

/** Stored statuses; a pending request past `lapsesAt` reads as `lapsed` (judged at read time, like an expired share). */
export const accessRequestStatuses = ['pending', 'approved', 'denied', 'cancelled', 'lapsed'] as const;
export type AccessRequestStatus = (typeof accessRequestStatuses)[number];

/** A member asking the owner for roles on the account, a group or an environment, for a while, with a reason. */
export const accessRequests = pgTable(
  'access_requests',
  {
    id: id(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    collaborationId: text('collaboration_id')
      .notNull()
      .references(() => collaborations.id, { onDelete: 'cascade' }),
    resourceType: text('resource_type', { enum: shareResourceTypes }).notNull(),
    groupId: text('group_id').references(() => groups.id, { onDelete: 'cascade' }),
    environmentId: text('environment_id').references(() => environments.id, { onDelete: 'cascade' }),
    roleIds: text('role_ids').array().notNull(),
    durationHours: integer('duration_hours').notNull(),
    reason: text('reason').notNull(),
    status: text('status', { enum: accessRequestStatuses }).notNull(),
    createdAt: createdAt(),
    /** An unanswered request lapses here (24 hours after it was made). */
    lapsesAt: ts('lapses_at').notNull(),
    decidedAt: ts('decided_at'),
    decidedBy: text('decided_by').references(() => users.id, { onDelete: 'set null' }),
    comment: text('comment'),
    /** What the approval granted: the requested roles or fewer, the requested hours or fewer. */
    grantedRoleIds: text('granted_role_ids').array(),
    grantedHours: integer('granted_hours'),
    shareId: text('share_id').references(() => shares.id, { onDelete: 'set null' }),
  },
  (t) => [
    index('access_requests_owner_idx').on(t.ownerId, t.createdAt),
    index('access_requests_collaboration_idx').on(t.collaborationId, t.status),
    check(
      'access_requests_resource_check',
      sql`(${t.resourceType} = 'account' and ${t.groupId} is null and ${t.environmentId} is null)
        or (${t.resourceType} = 'group' and ${t.groupId} is not null and ${t.environmentId} is null)
        or (${t.resourceType} = 'environment' and ${t.environmentId} is not null and ${t.groupId} is null)`,
    ),
  ],
);
