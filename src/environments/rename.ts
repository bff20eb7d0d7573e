import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { environments } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';
import { changeEnvironment, type EnvironmentAuthorized, presentChanged } from './change.js';
import type { EnvironmentView } from './schemas.js';

/** Changes an environment's display name (`env.rename`); its name, the domain prefix, never changes. */
export async function renameEnvironment(ctx: AppContext, authorized: EnvironmentAuthorized, displayName: string): Promise<EnvironmentView> {
  const { loaded, env } = await changeEnvironment(ctx, authorized, { fits: 'rename' }, async (tx, current, now) => {
    const [renamed] = await tx.update(environments).set({ displayName, updatedAt: now }).where(eq(environments.id, current.id)).returning();
    if (!renamed) throw notFound('environment');
    return { env: renamed, result: null, details: { from: current.displayName, to: displayName } };
  });
  return presentChanged(ctx, loaded, env);
}
