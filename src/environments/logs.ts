import type { EnvironmentAuthorized } from './change.js';
import type { AppContext } from '../context.js';
import type { LogPage, LogQuery } from './runtime/driver.js';

/** A page of an environment's logs, newest first (`env.logs`), as its runtime keeps them. */
export function readLogs(ctx: AppContext, authorized: EnvironmentAuthorized, query: LogQuery): Promise<LogPage> {
  return ctx.runtime.logs(authorized.environment.env.id, query);
}
