import type { Permission } from '../access/catalog.js';
import { accessTo, groupIdsOf } from '../access/load/environments.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import { type AccessPreview, isPreview, previewOr } from '../collaboration/arrange/preview.js';
import { beginArrangement, settleArrangement } from '../collaboration/arrange/settle.js';
import { loaded } from '../http/authorize/authorized.js';
import { decideUnderLock } from '../http/authorize/lock.js';
import { missingPermission, notFound } from '../http/errors.js';
import type { EnvironmentAuthorized } from './change.js';
import { assertMayCloneInto } from './clone-access.js';
import { insertEnvironment, nameTaken } from './create.js';
import { presentEnvironment } from './present.js';
import { loadTopology } from './runtime/target.js';
import type { EnvironmentView } from './schemas.js';
import { assertFits } from './status.js';
import { lockEnvironment } from './transitions.js';

/** The clone carries the source's variables, often secrets: copying them needs what reading them needs. */
function assertMayCopyVariables(variables: Record<string, string>, held: readonly Permission[]): void {
  if (Object.keys(variables).length > 0 && !held.includes('env.config')) {
    throw missingPermission('env.config', 'Cloning copies the environment variables, so it also needs the env.config permission.');
  }
}

/**
 * Clones an environment: same owner, topology, variables and deployed application, in the source's groups. Needs
 * `env.clone` on the source (the route's rule) and `env.create` where the clone goes, decided under the lock with
 * the source's groups as they are then. The clone answers in `creating`.
 */
export async function cloneEnvironment(
  ctx: AppContext,
  authorized: EnvironmentAuthorized,
  input: { name: string; displayName?: string | undefined },
  dryRun = false,
): Promise<EnvironmentView | AccessPreview> {
  const { caller, meta } = authorized;
  const now = ctx.clock.now();
  try {
    const cloned = await previewOr(() => ctx.db.transaction(async (tx) => {
      const fresh = loaded(await decideUnderLock(tx, now, authorized), 'environment');
      const source = fresh.environment;
      const current = await lockEnvironment(tx, source.env.id);
      if (!current) throw notFound('environment');
      assertFits(current, 'clone');
      const groupIds = (await groupIdsOf(tx, [current.id])).get(current.id) ?? [];
      assertMayCloneInto(source.snapshot, groupIds);
      assertMayCopyVariables(current.variables, source.access.permissions);
      const arrangement = await beginArrangement(tx, now, fresh, source.snapshot, { environmentIds: [current.id] }, dryRun);
      const created = await insertEnvironment(tx, now, {
        ownerId: current.ownerId,
        createdBy: caller.user.id,
        name: input.name,
        displayName: input.displayName ?? `${current.displayName} (clone)`.slice(0, 100),
        nodes: await loadTopology(tx, current.id),
        groupIds,
        variables: current.variables,
        deployedSource: current.deployedSource,
        provision: { source: current.deployedSource, clonedFrom: current.name },
      }, ctx.config);
      // DESIGN.md section 6b: the clone is a copy, so nobody may hold more on it than on its source.
      await settleArrangement(arrangement, { environmentIds: [current.id, created.id] }, {
        baselineOf: (id) => (id === created.id ? current.id : id),
      });
      await recordAudit(tx, {
        at: now,
        actor: caller.user,
        ownerId: current.ownerId,
        action: authorized.rule.action,
        targetType: 'environment',
        targetId: created.id,
        outcome: 'ok',
        requestId: meta.requestId,
        details: { sourceId: current.id, sourceName: current.name, name: created.name },
      });
      return { env: created, groupIds, access: accessTo(source.snapshot, created, groupIds) };
    }));
    if (isPreview(cloned)) return cloned;
    ctx.wake.runtime();
    return presentEnvironment(ctx.db, cloned);
  } catch (error) {
    if (isUniqueViolation(error, 'environments_name_key')) throw nameTaken(input.name);
    throw error;
  }
}
