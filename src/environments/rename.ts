import { eq } from 'drizzle-orm';
import type { Caller } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import { environments } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { changeEnvironment, presentChanged } from './change.js';
import type { EnvironmentView } from './schemas.js';

/** Changes an environment's display name (`env.rename`); its name, the domain prefix, never changes. */
export async function renameEnvironment(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string, displayName: string): Promise<EnvironmentView> {
  const spec = { permission: 'env.rename', action: 'environment.rename', fits: 'rename' } as const;
  const { loaded, env } = await changeEnvironment(ctx, meta, caller, id, spec, async (tx, current, now) => {
    const [renamed] = await tx.update(environments).set({ displayName, updatedAt: now }).where(eq(environments.id, current.id)).returning();
    if (!renamed) throw notFound('environment');
    return { env: renamed, result: null, details: { from: current.displayName, to: displayName } };
  });
  return presentChanged(ctx, loaded, env);
}
