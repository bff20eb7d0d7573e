import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createOwner } from '../factories.js';
import {
  auditOf,
  createEnvironment,
  createGroup,
  createRunningEnvironment,
  createStoppedEnvironment,
  envName,
  expectStatus,
  logLines,
  settleRuntime,
  singleNode,
  webTopology,
} from '../factories/environments.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const expectFields = (answer: { status: number; body: any }, paths: string[]) => {
  expect(answer.status, JSON.stringify(answer.body)).toBe(400);
  expect(answer.body.code).toBe('validation_failed');
  expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual(paths);
};

describe('PATCH /api/v1/environments/:id (rename)', () => {
  it('changes the display name, keeps the name, and audits both names', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner, { displayName: 'Shop' });
    const answer = await t.http.as(owner).patch(`/api/v1/environments/${env.id}`, { displayName: '  Shop (production)  ' });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ name: env.name, displayName: 'Shop (production)', status: 'running' });
    expect((await auditOf(t, owner.id, 'environment.rename'))[0]?.details).toEqual({ from: 'Shop', to: 'Shop (production)' });
  });

  it('refuses bad input and a renaming while the environment is being deleted', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    await expectNoChange(t, async () => {
      expectFields(await t.http.as(owner).patch(`/api/v1/environments/${env.id}`, { displayName: '' }), ['displayName']);
      expectFields(await t.http.as(owner).patch(`/api/v1/environments/${env.id}`, {}), ['displayName']);
      expectFields(await t.http.as(owner).patch(`/api/v1/environments/${env.id}`, { displayName: 'x', name: 'other' }), ['name']);
    });
    await t.http.as(owner).delete(`/api/v1/environments/${env.id}`);
    const late = await t.http.as(owner).patch(`/api/v1/environments/${env.id}`, { displayName: 'Too late' });
    expect(late.status).toBe(409);
    expect(late.body).toMatchObject({ code: 'invalid_state', detail: 'The environment is being deleted.' });
    await settleRuntime(t);
  });
});

describe('PUT /api/v1/environments/:id/topology', () => {
  it('stores the new topology at once and lets the runtime add, remove and resize nodes', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner, { nodes: webTopology });
    const nodes = [
      { role: 'app', image: 'node:22-alpine', count: 3, cloudlets: 6 },
      { role: 'db', image: 'postgres:16', count: 1, cloudlets: 8 },
      { role: 'cache', image: 'redis:7', count: 1, cloudlets: 2 },
    ];
    const answer = await t.http.as(owner).put(`/api/v1/environments/${env.id}/topology`, { nodes });
    expect(answer.status).toBe(200);
    expect(answer.body.cloudlets).toBe(18 + 8 + 2);
    expect(answer.body.nodes.map((n: any) => `${n.role}×${n.count}`)).toEqual(['app×3', 'cache×1', 'db×1']);
    const after = await expectStatus(t, owner, env.id, 'running');
    const instances = after.nodes.flatMap((n: any) => n.instances.map((i: any) => `${n.role}-${i.ordinal}:${i.status}`));
    expect(instances).toEqual(['app-1:running', 'app-2:running', 'app-3:running', 'cache-1:running', 'db-1:running']);
    const lines = await logLines(t, owner, env.id);
    expect(lines).toContain('platform: Removing container balancer-1 ... done');
    expect(lines.some((line) => line.startsWith('platform: Pulling image redis:7 ... done'))).toBe(true);
    expect(lines).toContain('cache-1: * Ready to accept connections tcp');
    expect((await auditOf(t, owner.id, 'environment.topology'))[0]?.outcome).toBe('ok');
  });

  it('changes a stopped environment too: new nodes wait stopped', async () => {
    const owner = await createOwner(t);
    const env = await createStoppedEnvironment(t, owner);
    expect((await t.http.as(owner).put(`/api/v1/environments/${env.id}/topology`, { nodes: [{ ...singleNode[0], count: 2 }] })).status).toBe(200);
    const after = await expectStatus(t, owner, env.id, 'stopped');
    expect(after.nodes[0].instances.map((i: any) => i.status)).toEqual(['stopped', 'stopped']);
  });

  it('refuses an empty or invalid topology (400) and a change while the environment is busy (409)', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    await expectNoChange(t, async () => {
      expectFields(await t.http.as(owner).put(`/api/v1/environments/${env.id}/topology`, { nodes: [] }), ['nodes']);
      expectFields(await t.http.as(owner).put(`/api/v1/environments/${env.id}/topology`, { nodes: [{ ...singleNode[0], cloudlets: 0 }] }), ['nodes.0.cloudlets']);
    });
    await t.http.as(owner).post(`/api/v1/environments/${env.id}/restart`);
    const busy = await t.http.as(owner).put(`/api/v1/environments/${env.id}/topology`, { nodes: singleNode });
    expect(busy.status).toBe(409);
    expect(busy.body.detail).toBe('The environment is restarting; wait until it is running.');
    await settleRuntime(t);
  });
});

