import type { AppContext } from '../context.js';
import { changeEnvironment, type EnvironmentAuthorized, presentChanged } from './change.js';
import { enqueueRuntimeJob } from './runtime/jobs.js';
import type { EnvironmentView } from './schemas.js';

/**
 * Deploys an application archive or repository to a running environment (`env.deploy`). Answers at once; the
 * runtime fetches, builds and rolls it out, and `deployedSource` shows it once done.
 */
export async function deployEnvironment(ctx: AppContext, authorized: EnvironmentAuthorized, source: string): Promise<EnvironmentView> {
  const { loaded, env } = await changeEnvironment(ctx, authorized, { fits: 'deploy' }, async (tx, current, now) => {
    await enqueueRuntimeJob(tx, current.id, 'deploy', { source }, now);
    return { env: current, result: null, details: { source } };
  });
  ctx.wake.runtime();
  return presentChanged(ctx, loaded, env);
}
