import type { Caller } from '../accounts/caller.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { ProblemError } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';

export interface AuditScope {
  ownerId: string;
  /** `environment.stop`, `group.create`... */
  action: string;
  targetType: 'environment' | 'group';
  targetId: string | null;
}

/**
 * Records a refused attempt. It runs on its own, after the refused transaction rolled back, so the refusal
 * stays in the audit log while the change it refused leaves no trace.
 */
export async function recordRefusal(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  scope: AuditScope,
  outcome: 'denied' | 'failed',
  details: Record<string, unknown>,
): Promise<void> {
  await recordAudit(ctx.db, {
    at: ctx.clock.now(),
    actor: caller.user,
    ownerId: scope.ownerId,
    action: scope.action,
    targetType: scope.targetType,
    targetId: scope.targetId,
    outcome,
    requestId: meta.requestId,
    details,
  });
}

/**
 * Runs one use case on a resource the caller can see, and audits how it was refused if it is: a missing
 * permission as `denied`, a status that does not fit as `failed`. Other errors (bad input, not found) are not
 * attempts on the resource and pass through unrecorded.
 */
export async function auditRefusals<T>(ctx: AppContext, meta: RequestMeta, caller: Caller, scope: AuditScope, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ProblemError && (error.code === 'missing_permission' || error.code === 'invalid_state' || error.code === 'collaborator_cannot_own')) {
      const outcome = error.code === 'invalid_state' ? 'failed' : 'denied';
      await recordRefusal(ctx, meta, caller, scope, outcome, { code: error.code, reason: error.message, ...error.extra });
    }
    throw error;
  }
}