describe('POST /api/v1/environments/:id/deploy', () => {
  it('answers 202 and the runtime fetches, builds and rolls out the source to the application nodes', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner, { nodes: webTopology });
    const answer = await t.http.as(owner).post(`/api/v1/environments/${env.id}/deploy`, { source: 'https://github.com/acme/shop.git' });
    expect(answer.status).toBe(202);
    expect(answer.body.status).toBe('running');
    const after = await expectStatus(t, owner, env.id, 'running');
    expect(after.deployedSource).toBe('https://github.com/acme/shop.git');
    const lines = await logLines(t, owner, env.id);
    expect(lines.some((line) => /^platform: Fetching https:\/\/github\.com\/acme\/shop\.git \.\.\. done \(commit [0-9a-f]{7}\)$/.test(line))).toBe(true);
    expect(lines).toContain('platform: Building application ... done');
    expect(lines.filter((line) => /^platform: Updating app-\d to /.test(line))).toHaveLength(2);
    expect(lines.some((line) => line.startsWith('platform: Updating db-1'))).toBe(false);
    expect(lines.at(-1)).toBe('platform: Deployment of https://github.com/acme/shop.git finished');
  });

  it('refuses a source that is no URL or repository (400) and a stopped environment (409)', async () => {
    const owner = await createOwner(t);
    const env = await createStoppedEnvironment(t, owner);
    await expectNoChange(t, async () => {
      expectFields(await t.http.as(owner).post(`/api/v1/environments/${env.id}/deploy`, { source: 'rm -rf /' }), ['source']);
      expectFields(await t.http.as(owner).post(`/api/v1/environments/${env.id}/deploy`, {}), ['source']);
      const stopped = await t.http.as(owner).post(`/api/v1/environments/${env.id}/deploy`, { source: 'https://example.com/app.zip' });
      expect(stopped.status).toBe(409);
      expect(stopped.body).toMatchObject({ code: 'invalid_state', detail: 'The environment is stopped; start it first.' });
    });
  });
});

describe('GET and PUT /api/v1/environments/:id/variables', () => {
  it('replaces the variables and reads them back; the audit names them without their values', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    expect((await t.http.as(owner).get(`/api/v1/environments/${env.id}/variables`)).body).toEqual({ variables: {} });
    const put = await t.http.as(owner).put(`/api/v1/environments/${env.id}/variables`, { variables: { DATABASE_URL: 'postgres://secret@db/shop', NODE_ENV: 'production' } });
    expect(put.status).toBe(200);
    expect(put.body.variables).toEqual({ DATABASE_URL: 'postgres://secret@db/shop', NODE_ENV: 'production' });
    expect((await t.http.as(owner).put(`/api/v1/environments/${env.id}/variables`, { variables: { NODE_ENV: 'staging' } })).status).toBe(200);
    expect((await t.http.as(owner).get(`/api/v1/environments/${env.id}/variables`)).body).toEqual({ variables: { NODE_ENV: 'staging' } });
    const events = await auditOf(t, owner.id, 'environment.variables_update');
    expect(events.map((e) => e.details)).toEqual([
      { added: ['DATABASE_URL', 'NODE_ENV'], removed: [], changed: [] },
      { added: [], removed: ['DATABASE_URL'], changed: ['NODE_ENV'] },
    ]);
    expect(JSON.stringify(events)).not.toContain('secret');
    // Commands see them.
    const exec = await t.http.as(owner).post(`/api/v1/environments/${env.id}/exec`, { command: 'printenv' });
    expect(exec.body.results[0].output).toContain('NODE_ENV=staging');
  });

  it('refuses a bad variable name or value with the field in errors', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    await expectNoChange(t, async () => {
      const badName = await t.http.as(owner).put(`/api/v1/environments/${env.id}/variables`, { variables: { '1ABC': 'x' } });
      expect(badName.status).toBe(400);
      expect(badName.body.errors[0].path).toMatch(/^variables/);
      expectFields(await t.http.as(owner).put(`/api/v1/environments/${env.id}/variables`, { variables: { A: 'x'.repeat(4097) } }), ['variables.A']);
      expectFields(await t.http.as(owner).put(`/api/v1/environments/${env.id}/variables`, { variables: { A: 1 } }), ['variables.A']);
      expectFields(await t.http.as(owner).put(`/api/v1/environments/${env.id}/variables`, { A: 'x' }), ['variables', 'A']);
    });
  });
});

