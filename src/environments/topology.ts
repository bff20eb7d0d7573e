import { eq } from 'drizzle-orm';
import { assertWithinCaps, cloudletsOf } from './caps.js';
import type { AppContext } from '../context.js';
import { environments, nodeGroups } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';
import { changeEnvironment, type EnvironmentAuthorized, presentChanged } from './change.js';
import type { NodeSpec } from './runtime/driver.js';
import { enqueueRuntimeJob } from './runtime/jobs.js';
import { loadTopology } from './runtime/target.js';
import { assertSpendAllowed } from './spend-guard.js';
import type { EnvironmentView } from './schemas.js';

/**
 * Replaces an environment's topology (`env.topology`): roles, images, node counts and cloudlets. The new topology
 * is stored at once (metering charges it from now on) and the runtime adds, removes and resizes nodes after.
 */
export async function changeTopology(ctx: AppContext, authorized: EnvironmentAuthorized, specs: NodeSpec[]): Promise<EnvironmentView> {
  const { loaded, env } = await changeEnvironment(ctx, authorized, { fits: 'topology' }, async (tx, current, now) => {
    await assertWithinCaps(tx, ctx.config, current.ownerId, { environments: 0, cloudlets: cloudletsOf(specs), replacing: current.id });
    const before = await loadTopology(tx, current.id);
    // Scaling down (or keeping the size) is always allowed: a guardrail only holds back growth.
    if (cloudletsOf(specs) > cloudletsOf(before)) {
      const runs = ['creating', 'starting', 'running', 'restarting'].includes(current.status);
      await assertSpendAllowed(tx, {
        ownerId: current.ownerId,
        creatorId: current.createdBy,
        actorId: authorized.caller.user.id,
        now,
        runningCloudlets: runs ? cloudletsOf(specs) : null,
        environmentId: current.id,
      });
    }
    await tx.delete(nodeGroups).where(eq(nodeGroups.environmentId, current.id));
    await tx.insert(nodeGroups).values(specs.map((node) => ({ environmentId: current.id, ...node })));
    const [changed] = await tx.update(environments).set({ updatedAt: now }).where(eq(environments.id, current.id)).returning();
    if (!changed) throw notFound('environment');
    await enqueueRuntimeJob(tx, current.id, 'scale', { running: current.status === 'running' }, now);
    return { env: changed, result: null, details: { before, after: specs } };
  });
  ctx.wake.runtime();
  return presentChanged(ctx, loaded, env);
}
