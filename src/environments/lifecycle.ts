import type { Permission } from '../access/catalog.js';
import type { Caller } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { invalidState, notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { changeEnvironment, presentChanged } from './change.js';
import { assertOwnerMayRun } from './dormant.js';
import { enqueueRuntimeJob, type RuntimeAction } from './runtime/jobs.js';
import type { EnvironmentView } from './schemas.js';
import { allowedFrom, transitionalStatus, whyNot } from './status.js';
import { type EnvironmentRow, moveStatus } from './transitions.js';

export type LifecycleAction = keyof typeof transitionalStatus;

const permissionOf: Record<LifecycleAction, Permission> = {
  start: 'env.start',
  stop: 'env.stop',
  restart: 'env.restart',
  delete: 'env.delete',
};

const jobOf: Record<LifecycleAction, RuntimeAction> = { start: 'start', stop: 'stop', restart: 'restart', delete: 'destroy' };

/**
 * Puts an environment in the transitional status of `action` and queues the runtime job, in the caller's
 * transaction (the row is locked, so two requests cannot both pass). Throws 409 `invalid_state` saying why when the
 * status does not fit. Exported for background work that stops environments (trial end); wake the runtime after.
 */
export async function queueLifecycleAction(tx: Db, environmentId: string, action: LifecycleAction, now: Date): Promise<EnvironmentRow> {
  const result = await moveStatus(tx, environmentId, allowedFrom[action], transitionalStatus[action], now);
  if (!result) throw notFound('environment');
  if (!result.moved) throw invalidState(whyNot(result.env.status, action, result.env.statusReason));
  await enqueueRuntimeJob(tx, environmentId, jobOf[action], {}, now);
  return result.env;
}

/** Starts, stops, restarts or deletes an environment: answers at once with the transitional status; the runtime settles it. */
export async function requestLifecycleAction(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  id: string,
  action: LifecycleAction,
): Promise<EnvironmentView> {
  const spec = { permission: permissionOf[action], action: `environment.${action}`, fits: action };
  const { loaded, env } = await changeEnvironment(ctx, meta, caller, id, spec, async (tx, current, now) => {
    if (action === 'start' || action === 'restart') await assertOwnerMayRun(tx, current.ownerId, now);
    const moved = await queueLifecycleAction(tx, current.id, action, now);
    return { env: moved, result: null, details: { from: current.status, to: moved.status } };
  });
  ctx.wake.runtime();
  return presentChanged(ctx, loaded, env);
}
