/**
 * Mail carries single-use secrets (verification, reset and invitation links). Once a mail has left, or when anyone
 * but its recipient reads it (the admins' outbox view), those parts are blanked: the outbox keeps what was said,
 * never a working key.
 */
export function redactSecrets(body: string): string {
  return body.replace(/([?&]token=)[A-Za-z0-9_-]+/g, '$1[redacted]').replace(/(\/invitations\/)[A-Za-z0-9_-]{16,}/g, '$1[redacted]');
}
