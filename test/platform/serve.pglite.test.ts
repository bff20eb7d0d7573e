import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freePort, shareplaneRunner, waitForHealthy } from '../support/process.js';

const start = shareplaneRunner();

describe('shareplane serve on the embedded database', () => {
  it('creates a missing data folder, serves, refuses a second process on it, and closes cleanly on SIGTERM', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'shareplane-')), 'nested', 'data');
    const port = await freePort();
    const first = start(['serve'], { DATA_DIR: dataDir, PORT: String(port) });
    expect(await waitForHealthy(`http://127.0.0.1:${port}/api/health`, 90_000, first)).toEqual({ status: 'ok', database: 'pglite' });
    expect(existsSync(join(dataDir, 'shareplane.lock'))).toBe(true);

    const second = start(['serve'], { DATA_DIR: dataDir, PORT: String(await freePort()) });
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/data directory .* is in use by another Shareplane process/);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(existsSync(join(dataDir, 'shareplane.lock'))).toBe(false);

    // The data survives and the folder can be opened again.
    const again = start(['serve'], { DATA_DIR: dataDir, PORT: String(port) });
    await waitForHealthy(`http://127.0.0.1:${port}/api/health`, 60_000, again);
    // Three process starts, the first creating the database in a child process: on a busy machine that takes
    // longer than one test's default 30 s.
  }, 240_000);

  it('refuses a bad configuration with a message naming the variable', async () => {
    const proc = start(['serve'], { PORT: 'eighty', DATABASE_URL: 'mysql://nope' });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toContain('PORT');
    expect(proc.output()).toContain('DATABASE_URL: must be a postgres:// URL');
  });
});

