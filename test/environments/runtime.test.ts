import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MINUTE } from '../../src/clock.js';
import { environmentLogs, environmentRuns, runtimeJobs } from '../../src/db/schema/index.js';
import { RuntimeError, type RuntimeTarget } from '../../src/environments/runtime/driver.js';
import { SimulatedRuntimeDriver } from '../../src/environments/runtime/simulated.js';
import { claimRuntimeJobs, driveRuntimeJobs } from '../../src/environments/runtime/worker.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { createOwner } from '../factories.js';
import {
  auditOf,
  createEnvironment,
  createRunningEnvironment,
  expectStatus,
  logLines,
  settleRuntime,
  singleNode,
  waitForStatus,
} from '../factories/environments.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const jobsOf = (id: string) => t.ctx.db.select().from(runtimeJobs).where(eq(runtimeJobs.environmentId, id)).orderBy(asc(runtimeJobs.seq));
const runsOf = (id: string) => t.ctx.db.select().from(environmentRuns).where(eq(environmentRuns.environmentId, id)).orderBy(asc(environmentRuns.startedAt));

/** The simulation, with one step that fails the way a real runtime can. */
class FailingDriver extends SimulatedRuntimeDriver {
  constructor(
    private readonly failing: 'start' | 'restart' | 'deploy',
    private readonly reason: string,
  ) {
    super({ db: t.ctx.db, clock: t.clock, delayMs: 0 });
  }
  override async start(target: RuntimeTarget) {
    if (this.failing === 'start') throw new RuntimeError(this.reason);
    return super.start(target);
  }
  override async restart(target: RuntimeTarget) {
    if (this.failing === 'restart') throw new RuntimeError(this.reason);
    return super.restart(target);
  }
  override async deploy(target: RuntimeTarget, source: string) {
    if (this.failing === 'deploy') throw new RuntimeError(this.reason);
    return super.deploy(target, source);
  }
}

