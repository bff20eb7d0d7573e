import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.js';
import type { Database, DatabaseKind } from './client.js';
import { startEmbedded } from './embedded/start.js';
import { guardPool } from './faults.js';
import { lockDataDir } from './lock.js';

export interface OpenOptions {
  /** `postgres://…`; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite folder; `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  poolSize?: number;
}

/** Opens the configured database through a `pg` pool: PostgreSQL, or embedded PGlite in its locked data folder. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  // One session serves every connection of the embedded database, a few keep its queue full.
  return openPglite(options.dataDir ?? './data', options.poolSize ?? 4);
}

/** A `pg` pool with the settings every connection of this server uses. */
function poolFor(config: pg.PoolConfig): pg.Pool {
  // A connect that hangs (an unreachable host) fails after a few seconds instead of holding the request.
  const pool = new pg.Pool({ idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000, ...config });
  // A server restart or network blip must not crash the process: the next query gets a fresh connection.
  guardPool(pool);
  return pool;
}

async function connected(kind: DatabaseKind, pool: pg.Pool, after: () => Promise<void>): Promise<Database> {
  const client = await pool.connect();
  client.release();
  return {
    db: drizzlePg(pool, { schema }),
    kind,
    raw: { pool },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: async () => {
      try {
        await pool.end();
      } finally {
        await after();
      }
    },
  };
}

function openPostgres(url: string, max: number): Promise<Database> {
  return connected('postgres', poolFor({ connectionString: url, max }), async () => {});
}

/**
 * The embedded database: PGlite in its own thread (embedded/worker.ts), reached through `pg` over a Unix socket like
 * PostgreSQL, so queries never run on the serving thread. Its data folder is locked to this process.
 */
async function openPglite(dataDir: string, max: number): Promise<Database> {
  const memory = dataDir.startsWith('memory://');
  const dir = resolve(dataDir);
  let release = () => {};
  if (!memory) {
    mkdirSync(dir, { recursive: true });
    release = lockDataDir(dir);
  }
  let server;
  try {
    server = await startEmbedded(memory ? null : resolve(dir, 'pgdata'));
  } catch (error) {
    release();
    throw error;
  }
  const stop = server.stop;
  const pool = poolFor({ host: server.socketDir, port: server.port, user: 'postgres', database: 'postgres', max });
  try {
    return await connected('pglite', pool, async () => {
      try {
        await stop();
      } finally {
        release();
      }
    });
  } catch (error) {
    await pool.end().catch(() => undefined);
    await stop().catch(() => undefined);
    release();
    throw error;
  }
}
