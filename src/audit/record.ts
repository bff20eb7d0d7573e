import type { Db } from '../db/client.js';
import { type AuditOutcome, auditEvents } from '../db/schema/index.js';

export interface AuditEntry {
  at: Date;
  actor: { id: string; email: string } | null;
  /** The account whose resource was touched; for account-level events, the actor's own. */
  ownerId: string | null;
  /** `resource.verb`, e.g. `environment.stop`, `share.create`, `account.login`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  outcome: AuditOutcome;
  requestId?: string | null;
  details?: Record<string, unknown>;
}

/** Writes one audit event; call it inside the transaction of the change it records. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    at: entry.at,
    actorId: entry.actor?.id ?? null,
    actorEmail: entry.actor?.email ?? null,
    ownerId: entry.ownerId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    outcome: entry.outcome,
    requestId: entry.requestId ?? null,
    details: entry.details ?? null,
  });
}