describe('the runtime worker', () => {
  it('settles a job left running by a node that died, once its lease has run out', async () => {
    const owner = await createOwner(t);
    const env = await createEnvironment(t, owner);
    // A node claims the provisioning and dies before doing anything.
    const claimed = await claimRuntimeJobs(t.ctx);
    expect(claimed.map((job) => job.environmentId)).toEqual([env.id]);

    // While the lease lasts nobody else takes the job.
    expect(await driveRuntimeJobs(t.ctx)).toBe(0);
    expect((await t.http.as(owner).get(`/api/v1/environments/${env.id}`)).body.status).toBe('creating');

    // A new node starts after the lease ran out: its runtime worker finds the job at once and finishes it.
    t.clock.advance(2 * MINUTE);
    const second = await startTestApp({ database: t.db, clock: t.clock, workers: true });
    try {
      await waitForStatus(second, env.id, 'running');
    } finally {
      await second.close();
    }
    expect(await jobsOf(env.id)).toMatchObject([{ action: 'provision', status: 'done', attempts: 2 }]);
    expect(await runsOf(env.id)).toHaveLength(1);
  });

  it('lets two nodes on one database work at once without driving any job twice', async () => {
    const owner = await createOwner(t);
    const envs = [];
    for (let i = 0; i < 6; i++) envs.push(await createEnvironment(t, owner));
    const second = await startTestApp({ database: t.db, clock: t.clock });
    try {
      for (let round = 0; round < 10; round++) {
        const handled = await Promise.all([driveRuntimeJobs(t.ctx), driveRuntimeJobs(second.ctx), driveRuntimeJobs(t.ctx)]);
        if (handled.every((n) => n === 0)) break;
      }
    } finally {
      await second.close();
    }
    for (const env of envs) {
      expect(await jobsOf(env.id)).toMatchObject([{ status: 'done', attempts: 1 }]);
      const logs = await t.ctx.db.select().from(environmentLogs).where(eq(environmentLogs.environmentId, env.id));
      expect(logs.filter((log) => log.line.startsWith('Creating environment'))).toHaveLength(1);
      expect(await runsOf(env.id)).toHaveLength(1);
    }
  });

  it("runs one environment's jobs one at a time, in the order they were asked for", async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const topology = await t.http.as(owner).put(`/api/v1/environments/${env.id}/topology`, { nodes: [{ ...singleNode[0], count: 3 }] });
    expect(topology.status).toBe(200);
    expect((await t.http.as(owner).post(`/api/v1/environments/${env.id}/stop`)).status).toBe(202);
    // The first claim may take only the scale: the stop waits behind it.
    const first = await claimRuntimeJobs(t.ctx);
    expect(first.filter((job) => job.environmentId === env.id).map((job) => job.action)).toEqual(['scale']);
    t.clock.advance(2 * MINUTE);
    const stopped = await expectStatus(t, owner, env.id, 'stopped');
    expect(stopped.nodes[0].instances.map((i: any) => `${i.ordinal}:${i.status}`)).toEqual(['1:stopped', '2:stopped', '3:stopped']);
    expect((await jobsOf(env.id)).map((job) => `${job.action}:${job.status}:${job.error ?? ''}`)).toEqual(['provision:done:', 'scale:done:', 'stop:done:']);
    const lines = await logLines(t, owner, env.id);
    const applied = lines.indexOf('platform: Topology applied');
    expect(applied).toBeGreaterThan(0);
    expect(applied).toBeLessThan(lines.indexOf(`platform: Stopping environment ${env.name}`));
    // The new nodes started with the running environment, then stopped with it.
    expect(lines).toContain('app-3: nginx: start worker processes; listening on 0.0.0.0:80');
    expect(lines).toContain('app-3: Received SIGTERM; shut down gracefully');
  });

  it('still deploys when a restart was asked for right after the deployment', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    expect((await t.http.as(owner).post(`/api/v1/environments/${env.id}/deploy`, { source: 'https://example.com/v2.zip' })).status).toBe(202);
    expect((await t.http.as(owner).post(`/api/v1/environments/${env.id}/restart`)).status).toBe(202);
    const after = await expectStatus(t, owner, env.id, 'running');
    expect(after.deployedSource).toBe('https://example.com/v2.zip');
    const lines = await logLines(t, owner, env.id);
    expect(lines.indexOf('platform: Deployment of https://example.com/v2.zip finished')).toBeLessThan(lines.indexOf(`platform: Restarting environment ${env.name}, one node at a time`));
  });

  it('marks the environment failed with the reason when a step fails, and closes its run', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    await t.http.as(owner).post(`/api/v1/environments/${env.id}/restart`);
    await settleRuntime(t, new FailingDriver('restart', 'Container app-1 did not become healthy within 120 s.'));
    const failed = await t.http.as(owner).get(`/api/v1/environments/${env.id}`);
    expect(failed.body).toMatchObject({ status: 'failed', statusReason: 'Container app-1 did not become healthy within 120 s.' });
    expect((await runsOf(env.id)).every((run) => run.stoppedAt !== null)).toBe(true);
    expect((await auditOf(t, owner.id, 'runtime.restart'))[0]).toMatchObject({ outcome: 'failed', actorId: null, targetId: env.id });

    const restart = await t.http.as(owner).post(`/api/v1/environments/${env.id}/restart`);
    expect(restart.status).toBe(409);
    expect(restart.body.detail).toBe('The environment failed (Container app-1 did not become healthy within 120 s); start it again or delete it.');
    expect((await t.http.as(owner).post(`/api/v1/environments/${env.id}/start`)).status).toBe(202);
    const running = await expectStatus(t, owner, env.id, 'running');
    expect(running.statusReason).toBeNull();
    expect(await runsOf(env.id)).toHaveLength(2);
  });

  it('keeps a running environment running when a deployment fails', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    await t.http.as(owner).post(`/api/v1/environments/${env.id}/deploy`, { source: 'https://github.com/acme/shop.git' });
    await settleRuntime(t, new FailingDriver('deploy', 'Build failed: npm ci exited with code 1.'));
    const after = await expectStatus(t, owner, env.id, 'running');
    expect(after.deployedSource).toBeNull();
    expect(await jobsOf(env.id)).toMatchObject([{ action: 'provision' }, { action: 'deploy', status: 'failed', error: 'Build failed: npm ci exited with code 1.' }]);
  });

  it('answers at once and finishes later when each step takes time (RUNTIME_DELAY_MS)', async () => {
    const slow = await startTestApp({ config: { runtimeDelayMs: 20 }, workers: true });
    try {
      const owner = await createOwner(slow);
      const created = await slow.http.as(owner).post('/api/v1/environments', { name: `slow-${Date.now()}`, nodes: [{ ...singleNode[0], count: 2 }] });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('creating');
      await waitForStatus(slow, created.body.id, 'running');
      const running = await slow.http.as(owner).get(`/api/v1/environments/${created.body.id}`);
      expect(running.body).toMatchObject({ status: 'running' });
      expect(running.body.nodes[0].instances).toHaveLength(2);
    } finally {
      await slow.close();
    }
  });
});
