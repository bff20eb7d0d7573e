import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// The API suite runs once per database: always on embedded PGlite, and on PostgreSQL when TEST_DATABASE_URL
// is set. REQUIRE_POSTGRES=1 (CI) turns a missing PostgreSQL into a failure instead of a skipped half.
const postgresUrl = process.env.TEST_DATABASE_URL;
if (!postgresUrl && process.env.REQUIRE_POSTGRES === '1') {
  throw new Error('REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set: the PostgreSQL half of the suite cannot run.');
}
if (!postgresUrl && !process.env.SHAREPLANE_WARNED_NO_POSTGRES) {
  process.env.SHAREPLANE_WARNED_NO_POSTGRES = '1';
  console.warn('\n*** TEST_DATABASE_URL is not set: the suite runs on PGlite only, NOT on PostgreSQL. ***\n');
}

const api = (database: 'pglite' | 'postgres') => ({
  extends: true as const,
  test: {
    name: database,
    include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
    // `*.pglite.test.ts` and `*.postgres.test.ts` hold what only makes sense on one database.
    exclude: ['test/browser/**', `**/*.${database === 'pglite' ? 'postgres' : 'pglite'}.test.ts`],
    env: { SHAREPLANE_TEST_DB: database },
    globalSetup: ['test/support/global-setup.ts'],
  },
});

export default defineConfig({
  test: {
    pool: 'forks',
    // Vitest would run one file at a time on a 2-core machine (cores - 1); most files wait on PostgreSQL, the
    // embedded database's thread or Chromium, so two at a time keep both cores busy. VITEST_MAX_FORKS overrides.
    poolOptions: { forks: { maxForks: Number(process.env.VITEST_MAX_FORKS ?? Math.max(2, availableParallelism() - 1)) } },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      api('pglite'),
      ...(postgresUrl ? [api('postgres')] : []),
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          testTimeout: 120_000,
          // The UI answers within seconds, not the default one second, on a busy CI machine.
          expect: { poll: { timeout: 10_000, interval: 100 } },
          // Builds web/dist when missing or stale, and fails without Chromium when REQUIRE_E2E=1.
          globalSetup: ['test/browser/global-setup.ts'],
        },
      },
    ],
  },
});
