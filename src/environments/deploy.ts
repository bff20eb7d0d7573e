import type { Caller } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import type { RequestMeta } from '../http/request-meta.js';
import { changeEnvironment, presentChanged } from './change.js';
import { enqueueRuntimeJob } from './runtime/jobs.js';
import type { EnvironmentView } from './schemas.js';

/**
 * Deploys an application archive or repository to a running environment (`env.deploy`). Answers at once; the
 * runtime fetches, builds and rolls it out, and `deployedSource` shows it once done.
 */
export async function deployEnvironment(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string, source: string): Promise<EnvironmentView> {
  const spec = { permission: 'env.deploy', action: 'environment.deploy', fits: 'deploy' } as const;
  const { loaded, env } = await changeEnvironment(ctx, meta, caller, id, spec, async (tx, current, now) => {
    await enqueueRuntimeJob(tx, current.id, 'deploy', { source }, now);
    return { env: current, result: null, details: { source } };
  });
  ctx.wake.runtime();
  return presentChanged(ctx, loaded, env);
}
