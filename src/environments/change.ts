import type { Permission } from '../access/catalog.js';
import type { Caller } from '../accounts/caller.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { accessTo, type EnvironmentFor, loadEnvironmentFor } from './access.js';
import { presentEnvironment } from './present.js';
import { auditRefusals } from './refusals.js';
import type { EnvironmentView } from './schemas.js';
import { assertFits, type EnvironmentAction } from './status.js';
import { type EnvironmentRow, lockEnvironment } from './transitions.js';

export interface ChangeSpec {
  /** What the caller must hold on the environment. */
  permission: Permission;
  /** The audit action, e.g. `environment.rename`. */
  action: string;
  /** The status rule the change must fit (DESIGN.md section 3). */
  fits: EnvironmentAction;
  /** The environment already loaded for this caller and permission, when the use case needed it first. */
  loaded?: EnvironmentFor;
}

export interface Changed<T> {
  /** The environment row after the change. */
  env: EnvironmentRow;
  result: T;
  /** What the audit event records beside actor, target and outcome. */
  details?: Record<string, unknown>;
}

/**
 * The one shape of every change to an existing environment: load it for the caller (404 unseen, 403 without
 * `permission`, audited as denied), then in one transaction lock the row, check the status fits, do the work and
 * write the audit event; a refusal inside (wrong status) is audited after the rollback.
 */
export async function changeEnvironment<T>(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  id: string,
  spec: ChangeSpec,
  work: (tx: Db, current: EnvironmentRow, now: Date) => Promise<Changed<T>>,
): Promise<{ loaded: EnvironmentFor; env: EnvironmentRow; result: T }> {
  const loaded = spec.loaded ?? (await loadEnvironmentFor(ctx, caller, id, spec.permission, { meta, action: spec.action }));
  const scope = { ownerId: loaded.env.ownerId, action: spec.action, targetType: 'environment' as const, targetId: loaded.env.id };
  const changed = await auditRefusals(ctx, meta, caller, scope, () =>
    ctx.db.transaction(async (tx) => {
      const now = ctx.clock.now();
      const current = await lockEnvironment(tx, loaded.env.id);
      if (!current) throw notFound('environment');
      assertFits(current, spec.fits);
      const outcome = await work(tx, current, now);
      await recordAudit(tx, {
        at: now,
        actor: caller.user,
        ownerId: current.ownerId,
        action: spec.action,
        targetType: 'environment',
        targetId: current.id,
        outcome: 'ok',
        requestId: meta.requestId,
        details: outcome.details,
      });
      return outcome;
    }),
  );
  return { loaded, env: changed.env, result: changed.result };
}

/** The environment as the caller sees it after a change; `groupIds` when the change moved it between groups. */
export function presentChanged(ctx: AppContext, loaded: EnvironmentFor, env: EnvironmentRow, groupIds = loaded.groupIds): Promise<EnvironmentView> {
  return presentEnvironment(ctx.db, { env, groupIds, access: accessTo(loaded.snapshot, env, groupIds) });
}
