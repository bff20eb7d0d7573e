import type { ExtractTablesWithRelations } from 'drizzle-orm';
import type { Pool } from 'pg';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import type * as schema from './schema/index.js';

type Schema = typeof schema;

/** The database handle every query uses: the same type on PGlite and on PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;

/** A transaction; it can be passed wherever a Db is expected. */
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;

export type DatabaseKind = 'pglite' | 'postgres';

export interface Database {
  db: Db;
  kind: DatabaseKind;
  /** The underlying pool, for the few places that need it (migrations, tests): `pg` on both engines. */
  raw: { pool: Pool };
  /** Runs `sql` text with no parameters; used by migrations and tests. */
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}
