/**
 * `npm run bench`: runs every bench/*.bench.ts in turn, in this process, with a plain timing loop (bench/harness.ts)
 * rather than vitest bench, so a benchmark is an ordinary script: `node --import tsx bench/run.ts [filter]`.
 * Each bench file default-exports a function that prints its own lines.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';

const dir = fileURLToPath(new URL('.', import.meta.url));
const filter = process.argv[2] ?? '';
const files = readdirSync(dir)
  .filter((name) => name.endsWith('.bench.ts') && name.includes(filter))
  .sort();

for (const file of files) {
  const module: unknown = await import(pathToFileURL(join(dir, file)).href);
  const run = typeof module === 'object' && module !== null && 'default' in module ? module.default : undefined;
  if (typeof run !== 'function') throw new Error(`${file} must default-export a function`);
  console.log(`\n# ${file}`);
  await run();
}
