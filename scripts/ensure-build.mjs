#!/usr/bin/env node
/* global process, console, URL */
// Compiles the server (src/ → dist/) when dist is missing or older than its sources, so that `npm start` runs plain
// JavaScript with no compiler at run time. Called by `prestart` and by the benchmarks. The migrations are copied
// beside the compiled code (dist/db/migrations), where the migrator looks for them.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.built');

function newestIn(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = info.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, entry)));
  return newest;
}

/** Why the server needs compiling, or null when dist/ is up to date. */
export function buildReason() {
  if (!existsSync(stamp) || !existsSync(join(root, 'dist', 'main.js'))) return 'dist is missing';
  const sources = [join(root, 'src'), join(root, 'tsconfig.json'), join(root, 'tsconfig.build.json'), join(root, 'package-lock.json')];
  return Math.max(...sources.map(newestIn)) > statSync(stamp).mtimeMs ? 'src changed since the last build' : null;
}

/** Compiles dist/ if it is missing or stale; returns whether it did. Throws when the compiler fails. */
export function ensureBuild({ quiet = false } = {}) {
  const reason = buildReason();
  if (!reason) return false;
  const started = Date.now();
  if (!quiet) console.log(`shareplane: compiling the server (${reason})…`);
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });
  const migrations = join(root, 'dist', 'db', 'migrations');
  rmSync(migrations, { recursive: true, force: true });
  cpSync(join(root, 'src', 'db', 'migrations'), migrations, { recursive: true });
  writeFileSync(stamp, `${new Date().toISOString()}\n`);
  if (!quiet) console.log(`shareplane: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    ensureBuild();
  } catch (error) {
    console.error('\n*** shareplane: compiling the server FAILED ***');
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
