import { and, asc, eq, inArray } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { auditEvents, type EnvironmentStatus, environments, runtimeJobs } from '../../src/db/schema/index.js';
import { driveRuntimeJobs } from '../../src/environments/runtime/worker.js';
import type { RuntimeDriver } from '../../src/environments/runtime/driver.js';
import type { Account } from '../factories.js';
import type { TestApp } from '../support/app.js';

/** A node of a topology; the factories run `nginx:1.27` when no image is given. */
export interface NodeInput {
  role: string;
  image?: string;
  count: number;
  cloudlets: number;
}

/** An environment as the API answers it; tests read any of its fields. */
export interface TestEnvironment {
  id: string;
  name: string;
  status: string;
  [field: string]: any;
}

/** A small web app: one balancer in front of two app nodes, and a database. */
export const webTopology: NodeInput[] = [
  { role: 'balancer', image: 'nginx:1.27', count: 1, cloudlets: 2 },
  { role: 'app', image: 'node:22-alpine', count: 2, cloudlets: 4 },
  { role: 'db', image: 'postgres:16', count: 1, cloudlets: 8 },
];

export const singleNode: NodeInput[] = [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 2 }];

/** Nodes with a default image where the test left it out. */
export const withImages = (nodes: NodeInput[]) => nodes.map((node) => ({ image: 'nginx:1.27', ...node }));

/** A DNS-label environment name no other test uses. */
export function envName(label = 'env'): string {
  return `${label}-${randomBytes(4).toString('hex')}`;
}

/**
 * Runs the runtime worker until no job is left queued or running, like the background loop would. With the
 * app's own workers running too, it also waits for the jobs they hold.
 */
export async function settleRuntime(t: TestApp, driver?: RuntimeDriver, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    while ((await driveRuntimeJobs(t.ctx, driver)) > 0) {
      // Drive until a pass finds nothing: each pass may unblock an environment's next job.
    }
    const open = await t.ctx.db.$count(runtimeJobs, inArray(runtimeJobs.status, ['queued', 'running']));
    if (open === 0) return;
    if (Date.now() > deadline) throw new Error(`${open} runtime job(s) still open after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * Creates an environment through POST /api/v1/environments (in `ownerId`'s account when given) and answers its body
 * (status `creating`). One app node of 2 cloudlets unless `nodes` says otherwise.
 */
export async function createEnvironment(
  t: TestApp,
  as: Account,
  body: { name?: string; displayName?: string; ownerId?: string; groupId?: string; nodes?: NodeInput[] } = {},
): Promise<TestEnvironment> {
  const answer = await t.http.as(as).post('/api/v1/environments', { name: envName(), ...body, nodes: withImages(body.nodes ?? singleNode) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

/** Creates an environment and lets the runtime provision it; answers its body once `running` (its run opens at the clock's now). */
export async function createRunningEnvironment(t: TestApp, as: Account, body: Parameters<typeof createEnvironment>[2] = {}): Promise<TestEnvironment> {
  const created = await createEnvironment(t, as, body);
  return expectStatus(t, as, created.id, 'running');
}

/** Settles the runtime, then reads the environment and checks its status. */
export async function expectStatus(t: TestApp, as: Account, id: string, status: string): Promise<TestEnvironment> {
  await settleRuntime(t);
  const answer = await t.http.as(as).get(`/api/v1/environments/${id}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  expect(answer.body.status, answer.body.statusReason ?? '').toBe(status);
  return answer.body;
}

/** A stopped environment of `as`. */
export async function createStoppedEnvironment(t: TestApp, as: Account, body: Parameters<typeof createEnvironment>[2] = {}): Promise<TestEnvironment> {
  const env = await createRunningEnvironment(t, as, body);
  return lifecycle(t, as, env.id, 'stop');
}

/** Starts, stops or restarts an environment through the API and lets the runtime settle it; answers its body then. */
export async function lifecycle(t: TestApp, as: Account, id: string, action: 'start' | 'stop' | 'restart'): Promise<TestEnvironment> {
  const answer = await t.http.as(as).post(`/api/v1/environments/${id}/${action}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  return expectStatus(t, as, id, action === 'stop' ? 'stopped' : 'running');
}

/** Changes an environment's topology through the API (node counts and cloudlets). */
export async function changeTopology(t: TestApp, as: Account, id: string, nodes: NodeInput[]): Promise<void> {
  const answer = await t.http.as(as).put(`/api/v1/environments/${id}/topology`, { nodes: withImages(nodes) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** Creates a group through the API and answers its body. */
export async function createGroup(t: TestApp, as: Account, body: { name?: string; parentId?: string; ownerId?: string } = {}): Promise<any> {
  const answer = await t.http.as(as).post('/api/v1/groups', { name: `Group ${randomBytes(3).toString('hex')}`, ...body });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body;
}

/** All log lines of an environment, oldest first. */
export async function logLines(t: TestApp, as: Account, id: string): Promise<string[]> {
  const answer = await t.http.as(as).get(`/api/v1/environments/${id}/logs`, { query: { limit: 1000 } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return (answer.body.items as Array<{ line: string; source: string }>).reverse().map((item) => `${item.source}: ${item.line}`);
}

/** The audit events of an owner's account with this action, oldest first (read from the table the log is served from). */
export async function auditOf(t: TestApp, ownerId: string, action: string) {
  return t.ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.ownerId, ownerId), eq(auditEvents.action, action)))
    .orderBy(asc(auditEvents.id));
}

/**
 * Waits until the app's own runtime worker (woken each poll) has settled the environment in `status`. It reads the
 * table, not the API, so it also serves where the owner's routes refuse (an ended trial).
 */
export async function waitForStatus(t: TestApp, id: string, status: EnvironmentStatus, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await t.ctx.db.select({ status: environments.status }).from(environments).where(eq(environments.id, id));
    if (row?.status === status) return;
    if (Date.now() > deadline) throw new Error(`environment ${id} is ${row?.status ?? 'gone'}, not ${status}, after ${timeoutMs} ms`);
    t.ctx.wake.runtime();
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
