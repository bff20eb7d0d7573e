import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-postgres.js';
import { freePort, shareplaneRunner, waitForHealthy } from '../support/process.js';

// A real `shareplane serve` on a PostgreSQL cluster of this test's own, which it stops and starts under load.
const start = shareplaneRunner();
let cluster: PrivatePostgres;

beforeAll(async () => {
  cluster = await startPrivatePostgres();
});
afterAll(() => cluster?.destroy());

const RESTARTS = 3;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Tally {
  statuses: Map<number, number>;
  /** Answers that were 5xx other than 503 database_unavailable, or 503s without the problem shape. */
  wrong: string[];
  /** Groups whose creation was answered 201: acknowledged writes. */
  acknowledged: string[];
  /** Requests that got no HTTP answer at all (the process died or hung up). */
  unanswered: number;
}

async function call(base: string, token: string, tally: Tally, method: string, path: string, body?: unknown) {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
  } catch {
    tally.unanswered++;
    return undefined;
  }
  const text = await response.text();
  tally.statuses.set(response.status, (tally.statuses.get(response.status) ?? 0) + 1);
  if (response.status === 503) {
    const problem = JSON.parse(text) as { code?: string };
    if (problem.code !== 'database_unavailable' || !response.headers.get('retry-after')) tally.wrong.push(`503 ${text}`);
  } else if (response.status >= 500) {
    tally.wrong.push(`${response.status} ${method} ${path}: ${text}`);
  }
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

describe('PostgreSQL restarts under load', () => {
  it(`survives ${RESTARTS} restarts: 503 database_unavailable while it is down, answers as soon as it is back, loses no acknowledged write`, async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = start(['serve'], { DATABASE_URL: cluster.url, PORT: String(port), RUNTIME_DELAY_MS: '0' });
    await waitForHealthy(`${base}/api/health`, 30_000, proc);

    const signup = await fetch(`${base}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'restart-owner@example.test', password: 'correct horse battery staple', name: 'Restart Owner' }),
    });
    expect(signup.status).toBe(201);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'restart-owner@example.test', password: 'correct horse battery staple' }),
    });
    const { token } = (await login.json()) as { token: string };

    const tally: Tally = { statuses: new Map(), wrong: [], acknowledged: [], unanswered: 0 };
    let loading = true;
    let written = 0;
    const worker = async (lane: number) => {
      while (loading) {
        const name = `g-${lane}-${written++}`;
        const created = await call(base, token, tally, 'POST', '/api/v1/groups', { name });
        if (created?.status === 201) tally.acknowledged.push(String(created.body.id));
        await call(base, token, tally, 'GET', '/api/v1/me');
        await sleep(15);
      }
    };
    const lanes = Array.from({ length: 6 }, (_, lane) => worker(lane));

    const recoveryMs: number[] = [];
    for (let restart = 0; restart < RESTARTS; restart++) {
      await sleep(400);
      cluster.stop();
      await sleep(600);
      const health = await fetch(`${base}/api/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toEqual({ status: 'unavailable', database: 'postgres' });
      expect((await fetch(`${base}/api/health/live`)).status).toBe(200);
      const down = await call(base, token, tally, 'GET', '/api/v1/me');
      expect(down?.status).toBe(503);

      cluster.start();
      const back = Date.now();
      // The very first request after the database is back is served.
      const first = await call(base, token, tally, 'GET', '/api/v1/me');
      recoveryMs.push(Date.now() - back);
      expect(first?.status).toBe(200);
      expect((await fetch(`${base}/api/health/ready`)).status).toBe(200);
    }
    await sleep(400);
    loading = false;
    await Promise.all(lanes);

    expect(proc.child.exitCode).toBeNull();
    expect(tally.unanswered).toBe(0);
    expect(tally.wrong).toEqual([]);
    expect(tally.statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(tally.acknowledged.length).toBeGreaterThan(0);

    // Every write answered 201 is in the database.
    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string }>('select id from groups where id = any($1::text[])', [tally.acknowledged]);
      expect(rows.length).toBe(tally.acknowledged.length);
    } finally {
      await client.end();
    }
    console.info(
      `database restarts: ${RESTARTS}; answers ${JSON.stringify(Object.fromEntries(tally.statuses))}; ` +
        `acknowledged writes ${tally.acknowledged.length}; first answer after each restart in ${recoveryMs.join(', ')} ms`,
    );
  });
});
