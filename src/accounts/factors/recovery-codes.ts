import { randomInt } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { recoveryCodes } from '../../db/schema/index.js';
import type { Config } from '../../config.js';
import { credentialDigest } from './credential-key.js';

export const RECOVERY_CODE_COUNT = 10;
// No 0/O, 1/l/I: a code is read off paper and typed.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const CODE = /^[a-z2-9]{5}-[a-z2-9]{5}$/;

/** Recovery codes are typed by hand: case and spaces do not matter. */
export function normalizeRecoveryCode(input: string): string {
  return input.trim().toLowerCase().replace(/\s+/g, '');
}

/** Whether the text has the shape of a recovery code (`xxxxx-xxxxx`), as opposed to a six-digit TOTP code. */
export const looksLikeRecoveryCode = (input: string): boolean => CODE.test(normalizeRecoveryCode(input));

function newCode(): string {
  const half = () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return `${half()}-${half()}`;
}

/** Replaces every recovery code of the account with ten new ones (about 49 bits each), stored as keyed digests; answers them once. */
export async function replaceRecoveryCodes(db: Db, config: Config, userId: string): Promise<string[]> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newCode);
  await db.insert(recoveryCodes).values(codes.map((code) => ({ userId, codeHash: credentialDigest(config, code) })));
  return codes;
}

/** Uses up one unused recovery code of the account; false when it is unknown or already used. */
export async function consumeRecoveryCode(db: Db, config: Config, userId: string, input: string, now: Date): Promise<boolean> {
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: now })
    .where(and(eq(recoveryCodes.userId, userId), eq(recoveryCodes.codeHash, credentialDigest(config, normalizeRecoveryCode(input))), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length > 0;
}

/** How many recovery codes the account has left. */
export async function recoveryCodesLeft(db: Db, userId: string): Promise<number> {
  const rows = await db
    .select({ id: recoveryCodes.id })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));
  return rows.length;
}
