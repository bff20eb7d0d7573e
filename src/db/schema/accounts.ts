import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, createdAt, ts } from './columns.js';

export const accountTypes = ['trial', 'paid', 'collaborator'] as const;
export type AccountType = (typeof accountTypes)[number];

export const users = pgTable(
  'users',
  {
    id: id(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    passwordHash: text('password_hash').notNull(),
    type: text('type', { enum: accountTypes }).notNull(),
    trialEndsAt: ts('trial_ends_at'),
    emailVerifiedAt: ts('email_verified_at'),
    isAdmin: boolean('is_admin').notNull().default(false),
    /** Set when the trial-ending warning was queued, so it goes out once. */
    trialWarnedAt: ts('trial_warned_at'),
    /** Set when the end of the trial was handled (environments stopped, mail queued), so it happens once. */
    trialEndedHandledAt: ts('trial_ended_handled_at'),
    /** The owner's policy: the longest a token acting in this account may live, in days (null: no limit of its own). */
    tokenMaxLifetimeDays: integer('token_max_lifetime_days'),
    /** The owner's policy: the longest access a member may request (and be granted by a request), in hours. */
    accessRequestMaxHours: integer('access_request_max_hours').notNull().default(8),
    /** The owner's policy: members without a second factor are refused everything in this account. */
    requireTwoFactor: boolean('require_two_factor').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_lower_key').on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    lastSeenAt: ts('last_seen_at').notNull(),
    expiresAt: ts('expires_at').notNull(),
    userAgent: text('user_agent'),
    /** The address the session was started from. */
    ip: text('ip'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/** An API token's scope as stored (access/token-scope.ts reads it as a TokenScope). */
export interface StoredTokenScope {
  ownerId: string;
  resources: ReadonlyArray<{ type: 'account' } | { type: 'group' | 'environment'; id: string }>;
  permissions: readonly string[];
}

export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at'),
    lastUsedAt: ts('last_used_at'),
    /** The address of the request that last used the token. */
    lastUsedIp: text('last_used_ip'),
    /** What the token may do at most (null: everything its holder can do, the tokens made before scopes). */
    scope: jsonb('scope').$type<StoredTokenScope>(),
    /** The owner whose account a scoped token acts in: the owner's list of tokens acting there reads it. */
    scopeOwnerId: text('scope_owner_id').references(() => users.id, { onDelete: 'cascade' }),
    revokedAt: ts('revoked_at'),
  },
  (t) => [index('api_tokens_user_idx').on(t.userId), index('api_tokens_scope_owner_idx').on(t.scopeOwnerId)],
);

export const emailTokenPurposes = ['verify', 'reset'] as const;

/** Single-use tokens mailed to a person: email verification and password reset. */
export const emailTokens = pgTable(
  'email_tokens',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose', { enum: emailTokenPurposes }).notNull(),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
  },
  (t) => [index('email_tokens_user_idx').on(t.userId, t.purpose)],
);
