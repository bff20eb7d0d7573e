import { hash, verify } from '@node-rs/argon2';
import { z } from 'zod';

export const MIN_PASSWORD_LENGTH = 10;

/** A new password: at least 10 characters, not blank, not absurdly long (argon2 hashes every byte). */
export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, { message: `must have at least ${MIN_PASSWORD_LENGTH} characters`, abort: true })
  .max(200, 'must have at most 200 characters')
  .refine((value) => value.trim().length >= MIN_PASSWORD_LENGTH, 'must not be mostly spaces');

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, algorithm: 2 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

// Checked when an email is unknown, so a wrong email takes as long as a wrong password.
let decoy: Promise<string> | undefined;

/** Verifies a password against a stored hash; with no hash, spends the same time and answers false. */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (!stored) {
    decoy ??= hashPassword('decoy password for timing');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