describe('GET /api/v1/environments/:id/logs', () => {
  it('pages through the lines newest first, and filters by source', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner, { nodes: webTopology });
    const all = await logLines(t, owner, env.id);
    const first = await t.http.as(owner).get(`/api/v1/environments/${env.id}/logs`, { query: { limit: 5 } });
    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(5);
    expect(first.body.items[0].line).toBe(all.at(-1)?.replace(/^platform: /, ''));
    const second = await t.http.as(owner).get(`/api/v1/environments/${env.id}/logs`, { query: { limit: 5, cursor: first.body.nextCursor } });
    expect(second.body.items.map((item: any) => item.id)).not.toContain(first.body.items[4].id);
    expect(Number(second.body.items[0].id)).toBeLessThan(Number(first.body.items[4].id));
    const db = await t.http.as(owner).get(`/api/v1/environments/${env.id}/logs`, { query: { source: 'db-1' } });
    expect(db.body).toEqual({ items: [expect.objectContaining({ source: 'db-1', line: 'LOG:  database system is ready to accept connections' })], nextCursor: null });
    expect(typeof db.body.items[0].at).toBe('string');
  });

  it('refuses a limit out of range', async () => {
    const owner = await createOwner(t);
    const env = await createEnvironment(t, owner);
    expectFields(await t.http.as(owner).get(`/api/v1/environments/${env.id}/logs`, { query: { limit: 0 } }), ['querystring.limit']);
    expectFields(await t.http.as(owner).get(`/api/v1/environments/${env.id}/logs`, { query: { limit: 1001 } }), ['querystring.limit']);
    await settleRuntime(t);
  });
});

describe('POST /api/v1/environments/:id/exec', () => {
  it("answers each node's simulated output and exit code, and logs the command and exit code (never the output)", async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner, { nodes: webTopology });
    const all = await t.http.as(owner).post(`/api/v1/environments/${env.id}/exec`, { command: 'hostname' });
    expect(all.status).toBe(200);
    expect(all.body.results.map((r: any) => `${r.node}=${r.output.trim()}`)).toEqual(['app-1=app-1', 'app-2=app-2', 'balancer-1=balancer-1', 'db-1=db-1']);
    const missing = await t.http.as(owner).post(`/api/v1/environments/${env.id}/exec`, { command: 'frobnicate --now', role: 'db' });
    expect(missing.body).toEqual({
      command: 'frobnicate --now',
      results: [{ node: 'db-1', role: 'db', ordinal: 1, exitCode: 127, output: 'sh: 1: frobnicate: not found\n' }],
    });
    const lines = await logLines(t, owner, env.id);
    expect(lines.slice(-2)).toEqual(['db-1: $ frobnicate --now', 'db-1: [exit 127]']);
    // Output can print variables (secrets) and the logs need only env.logs: it goes to the caller alone.
    expect(lines.some((line) => line.includes('not found'))).toBe(false);
    expect((await auditOf(t, owner.id, 'environment.exec')).map((e) => e.details)).toEqual([
      { command: 'hostname', role: null, exitCodes: [0, 0, 0, 0] },
      { command: 'frobnicate --now', role: 'db', exitCodes: [127] },
    ]);
  });

  it('refuses an empty command or an unknown role (400) and a stopped environment (409)', async () => {
    const owner = await createOwner(t);
    const env = await createStoppedEnvironment(t, owner);
    await expectNoChange(t, async () => {
      expectFields(await t.http.as(owner).post(`/api/v1/environments/${env.id}/exec`, { command: '   ' }), ['command']);
      expectFields(await t.http.as(owner).post(`/api/v1/environments/${env.id}/exec`, { command: 'x'.repeat(1001) }), ['command']);
      const stopped = await t.http.as(owner).post(`/api/v1/environments/${env.id}/exec`, { command: 'ls' });
      expect(stopped.status).toBe(409);
      expect(stopped.body.detail).toBe('The environment is stopped; start it first.');
    });
    await t.http.as(owner).post(`/api/v1/environments/${env.id}/start`);
    await settleRuntime(t);
    expectFields(await t.http.as(owner).post(`/api/v1/environments/${env.id}/exec`, { command: 'ls', role: 'db' }), ['role']);
  });
});

