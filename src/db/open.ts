import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import * as schema from './schema/index.js';
import type { Database } from './client.js';
import { guardPool } from './faults.js';
import { lockDataDir } from './lock.js';

export interface OpenOptions {
  /** `postgres://…`; when absent the embedded PGlite database is used. */
  databaseUrl?: string | undefined;
  /** PGlite folder; `memory://` for a throwaway in-memory database. */
  dataDir?: string;
  poolSize?: number;
}

/** Opens the configured database: PostgreSQL through a `pg` pool, or embedded PGlite in its locked data folder. */
export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? './data');
}

async function openPostgres(url: string, max: number): Promise<Database> {
  // A connect that hangs (an unreachable host) fails after a few seconds instead of holding the request.
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, connectionTimeoutMillis: 5_000 });
  // A server restart or network blip must not crash the process: the next query gets a fresh connection.
  guardPool(pool);
  const client = await pool.connect();
  client.release();
  return {
    db: drizzlePg(pool, { schema }),
    kind: 'postgres',
    raw: { kind: 'postgres', pool },
    exec: async (sql) => {
      await pool.query(sql);
    },
    close: () => pool.end(),
  };
}

async function openPglite(dataDir: string): Promise<Database> {
  let release = () => {};
  let client: PGlite;
  if (dataDir.startsWith('memory://')) {
    client = new PGlite();
  } else {
    const dir = resolve(dataDir);
    mkdirSync(dir, { recursive: true });
    release = lockDataDir(dir);
    try {
      client = new PGlite(resolve(dir, 'pgdata'));
    } catch (error) {
      release();
      throw error;
    }
  }
  await client.waitReady;
  return {
    db: drizzlePglite(client, { schema }),
    kind: 'pglite',
    raw: { kind: 'pglite', client },
    exec: async (sql) => {
      await client.exec(sql);
    },
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}
