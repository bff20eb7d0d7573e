import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A fresh Standard Webhooks signing secret: `whsec_` and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export interface SignedMessage {
  headers: Record<'webhook-id' | 'webhook-timestamp' | 'webhook-signature', string>;
  body: string;
}

/**
 * Signs one message as the Standard Webhooks specification says, with every secret still valid (the current one,
 * and the previous one for a day after a rotation): `webhook-signature` lists one `v1,…` signature per secret.
 */
export function signMessage(secrets: readonly string[], eventId: string, at: Date, body: string): SignedMessage {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(eventId, at, body));
  return {
    headers: { 'webhook-id': eventId, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signatures.join(' ') },
    body,
  };
}
