#!/usr/bin/env node
/* global process, console, URL */
// Builds the dashboard (web/ → web/dist) when it is missing or older than its sources, so that `npm ci && npm start`
// serves it with nothing else to do. Called by `prestart` and by the browser tests. SHAREPLANE_SKIP_WEB_BUILD=1 skips.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = join(root, 'web');
const builtIndex = join(web, 'dist', 'index.html');

function newestIn(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return info.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestIn(join(path, entry)));
  return newest;
}

/** Why the dashboard needs a build, or null when web/dist is up to date. */
export function staleReason() {
  if (!existsSync(builtIndex)) return 'web/dist is missing';
  const built = statSync(builtIndex).mtimeMs;
  const sources = [join(web, 'src'), join(web, 'public'), join(web, 'index.html'), join(web, 'vite.config.ts'), join(root, 'package-lock.json')];
  const newest = Math.max(...sources.map(newestIn));
  return newest > built ? 'web/src changed since the last build' : null;
}

/** Builds web/dist if it is missing or stale; resolves to whether it built. Throws when the build fails. */
export async function ensureWeb({ quiet = false } = {}) {
  const reason = staleReason();
  if (!reason) return false;
  const started = Date.now();
  if (!quiet) console.log(`shareplane: building the dashboard (${reason})…`);
  const { build } = await import('vite');
  await build({ configFile: join(web, 'vite.config.ts'), logLevel: quiet ? 'error' : 'warn' });
  if (!quiet) console.log(`shareplane: dashboard built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (process.env.SHAREPLANE_SKIP_WEB_BUILD === '1') process.exit(0);
  try {
    await ensureWeb();
  } catch (error) {
    // The API still starts: `/` then says the dashboard is not built and how to build it.
    console.error('\n*** shareplane: the dashboard build FAILED; the API starts without it. Run `npm run build:web` to see why. ***');
    console.error(error instanceof Error ? error.message : error);
  }
}
