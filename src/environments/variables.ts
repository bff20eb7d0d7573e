import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { environments } from '../db/schema/index.js';
import { notFound } from '../http/errors.js';
import { changeEnvironment, type EnvironmentAuthorized } from './change.js';

/** An environment's variables (`env.config`). */
export function readVariables(authorized: EnvironmentAuthorized): Record<string, string> {
  return authorized.environment.env.variables;
}

/**
 * Replaces an environment's variables (`env.config`). Running processes see them after the next restart, as on any
 * platform. The audit event names the variables, never their values: they are often secrets.
 */
export async function replaceVariables(
  ctx: AppContext,
  authorized: EnvironmentAuthorized,
  variables: Record<string, string>,
): Promise<Record<string, string>> {
  const { result } = await changeEnvironment(ctx, authorized, { fits: 'variables' }, async (tx, current, now) => {
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
