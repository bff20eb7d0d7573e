import { bigint, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt, id, ts } from './columns.js';
import { users } from './accounts.js';

/**
 * A person's TOTP second factor (RFC 6238), one per account. The shared secret is stored encrypted with the server's
 * credential key (accounts/factors/credential-key.ts), so a reader of the database alone cannot compute codes.
 */
export const totpFactors = pgTable('totp_factors', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  /** AES-256-GCM of the base32 secret: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  secretCipher: text('secret_cipher').notNull(),
  createdAt: createdAt(),
  /** Set once a code proved the authenticator holds the secret; until then the factor does not count. */
  confirmedAt: ts('confirmed_at'),
  /** The last time step (unix seconds / 30) a code was accepted for: a code is good once per step. */
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
});

/** Single-use recovery codes of a TOTP factor, stored hashed; regenerating deletes the old ones. */
export const recoveryCodes = pgTable(
  'recovery_codes',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull().unique(),
    createdAt: createdAt(),
    usedAt: ts('used_at'),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/**
 * The second step of a sign-in: the password step answers this challenge (its secret stored hashed) instead of a
 * session when the account has a confirmed second factor. Short-lived, single-use, and dead after a few wrong codes.
 */
export const signInChallenges = pgTable(
  'sign_in_challenges',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: createdAt(),
    expiresAt: ts('expires_at').notNull(),
    usedAt: ts('used_at'),
    failures: integer('failures').notNull().default(0),
  },
  (t) => [index('sign_in_challenges_user_idx').on(t.userId)],
);
