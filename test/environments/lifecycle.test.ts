import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR, MINUTE } from '../../src/clock.js';
import { environmentLogs, environmentRuns } from '../../src/db/schema/index.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createOwner } from '../factories.js';
import {
  auditOf,
  createEnvironment,
  createRunningEnvironment,
  createStoppedEnvironment,
  expectStatus,
  lifecycle,
  logLines,
  settleRuntime,
} from '../factories/environments.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const runsOf = (id: string) =>
  t.ctx.db.select().from(environmentRuns).where(eq(environmentRuns.environmentId, id)).orderBy(asc(environmentRuns.startedAt));

describe('start, stop, restart', () => {
  it('answers 202 with the transitional status, and the runtime settles it', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);

    const stop = await t.http.as(owner).post(`/api/v1/environments/${env.id}/stop`);
    expect(stop.status).toBe(202);
    expect(stop.body).toMatchObject({ id: env.id, status: 'stopping' });
    const stopped = await expectStatus(t, owner, env.id, 'stopped');
    expect(stopped.nodes[0].instances.map((i: any) => i.status)).toEqual(['stopped']);

    const start = await t.http.as(owner).post(`/api/v1/environments/${env.id}/start`);
    expect(start.status).toBe(202);
    expect(start.body.status).toBe('starting');
    await expectStatus(t, owner, env.id, 'running');

    const restart = await t.http.as(owner).post(`/api/v1/environments/${env.id}/restart`);
    expect(restart.status).toBe(202);
    expect(restart.body.status).toBe('restarting');
    await expectStatus(t, owner, env.id, 'running');

    const lines = await logLines(t, owner, env.id);
    expect(lines).toContain('platform: Stopping container app-1 ... done');
    expect(lines).toContain('app-1: Received SIGTERM; shut down gracefully');
    expect(lines).toContain('platform: Restarting container app-1 ... done');
    const actions = ['environment.stop', 'environment.start', 'environment.restart'];
    for (const action of actions) expect((await auditOf(t, owner.id, action)).map((e) => e.outcome)).toEqual(['ok']);
  });

  it('answers 409 invalid_state, saying why, when the action does not fit the status', async () => {
    const owner = await createOwner(t);
    const stopped = await createStoppedEnvironment(t, owner);
    const running = await createRunningEnvironment(t, owner);
    // Last: the helpers above let the runtime settle every environment.
    const creating = await createEnvironment(t, owner);
    const cases: Array<[string, string, string]> = [
      [stopped.id, 'stop', 'The environment is already stopped.'],
      [stopped.id, 'restart', 'The environment is stopped; start it first.'],
      [running.id, 'start', 'The environment is already running.'],
      [creating.id, 'stop', 'The environment is still being created; wait until it is running.'],
      [creating.id, 'start', 'The environment is still being created; wait until it is running.'],
    ];
    await expectNoChange(t, async () => {
      for (const [id, action, detail] of cases) {
        const answer = await t.http.as(owner).post(`/api/v1/environments/${id}/${action}`);
        expect(answer.status, `${action}`).toBe(409);
        expect(answer.body).toMatchObject({ code: 'invalid_state', detail });
      }
    });
    const refused = await auditOf(t, owner.id, 'environment.stop');
    expect(refused.filter((e) => e.outcome === 'failed').map((e) => e.targetId)).toEqual([stopped.id, creating.id]);
    await settleRuntime(t);
  });

  it('lets only one of two simultaneous stops through', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const answers = await Promise.all([0, 1].map(() => t.http.as(owner).post(`/api/v1/environments/${env.id}/stop`)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([202, 409]);
    await expectStatus(t, owner, env.id, 'stopped');
    expect(await runsOf(env.id)).toHaveLength(1);
  });

  it("answers 404 for another account's environment and for an unknown id alike, and changes nothing", async () => {
    const owner = await createOwner(t);
    const stranger = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    await expectNoChange(t, async () => {
      for (const action of ['stop', 'start', 'restart']) {
        const theirs = await t.http.as(stranger).post(`/api/v1/environments/${env.id}/${action}`);
        const missing = await t.http.as(stranger).post(`/api/v1/environments/00000000-0000-0000-0000-000000000000/${action}`);
        expect(theirs.status).toBe(404);
        expect(missing.status).toBe(404);
        expect(theirs.body.detail).toBe(missing.body.detail);
      }
      const remove = await t.http.as(stranger).delete(`/api/v1/environments/${env.id}`);
      expect(remove.status).toBe(404);
    });
    expect(await auditOf(t, owner.id, 'environment.stop')).toEqual([]);
  });

  it('answers 401 without a session', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    await expectNoChange(t, async () => {
      for (const action of ['stop', 'start', 'restart']) {
        expect((await t.http.post(`/api/v1/environments/${env.id}/${action}`)).status).toBe(401);
      }
      expect((await t.http.delete(`/api/v1/environments/${env.id}`)).status).toBe(401);
    });
  });
});

