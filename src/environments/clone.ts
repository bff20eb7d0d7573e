import type { Permission } from '../access/catalog.js';
import type { Caller } from '../accounts/caller.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { isUniqueViolation } from '../db/errors.js';
import { missingPermission, notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { accessTo, groupIdsOf, loadEnvironmentFor } from './access.js';
import { assertMayCloneInto } from './create-access.js';
import { insertEnvironment, nameTaken } from './create.js';
import { presentEnvironment } from './present.js';
import { auditRefusals } from './refusals.js';
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
 * `env.clone` on the source and `env.create` where the clone goes. The clone answers in `creating`.
 */
export async function cloneEnvironment(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  sourceId: string,
  input: { name: string; displayName?: string | undefined },
): Promise<EnvironmentView> {
  const action = 'environment.clone';
  const source = await loadEnvironmentFor(ctx, caller, sourceId, 'env.clone', { meta, action });
  const scope = { ownerId: source.env.ownerId, action, targetType: 'environment' as const, targetId: source.env.id };
  return auditRefusals(ctx, meta, caller, scope, async () => {
    assertFits(source.env, 'clone');
    assertMayCloneInto(source.snapshot, source.groupIds);
    assertMayCopyVariables(source.env.variables, source.access.permissions);
    const now = ctx.clock.now();
    try {
      const { env, groupIds } = await ctx.db.transaction(async (tx) => {
        const current = await lockEnvironment(tx, source.env.id);
        if (!current) throw notFound('environment');
        assertFits(current, 'clone');
        assertMayCopyVariables(current.variables, source.access.permissions);
        const groupIds = (await groupIdsOf(tx, [current.id])).get(current.id) ?? [];
        // The source may have changed groups since the check above.
        assertMayCloneInto(source.snapshot, groupIds);
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
        await recordAudit(tx, {
          at: now,
          actor: caller.user,
          ownerId: current.ownerId,
          action,
          targetType: 'environment',
          targetId: created.id,
          outcome: 'ok',
          requestId: meta.requestId,
          details: { sourceId: current.id, sourceName: current.name, name: created.name },
        });
        return { env: created, groupIds };
      });
      ctx.wake.runtime();
      return presentEnvironment(ctx.db, { env, groupIds, access: accessTo(source.snapshot, env, groupIds) });
    } catch (error) {
      if (isUniqueViolation(error, 'environments_name_key')) throw nameTaken(input.name);
      throw error;
    }
  });
}
