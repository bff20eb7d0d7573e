import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigserial,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { createdAt, id, ts } from './columns.js';
import { users } from './accounts.js';

export const environmentStatuses = [
  'creating',
  'running',
  'stopping',
  'stopped',
  'starting',
  'restarting',
  'deleting',
  'failed',
] as const;
export type EnvironmentStatus = (typeof environmentStatuses)[number];

export const environments = pgTable(
  'environments',
  {
    id: id(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    displayName: text('display_name').notNull(),
    status: text('status', { enum: environmentStatuses }).notNull(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    variables: jsonb('variables').$type<Record<string, string>>().notNull().default({}),
    deployedSource: text('deployed_source'),
    statusReason: text('status_reason'),
    createdAt: createdAt(),
    updatedAt: ts('updated_at').notNull(),
    /**
     * Set when the runtime has destroyed the environment. The row is kept (hidden from every API read) so that
     * its runs, topology and creator stay readable for metering and usage reports; its name is free again.
     */
    deletedAt: ts('deleted_at'),
  },
  (t) => [
    // An owner's listing walks this in name order (and it serves every lookup by owner).
    index('environments_owner_name_idx').on(t.ownerId, t.name),
    // The name is the domain prefix: unique among environments that exist.
    uniqueIndex('environments_name_key').on(t.name).where(sql`${t.deletedAt} is null`),
  ],
);

/** The topology: one row per node role, with its image, node count and cloudlets per node. */
export const nodeGroups = pgTable(
  'node_groups',
  {
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    image: text('image').notNull(),
    count: integer('count').notNull(),
    cloudlets: integer('cloudlets').notNull(),
  },
  (t) => [primaryKey({ columns: [t.environmentId, t.role] })],
);

/** Node instances as the runtime driver reports them. */
export const nodes = pgTable(
  'nodes',
  {
    id: id(),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    role: text('role').notNull(),
    ordinal: integer('ordinal').notNull(),
    status: text('status').notNull(),
    address: text('address'),
  },
  (t) => [unique('nodes_env_role_ordinal_key').on(t.environmentId, t.role, t.ordinal)],
);

/** Periods during which an environment was running: what the metering worker charges for. */
export const environmentRuns = pgTable(
  'environment_runs',
  {
    id: id(),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    startedAt: ts('started_at').notNull(),
    stoppedAt: ts('stopped_at'),
  },
  (t) => [
    index('environment_runs_env_idx').on(t.environmentId, t.startedAt),
    // At most one open run per environment: the status machine opens and closes them in pairs.
    uniqueIndex('environment_runs_open_key').on(t.environmentId).where(sql`${t.stoppedAt} is null`),
  ],
);

export const runtimeJobStatuses = ['queued', 'running', 'done', 'failed'] as const;

/** Actions handed to the runtime driver; claimed with a lease so one node drives each. */
export const runtimeJobs = pgTable(
  'runtime_jobs',
  {
    id: id(),
    /** Jobs of one environment run one at a time, in this order. */
    seq: bigserial('seq', { mode: 'number' }).notNull(),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    action: text('action').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status', { enum: runtimeJobStatuses }).notNull().default('queued'),
    attempts: integer('attempts').notNull().default(0),
    lockedUntil: ts('locked_until'),
    error: text('error'),
    createdAt: createdAt(),
    finishedAt: ts('finished_at'),
  },
  (t) => [index('runtime_jobs_due_idx').on(t.status, t.seq), index('runtime_jobs_env_idx').on(t.environmentId, t.seq)],
);

export const environmentLogs = pgTable(
  'environment_logs',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
    at: ts('at').notNull(),
    source: text('source').notNull(),
    line: text('line').notNull(),
  },
  (t) => [index('environment_logs_env_idx').on(t.environmentId, t.id)],
);

export const groups = pgTable(
  'groups',
  {
    id: id(),
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    parentId: text('parent_id').references((): AnyPgColumn => groups.id, { onDelete: 'restrict' }),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    // Sibling names are unique; the root level is keyed by an empty parent.
    uniqueIndex('groups_sibling_name_key').on(t.ownerId, sql`coalesce(${t.parentId}, '')`, sql`lower(${t.name})`),
    index('groups_parent_idx').on(t.parentId),
  ],
);

export const groupEnvironments = pgTable(
  'group_environments',
  {
    groupId: text('group_id')
      .notNull()
      .references(() => groups.id, { onDelete: 'cascade' }),
    environmentId: text('environment_id')
      .notNull()
      .references(() => environments.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.environmentId] }), index('group_environments_env_idx').on(t.environmentId)],
);
