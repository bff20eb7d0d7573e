import type { Caller } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import type { RequestMeta } from '../http/request-meta.js';
import { loadEnvironmentFor } from './access.js';
import type { LogPage, LogQuery } from './runtime/driver.js';

/** A page of an environment's logs, newest first (`env.logs`), as its runtime keeps them. */
export async function readLogs(ctx: AppContext, meta: RequestMeta, caller: Caller, id: string, query: LogQuery): Promise<LogPage> {
  const loaded = await loadEnvironmentFor(ctx, caller, id, 'env.logs', { meta, action: 'environment.logs' });
  return ctx.runtime.logs(loaded.env.id, query);
}
