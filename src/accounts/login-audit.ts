import { recordAudit } from '../audit/record.js';
import type { AuditOutcome } from '../db/schema/index.js';
import type { Db } from '../db/client.js';
import type { RequestMeta } from '../http/request-meta.js';
import type { User } from './caller.js';

/** Records one step of a sign-in (`account.login`) in the person's own audit log: the password, a second factor, a passkey. */
export async function auditLogin(db: Db, at: Date, meta: RequestMeta, user: User, outcome: AuditOutcome, details?: Record<string, unknown>): Promise<void> {
  await recordAudit(db, {
    at,
    actor: user,
    ownerId: user.id,
    action: 'account.login',
    targetType: 'user',
    targetId: user.id,
    outcome,
    requestId: meta.requestId,
    ...(details ? { details } : {}),
  });
}
