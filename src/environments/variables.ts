import { eq } from 'drizzle-orm';
import type { Caller } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import { environments } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { loadEnvironmentFor } from './access.js';
import { changeEnvironment } from './change.js';

/** An environment's variables (`env.config`). */
export async function readVariables(ctx: AppContext, caller: Caller, id: string, meta: RequestMeta): Promise<Record<string, string>> {
  const loaded = await loadEnvironmentFor(ctx, caller, id, 'env.config', { meta, action: 'environment.variables_read' });
  return loaded.env.variables;
}

/**
 * Replaces an environment's variables (`env.config`). Running processes see them after the next restart, as on any
 * platform. The audit event names the variables, never their values: they are often secrets.
 */
export async function replaceVariables(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  id: string,
  variables: Record<string, string>,
): Promise<Record<string, string>> {
  const spec = { permission: 'env.config', action: 'environment.variables_update', fits: 'variables' } as const;
  const { result } = await changeEnvironment(ctx, meta, caller, id, spec, async (tx, current, now) => {
    const [changed] = await tx.update(environments).set({ variables, updatedAt: now }).where(eq(environments.id, current.id)).returning();
    if (!changed) throw notFound('environment');
    const before = Object.keys(current.variables);
    const after = Object.keys(variables);
    const details = {
      added: after.filter((name) => !before.includes(name)),
      removed: before.filter((name) => !after.includes(name)),
      changed: after.filter((name) => before.includes(name) && current.variables[name] !== variables[name]),
    };
    return { env: changed, result: changed.variables, details };
  });
  return result;
}