describe('POST /api/v1/environments/:id/clone', () => {
  it('clones topology, variables, application and groups into a new environment of the same owner', async () => {
    const owner = await createOwner(t);
    const group = await createGroup(t, owner, { name: 'Shop' });
    const source = await createRunningEnvironment(t, owner, { nodes: webTopology, displayName: 'Shop', groupId: group.id });
    await t.http.as(owner).put(`/api/v1/environments/${source.id}/variables`, { variables: { NODE_ENV: 'production' } });
    await t.http.as(owner).post(`/api/v1/environments/${source.id}/deploy`, { source: 'https://example.com/shop-1.2.zip' });
    await settleRuntime(t);

    const name = envName('shop-staging');
    const clone = await t.http.as(owner).post(`/api/v1/environments/${source.id}/clone`, { name });
    expect(clone.status).toBe(201);
    expect(clone.body).toMatchObject({
      name,
      displayName: 'Shop (clone)',
      status: 'creating',
      owner: { id: owner.id },
      createdBy: { id: owner.id },
      groups: [{ id: group.id, name: 'Shop' }],
      deployedSource: 'https://example.com/shop-1.2.zip',
      cloudlets: source.cloudlets,
    });
    const running = await expectStatus(t, owner, clone.body.id, 'running');
    expect(running.nodes.map((n: any) => n.instances.length)).toEqual([2, 1, 1]);
    expect((await t.http.as(owner).get(`/api/v1/environments/${clone.body.id}/variables`)).body.variables).toEqual({ NODE_ENV: 'production' });
    const lines = await logLines(t, owner, clone.body.id);
    expect(lines).toContain(`platform: Cloning from ${source.name}: copying topology, variables and data volumes ... done`);
    expect(lines).toContain('platform: Deployment of https://example.com/shop-1.2.zip finished');
    expect((await auditOf(t, owner.id, 'environment.clone'))[0]).toMatchObject({ targetId: clone.body.id, outcome: 'ok' });
  });

  it('refuses a taken or invalid name, and a source that is not running or stopped', async () => {
    const owner = await createOwner(t);
    const source = await createRunningEnvironment(t, owner);
    await expectNoChange(t, async () => {
      const taken = await t.http.as(owner).post(`/api/v1/environments/${source.id}/clone`, { name: source.name });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('conflict');
      expectFields(await t.http.as(owner).post(`/api/v1/environments/${source.id}/clone`, { name: 'Bad Name' }), ['name']);
      expectFields(await t.http.as(owner).post(`/api/v1/environments/${source.id}/clone`, {}), ['name']);
    });
    await t.http.as(owner).post(`/api/v1/environments/${source.id}/restart`);
    const busy = await t.http.as(owner).post(`/api/v1/environments/${source.id}/clone`, { name: envName() });
    expect(busy.status).toBe(409);
    expect(busy.body.code).toBe('invalid_state');
    await settleRuntime(t);
  });
});
