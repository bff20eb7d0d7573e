import type { Caller } from '../accounts/caller.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { fieldError } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { loadEnvironmentFor } from './access.js';
import { auditRefusals } from './refusals.js';
import type { ExecResult } from './runtime/driver.js';
import { runtimeTarget } from './runtime/target.js';
import { assertFits } from './status.js';

/**
 * Runs a command on a running environment's nodes (`env.exec`), all of them or those of `role`, and answers each
 * node's output. The command goes to the runtime directly: it changes no row, so the audit event follows it.
 */
export async function execCommand(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  id: string,
  input: { command: string; role?: string | undefined },
): Promise<ExecResult[]> {
  const action = 'environment.exec';
  const loaded = await loadEnvironmentFor(ctx, caller, id, 'env.exec', { meta, action });
  const scope = { ownerId: loaded.env.ownerId, action, targetType: 'environment' as const, targetId: loaded.env.id };
  return auditRefusals(ctx, meta, caller, scope, async () => {
    assertFits(loaded.env, 'exec');
    const target = await runtimeTarget(ctx.db, loaded.env);
    if (input.role !== undefined && !target.nodes.some((spec) => spec.role === input.role)) {
      throw fieldError('role', `the environment has no ${input.role} nodes; its roles are ${target.nodes.map((spec) => spec.role).join(', ')}`);
    }
    const results = await ctx.runtime.exec(target, input.command, input.role);
    await recordAudit(ctx.db, {
      at: ctx.clock.now(),
      actor: caller.user,
      ownerId: loaded.env.ownerId,
      action,
      targetType: 'environment',
      targetId: loaded.env.id,
      outcome: 'ok',
      requestId: meta.requestId,
      details: { command: input.command.slice(0, 200), role: input.role ?? null, exitCodes: results.map((r) => r.exitCode) },
    });
    return results;
  });
}
