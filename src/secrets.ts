import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A fresh 256-bit secret, base64url, with an optional prefix that tells what kind of secret it is. */
export function newSecret(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** SHA-256 of a high-entropy secret: what we store instead of the secret itself. */
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Constant-time comparison of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

// Where single-use secrets travel in text: the token of invitation links (`/invitations/<token>`), reset and
// verification links (`?token=`), and prefixed API and signing secrets (`spt_…`, `sp_pat_…`, `whsec_…`).
const INVITATION_PATH = /(\/invitations\/)[^/?#\s"'<>]+/g;
const TOKEN_PARAMETER = /([?&](?:token|challenge)=)[^&#\s"'<>]+/gi;
const PREFIXED_SECRET = /\b(sp(?:t|_[a-z]+)_|whsec_)[A-Za-z0-9_-]{16,}/g;

/**
 * Blanks the secrets in a URL, a log line or a mail body: what it said stays readable, no working key does.
 * Used for mail once it has left and for every URL the request log records.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(INVITATION_PATH, '$1[redacted]')
    .replace(TOKEN_PARAMETER, '$1[redacted]')
    .replace(PREFIXED_SECRET, '$1[redacted]');
}
