import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// `npm start` compiles the server with tsconfig.build.json before it serves (scripts/ensure-build.mjs). The other
// tests run the sources through tsx, which would hide a server that no longer compiles on its own (a file outside
// src/ pulled into the build, say): this one compiles it as `npm start` would, without writing anything.
describe('the production build', () => {
  it('compiles the server as npm start does', { timeout: 120_000 }, async () => {
    const tsc = new URL('../../node_modules/typescript/bin/tsc', import.meta.url).pathname;
    const project = new URL('../../tsconfig.build.json', import.meta.url).pathname;
    const run = promisify(execFile)(process.execPath, [tsc, '-p', project, '--noEmit', '--incremental', 'false'], { encoding: 'utf8' });
    await expect(run.then(({ stdout }) => stdout)).resolves.toBe('');
  });
});