describe('DELETE /api/v1/environments/:id', () => {
  it('answers 202 deleting; once the runtime removed the nodes the environment is gone', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const remove = await t.http.as(owner).delete(`/api/v1/environments/${env.id}`);
    expect(remove.status).toBe(202);
    expect(remove.body.status).toBe('deleting');
    // Until the runtime is done it is still listed, as deleting, and refuses other actions.
    const again = await t.http.as(owner).delete(`/api/v1/environments/${env.id}`);
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe('The environment is being deleted.');
    await settleRuntime(t);
    expect((await t.http.as(owner).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
    const list = await t.http.as(owner).get('/api/v1/environments');
    expect(list.body.items.map((item: any) => item.id)).not.toContain(env.id);
    expect((await t.http.as(owner).delete(`/api/v1/environments/${env.id}`)).status).toBe(404);
    const logs = await t.ctx.db.select().from(environmentLogs).where(eq(environmentLogs.environmentId, env.id)).orderBy(asc(environmentLogs.id));
    const lines = logs.map((log) => log.line);
    expect(lines.at(-1)).toContain(`Environment ${env.name} deleted`);
    expect((await auditOf(t, owner.id, 'environment.delete'))[0]).toMatchObject({ outcome: 'ok', targetId: env.id });
  });

  it('deletes an environment that is still being created: provisioning is skipped', async () => {
    const owner = await createOwner(t);
    const env = await createEnvironment(t, owner);
    expect((await t.http.as(owner).delete(`/api/v1/environments/${env.id}`)).status).toBe(202);
    await settleRuntime(t);
    expect((await t.http.as(owner).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
    expect(await runsOf(env.id)).toEqual([]);
  });
});

describe('environment runs, which metering charges from', () => {
  it('open when the environment becomes running and close when it leaves running; a restart keeps the run', async () => {
    const owner = await createOwner(t);
    const start = t.clock.now();
    const env = await createRunningEnvironment(t, owner);
    expect(await runsOf(env.id)).toMatchObject([{ startedAt: start, stoppedAt: null }]);

    t.clock.advance(HOUR);
    await lifecycle(t, owner, env.id, 'restart');
    expect(await runsOf(env.id)).toMatchObject([{ startedAt: start, stoppedAt: null }]);

    t.clock.advance(HOUR);
    const stopAt = t.clock.now();
    await lifecycle(t, owner, env.id, 'stop');
    expect(await runsOf(env.id)).toMatchObject([{ startedAt: start, stoppedAt: stopAt }]);

    t.clock.advance(HOUR);
    const secondStart = t.clock.now();
    await lifecycle(t, owner, env.id, 'start');

    t.clock.advance(30 * MINUTE);
    const deletedAt = t.clock.now();
    await t.http.as(owner).delete(`/api/v1/environments/${env.id}`);
    await settleRuntime(t);
    expect(await runsOf(env.id)).toMatchObject([
      { startedAt: start, stoppedAt: stopAt },
      { startedAt: secondStart, stoppedAt: deletedAt },
    ]);
  });

  it('never open for an environment that never ran', async () => {
    const owner = await createOwner(t);
    const env = await createEnvironment(t, owner);
    expect(await runsOf(env.id)).toEqual([]);
    await settleRuntime(t);
    expect(await runsOf(env.id)).toHaveLength(1);
  });
});
