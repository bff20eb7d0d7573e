import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../support/databases.js';
import { freePort, shareplaneRunner, waitForHealthy } from '../support/process.js';

const start = shareplaneRunner();

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
