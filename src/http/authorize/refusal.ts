import type { Caller } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/client.js';
import { type ProblemError } from '../errors.js';
import type { RequestMeta } from '../request-meta.js';

export interface RefusalTarget {
  ownerId: string;
  /** `environment.stop`, `share.create`... */
  action: string;
  targetType: string;
  targetId: string | null;
}

// Refusals that are attempts on a resource the caller reached: audited. A 404 reveals nothing and is not one; bad
// input is no attempt either.
const DENIALS = new Set(['missing_permission', 'forbidden', 'collaborator_cannot_own', 'would_widen_access', 'invitation_email_mismatch', 'email_unverified', 'two_factor_required', 'token_lifetime_exceeded']);
const FAILURES = new Set(['invalid_state']);

/** How an error ended an attempt, for the audit log: `denied`, `failed`, or not an attempt at all (null). */
export function refusalOutcome(error: ProblemError): 'denied' | 'failed' | null {
  if (DENIALS.has(error.code)) return 'denied';
  if (FAILURES.has(error.code)) return 'failed';
  return null;
}

/**
 * THE record of a refused attempt. It runs on its own, after the refused transaction rolled back, so the refusal
 * stays in the audit log while the change it refused leaves no trace.
 */
export async function recordRefusal(
  db: Db,
  at: Date,
  meta: RequestMeta,
  caller: Caller,
  target: RefusalTarget,
  problem: ProblemError,
  context: Record<string, unknown> = {},
): Promise<void> {
  const outcome = refusalOutcome(problem) ?? 'denied';
  const { permission, field } = problem.extra;
  // Its own transaction: the refusal and its webhook deliveries are one write.
  await db.transaction((tx) => recordAudit(tx, {
    at,
    actor: caller.user,
    ownerId: target.ownerId,
    action: target.action,
    targetType: target.targetType,
    targetId: target.targetId,
    outcome,
    requestId: meta.requestId,
    details: {
      code: problem.code,
      reason: problem.message,
      ...(typeof permission === 'string' ? { permission } : {}),
      ...(typeof field === 'string' ? { field } : {}),
      ...context,
    },
  }));
}
