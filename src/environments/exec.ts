import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { loaded } from '../http/authorize/authorized.js';
import { decideUnderLock } from '../http/authorize/lock.js';
import { fieldError } from '../http/errors.js';
import type { EnvironmentAuthorized } from './change.js';
import type { ExecResult } from './runtime/driver.js';
import { runtimeTarget } from './runtime/target.js';
import { assertFits } from './status.js';

/**
 * Runs a command on a running environment's nodes (`env.exec`), all of them or those of `role`, and answers each
 * node's output. It is decided under the lock first (a revoke that committed first wins); the command then goes to
 * the runtime directly: it changes no row, so the audit event follows it.
 */
export async function execCommand(ctx: AppContext, authorized: EnvironmentAuthorized, input: { command: string; role?: string | undefined }): Promise<ExecResult[]> {
  const env = await ctx.db.transaction(async (tx) => {
    const fresh = loaded(await decideUnderLock(tx, ctx.clock.now(), authorized), 'environment');
    assertFits(fresh.environment.env, 'exec');
    return fresh.environment.env;
  });
  const target = await runtimeTarget(ctx.db, env);
  if (input.role !== undefined && !target.nodes.some((spec) => spec.role === input.role)) {
    throw fieldError('role', `the environment has no ${input.role} nodes; its roles are ${target.nodes.map((spec) => spec.role).join(', ')}`);
  }
  const results = await ctx.runtime.exec(target, input.command, input.role);
  await recordAudit(ctx.db, {
    at: ctx.clock.now(),
    actor: authorized.caller.user,
    ownerId: env.ownerId,
    action: authorized.rule.action,
    targetType: 'environment',
    targetId: env.id,
    outcome: 'ok',
    requestId: authorized.meta.requestId,
    details: { command: input.command.slice(0, 200), role: input.role ?? null, exitCodes: results.map((r) => r.exitCode) },
  });
  return results;
}
