import { recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import type { RequestMeta } from '../../http/request-meta.js';
import type { User } from '../caller.js';

/** Records a change to a person's passkeys in its own audit log. */
export async function auditPasskey(db: Db, at: Date, meta: RequestMeta, user: User, action: string, passkeyId: string, details?: Record<string, unknown>) {
  await recordAudit(db, {
    at,
    actor: user,
    ownerId: user.id,
    action,
    targetType: 'passkey',
    targetId: passkeyId,
    outcome: 'ok',
    requestId: meta.requestId,
    ...(details ? { details } : {}),
  });
}
