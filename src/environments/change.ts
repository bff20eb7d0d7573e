import { accessTo } from '../access/load/environments.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { type Authorized, type EnvironmentFor, loaded } from '../http/authorize/authorized.js';
import { type AccessChange, decideUnderLock } from '../http/authorize/lock.js';
import { notFound } from '../http/errors.js';
import { presentEnvironment } from './present.js';
import type { EnvironmentView } from './schemas.js';
import { assertFits, type EnvironmentAction } from './status.js';
import { type EnvironmentRow, lockEnvironment } from './transitions.js';

export interface ChangeSpec {
  /** The status rule the change must fit (DESIGN.md section 3). */
  fits: EnvironmentAction;
  /** Whose access the change moves (filing, deleting): their collaborations are locked and versioned first. */
  change?: AccessChange;
}

export interface Changed<T> {
  /** The environment row after the change. */
  env: EnvironmentRow;
  result: T;
  /** What the audit event records beside actor, target and outcome. */
  details?: Record<string, unknown>;
}

/** An environment route's authorization: the rule loaded the environment. */
export type EnvironmentAuthorized = Authorized & { environment: EnvironmentFor };

/**
 * The one shape of every change to an existing environment the route's rule loaded: in one transaction, decide the
 * rule again under the lock (a revoke that committed first wins), lock the row, check the status fits, do the work
 * and write the audit event under the rule's action. A refusal anywhere is audited by the route step after the rollback.
 */
export async function changeEnvironment<T>(
  ctx: AppContext,
  authorized: EnvironmentAuthorized,
  spec: ChangeSpec,
  work: (tx: Db, current: EnvironmentRow, now: Date, fresh: EnvironmentAuthorized) => Promise<Changed<T>>,
): Promise<{ loaded: EnvironmentFor; env: EnvironmentRow; result: T }> {
  return ctx.db.transaction(async (tx) => {
    const now = ctx.clock.now();
    const fresh = loaded(await decideUnderLock(tx, now, authorized, spec.change), 'environment');
    const current = await lockEnvironment(tx, fresh.environment.env.id);
    if (!current) throw notFound('environment');
    assertFits(current, spec.fits);
    const outcome = await work(tx, current, now, fresh);
    await recordAudit(tx, {
      at: now,
      actor: authorized.caller.user,
      ownerId: current.ownerId,
      action: authorized.rule.action,
      targetType: 'environment',
      targetId: current.id,
      outcome: 'ok',
      requestId: authorized.meta.requestId,
      details: outcome.details,
    });
    return { loaded: fresh.environment, env: outcome.env, result: outcome.result };
  });
}

/** The environment as the caller sees it after a change; `groupIds` when the change moved it between groups. */
export function presentChanged(ctx: AppContext, loaded: EnvironmentFor, env: EnvironmentRow, groupIds = loaded.groupIds): Promise<EnvironmentView> {
  return presentEnvironment(ctx.db, { env, groupIds, access: accessTo(loaded.snapshot, env, groupIds) });
}
