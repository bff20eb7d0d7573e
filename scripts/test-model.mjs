#!/usr/bin/env node
/* global process, console */
// Runs the sequence test (test/access/sequence.test.ts) longer or with a given seed, on PGlite and — when
// TEST_DATABASE_URL is set — on PostgreSQL: `npm run test:model -- --runs 5000 --seed 42 [--steps 40] [--shrink]`.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
const names = { '--runs': 'MODEL_RUNS', '--seed': 'MODEL_SEED', '--steps': 'MODEL_STEPS' };
for (let i = 0; i < args.length; i += 1) {
  const arg = args[i];
  if (arg === '--shrink') env.MODEL_SHRINK = '1';
  else if (arg in names && args[i + 1] !== undefined && /^\d+$/.test(args[i + 1])) env[names[arg]] = args[(i += 1)];
  else {
    console.error(`unknown or incomplete option ${arg}: use --runs N, --seed N, --steps N, --shrink`);
    process.exit(2);
  }
}
const projects = ['--project', 'pglite', ...(env.TEST_DATABASE_URL ? ['--project', 'postgres'] : [])];
const run = spawnSync('npx', ['vitest', 'run', 'test/access/sequence.test.ts', ...projects], { stdio: 'inherit', env });
process.exit(run.status ?? 1);
