import { sql } from 'drizzle-orm';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../context.js';
import { DATABASE_RETRY_AFTER_SECONDS } from './errors.js';
import type { App } from './types.js';

// A health check must answer fast: a database that does not answer `select 1` in this time counts as down.
const PING_TIMEOUT_MS = 2_000;

/** True when the database answers a trivial query within PING_TIMEOUT_MS. */
export async function databaseReachable(ctx: AppContext): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), PING_TIMEOUT_MS);
  });
  try {
    return await Promise.race([ctx.db.execute(sql`select 1`).then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

const databaseKind = z.enum(['pglite', 'postgres']);
const readiness = z.object({ status: z.literal('ok'), database: databaseKind });
const unready = z.object({ status: z.literal('unavailable'), database: databaseKind });

/**
 * Health in the manner of Kubernetes probes: `/api/health/live` says the process runs (restart it when this fails),
 * `/api/health/ready` says it can serve, database included (send it no traffic while this fails); `/api/health`
 * is the readiness answer, for load balancers that probe one path.
 */
export function healthRoutes(app: App, ctx: AppContext): void {
  const ready = {
    config: { access: 'public' as const },
    schema: {
      tags: ['Other'],
      summary: 'Readiness: 200 when this node can serve, 503 while the database is unreachable',
      response: { 200: readiness, 503: unready },
    },
    handler: async (_request: unknown, reply: FastifyReply) => {
      if (await databaseReachable(ctx)) return { status: 'ok' as const, database: ctx.database.kind };
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return reply.status(503).send({ status: 'unavailable' as const, database: ctx.database.kind });
    },
  };
  app.get('/api/health', ready);
  app.get('/api/health/ready', ready);
  app.get('/api/health/live', {
    config: { access: 'public' },
    schema: { tags: ['Other'], summary: 'Liveness: 200 while the process runs, whatever the database does', response: { 200: z.object({ status: z.literal('ok') }) } },
    handler: async () => ({ status: 'ok' as const }),
  });
}
