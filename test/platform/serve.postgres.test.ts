import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/databases.js';
import { freePort, runShareplane, type ShareplaneProcess, waitForHealthy } from '../support/process.js';

const running: ShareplaneProcess[] = [];
afterEach(async () => {
  for (const proc of running.splice(0)) {
    proc.child.kill('SIGKILL');
    await proc.exited;
  }
});

function start(args: string[], env: Record<string, string>) {
  const proc = runShareplane(args, env);
  running.push(proc);
  return proc;
}

describe('shareplane on PostgreSQL', () => {
  it('migrates with `shareplane migrate`, then serves on DATABASE_URL', async () => {
    const db = await createTestDatabase('postgres');
    try {
      const url = db.url ?? '';
      const migrate = start(['migrate'], { DATABASE_URL: url });
      expect(await migrate.exited).toBe(0);
      const port = await freePort();
      const proc = start(['serve'], { DATABASE_URL: url, PORT: String(port) });
      expect(await waitForHealthy(`http://127.0.0.1:${port}/api/health`, 30_000, proc)).toEqual({ status: 'ok', database: 'postgres' });
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toBe(0);
    } finally {
      await db.close();
    }
  });
});
