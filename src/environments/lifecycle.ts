import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { invalidState, notFound } from '../http/errors.js';
import { type AccessPreview, previewOr } from '../collaboration/arrange/preview.js';
import { beginArrangement, settleArrangement } from '../collaboration/arrange/settle.js';
import { revokeSharesOn } from '../collaboration/shares/revoke.js';
import { changeEnvironment, type EnvironmentAuthorized, presentChanged } from './change.js';
import { assertOwnerMayRun } from './dormant.js';
import { assertSpendAllowed } from './spend-guard.js';
import { loadTopology } from './runtime/target.js';
import { cloudletsOf } from './caps.js';
import { enqueueRuntimeJob, type RuntimeAction } from './runtime/jobs.js';
import type { EnvironmentView } from './schemas.js';
import { allowedFrom, transitionalStatus, whyNot } from './status.js';
import { type EnvironmentRow, moveStatus } from './transitions.js';

export type LifecycleAction = keyof typeof transitionalStatus;

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

/** Starts, stops or restarts an environment: answers at once with the transitional status; the runtime settles it. */
export async function requestLifecycleAction(ctx: AppContext, authorized: EnvironmentAuthorized, action: Exclude<LifecycleAction, 'delete'>): Promise<EnvironmentView> {
  const { loaded, env } = await changeEnvironment(ctx, authorized, { fits: action }, async (tx, current, now) => {
    if (action === 'start' || action === 'restart') await assertOwnerMayRun(tx, current.ownerId, now);
    if (action === 'start') {
      const runningCloudlets = cloudletsOf(await loadTopology(tx, current.id));
      await assertSpendAllowed(tx, { ownerId: current.ownerId, creatorId: current.createdBy, actorId: authorized.caller.user.id, now, runningCloudlets, environmentId: current.id });
    }
    const moved = await queueLifecycleAction(tx, current.id, action, now);
    return { env: moved, result: null, details: { from: current.status, to: moved.status } };
  });
  ctx.wake.runtime();
  return presentChanged(ctx, loaded, env);
}

/**
 * Deletes an environment: answers at once in `deleting`; the runtime removes its nodes. The shares on it end now,
 * as revocations (notice, mail, audit each). An arrangement like any other: `dryRun` previews who loses what.
 */
export async function deleteEnvironment(ctx: AppContext, authorized: EnvironmentAuthorized, dryRun: boolean): Promise<EnvironmentView | AccessPreview> {
  return previewOr(async () => {
    const { loaded, env } = await changeEnvironment(ctx, authorized, { fits: 'delete', change: 'everyone' }, async (tx, current, now, fresh) => {
      const arrangement = await beginArrangement(tx, now, fresh, fresh.environment.snapshot, { environmentIds: [current.id] }, dryRun);
      const who = { caller: authorized.caller, meta: authorized.meta, action: authorized.rule.action };
      const sharesEndedFor = await revokeSharesOn(tx, ctx, who, current.ownerId, { environmentId: current.id });
      const moved = await queueLifecycleAction(tx, current.id, 'delete', now);
      // Judged as gone: an environment on its way out gives nobody anything.
      await settleArrangement(arrangement, { environmentIds: [] });
      return { env: moved, result: null, details: { from: current.status, to: moved.status, sharesEndedFor } };
    });
    ctx.wake.runtime();
    ctx.wake.mail();
    return presentChanged(ctx, loaded, env);
  });
}
