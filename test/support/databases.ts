import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { adminUrl, dropPostgresDatabase, withDatabase } from './postgres-admin.js';
import { inject } from 'vitest';
import type { Database, DatabaseKind } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrate.js';
import { openDatabase } from '../../src/db/open.js';

/** The database this test run targets: each vitest project sets SHAREPLANE_TEST_DB. */
export function testDatabaseKind(): DatabaseKind {
  return process.env.SHAREPLANE_TEST_DB === 'postgres' ? 'postgres' : 'pglite';
}

export interface TestDatabase {
  database: Database;
  /** A URL other processes (a second node) can open, on PostgreSQL. */
  url: string | undefined;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a new PostgreSQL database copied
 * from the run's migrated template.
 */
export async function createTestDatabase(kind: DatabaseKind = testDatabaseKind()): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ dataDir: 'memory://' });
    await migrate(database);
    return { database, url: undefined, close: () => database.close() };
  }
  // The migrated template each PostgreSQL test file copies, made once per run by the global setup.
  const template = inject('postgresTemplate');
  if (!template) throw new Error('no PostgreSQL template: the global setup did not run');
  const name = `shareplane_t_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabase(adminUrl(), name);
  const database = await openDatabase({ databaseUrl: url, poolSize: 10 });
  return {
    database,
    url,
    close: async () => {
      await database.close();
      await dropPostgresDatabase(name);
    },
  };
}
