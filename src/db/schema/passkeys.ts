import type { AuthenticatorTransportFuture } from '@simplewebauthn/server';
import { bigint, boolean, index, jsonb, pgTable, text } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';
import { createdAt, id, ts } from './columns.js';

/**
 * A person's passkeys (WebAuthn credentials). Only the public key is kept: a database reader learns nothing that
 * signs in. `counter` is the authenticator's signature counter, checked on each use against cloned keys.
 */
export const passkeys = pgTable(
  'passkeys',
  {
    id: id(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The credential id the authenticator chose, base64url: unique on the platform. */
    credentialId: text('credential_id').notNull().unique(),
    /** The COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: jsonb('transports').$type<AuthenticatorTransportFuture[]>().notNull().default([]),
    /** Whether the authenticator said the key is synced between devices (a "multi-device" credential). */
    backedUp: boolean('backed_up').notNull().default(false),
    createdAt: createdAt(),
    lastUsedAt: ts('last_used_at'),
  },
  (t) => [index('passkeys_user_idx').on(t.userId)],
);

export const webauthnCeremonies = ['register', 'signin'] as const;

/**
 * A WebAuthn challenge the server issued and has not seen answered: single-use (deleted when answered) and
 * short-lived. `userId` is the person it was issued to; null for a passwordless sign-in, where the passkey names
 * its person.
 */
export const webauthnChallenges = pgTable(
  'webauthn_challenges',
  {
    id: id(),
    /** SHA-256 of the challenge: the answer carries the challenge, which finds its row. */
    challengeHash: text('challenge_hash').notNull().unique(),
    ceremony: text('ceremony', { enum: webauthnCeremonies }).notNull(),
    userId: text('user_id').references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: ts('expires_at').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('webauthn_challenges_expires_idx').on(t.expiresAt)],
);
