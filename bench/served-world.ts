/**
 * The API benchmark's world (bench/api-world.ts) written into a database a separate server process then opens: a
 * PGlite data folder (closed again, so its lock is free) or a fresh PostgreSQL database on BENCH_DATABASE_URL.
 * Returns what the HTTP benchmarks need to call it (tokens and ids), the server's environment, and a clean-up.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DatabaseKind } from '../src/db/client.js';
import { migrate } from '../src/db/migrate.js';
import { openDatabase } from '../src/db/open.js';
import { buildApiWorld, defaultSize, type WorldSize } from './api-world.js';

export interface ServedWorld {
  kind: DatabaseKind;
  /** What the server process needs to open this world's database. */
  env: Record<string, string>;
  ownerToken: string;
  ownerEnvironment: string;
  /** The member with group and environment shares only (no account share). */
  collaboratorToken: string;
  collaboratorEnvironment: string;
  drop(): Promise<void>;
}

/** A database for a server process: an empty PGlite folder, or a new PostgreSQL database (null without a URL). */
export async function emptyDatabase(kind: DatabaseKind): Promise<{ env: Record<string, string>; drop: () => Promise<void> } | null> {
  if (kind === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'shareplane-bench-'));
    return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const url = process.env.BENCH_DATABASE_URL;
  if (!url) return null;
  const name = `shareplane_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const target = new URL(url);
  target.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: target.toString() },
    drop: async () => {
      const again = new pg.Client({ connectionString: url });
      await again.connect();
      await again.query(`drop database if exists ${name} with (force)`);
      await again.end();
    },
  };
}

type Target = NonNullable<Awaited<ReturnType<typeof emptyDatabase>>>;

/**
 * Seeds the API world (at the present time, for a server on the system clock) into `into`, or a new database of
 * `kind`; null when that kind has no server to use (PostgreSQL without BENCH_DATABASE_URL).
 */
export async function seedServedWorld(kind: DatabaseKind, size: WorldSize = defaultSize, into?: Target): Promise<ServedWorld | null> {
  const target = into ?? (await emptyDatabase(kind));
  if (!target) return null;
  const database = await openDatabase(kind === 'pglite' ? { dataDir: target.env.DATA_DIR } : { databaseUrl: target.env.DATABASE_URL });
  try {
    await migrate(database);
    const world = await buildApiWorld(database, size, new Date());
    await world.close();
    return {
      kind,
      env: target.env,
      ownerToken: world.owner.token,
      ownerEnvironment: world.environmentIds[1234 % world.environmentIds.length] ?? '',
      collaboratorToken: world.narrow.token,
      collaboratorEnvironment: world.narrowVisible[0] ?? '',
      drop: target.drop,
    };
  } finally {
    await database.close();
  }
}

/** The hot routes, each with the bearer token that calls it. */
export function hotRoutes(world: ServedWorld): Array<{ name: string; path: string; token?: string }> {
  return [
    { name: '/api/health', path: '/api/health' },
    { name: 'owner GET /environments/:id', path: `/api/v1/environments/${world.ownerEnvironment}`, token: world.ownerToken },
    { name: 'collaborator GET /environments/:id', path: `/api/v1/environments/${world.collaboratorEnvironment}`, token: world.collaboratorToken },
    { name: 'collaborator GET /environments (50)', path: '/api/v1/environments', token: world.collaboratorToken },
    { name: 'owner GET /environments (50)', path: '/api/v1/environments', token: world.ownerToken },
  ];
}
