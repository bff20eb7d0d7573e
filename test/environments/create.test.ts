import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createAdmin, createOwner } from '../factories.js';
import {
  auditOf,
  createEnvironment,
  createGroup,
  createRunningEnvironment,
  envName,
  expectStatus,
  logLines,
  singleNode,
  webTopology,
} from '../factories/environments.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('POST /api/v1/environments', () => {
  it('creates an environment in creating, owned and created by the caller; the runtime then runs it', async () => {
    const owner = await createOwner(t);
    const name = envName('shop');
    const answer = await t.http.as(owner).post('/api/v1/environments', { name, displayName: 'Shop', nodes: webTopology });
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      name,
      displayName: 'Shop',
      status: 'creating',
      owner: { id: owner.id, name: owner.name, email: owner.email },
      createdBy: { id: owner.id, email: owner.email },
      access: 'owner',
      groups: [],
      cloudlets: 2 + 2 * 4 + 8,
      domain: `${name}.shareplane.local`,
    });
    expect(answer.body.permissions).toContain('env.delete');
    expect(answer.body.nodes.map((n: any) => [n.role, n.image, n.count, n.cloudlets])).toEqual([
      ['app', 'node:22-alpine', 2, 4],
      ['balancer', 'nginx:1.27', 1, 2],
      ['db', 'postgres:16', 1, 8],
    ]);

    const running = await expectStatus(t, owner, answer.body.id, 'running');
    const instances = running.nodes.flatMap((n: any) => n.instances.map((i: any) => `${n.role}-${i.ordinal}:${i.status}`));
    expect(instances.sort()).toEqual(['app-1:running', 'app-2:running', 'balancer-1:running', 'db-1:running']);
    const lines = await logLines(t, owner, answer.body.id);
    expect(lines[0]).toBe(`platform: Creating environment ${name}: 4 node(s), 18 cloudlets: 2304 MiB RAM, 7200 MHz CPU`);
    for (const image of ['postgres:16', 'node:22-alpine', 'nginx:1.27']) {
      expect(lines.some((line) => line.startsWith(`platform: Pulling image ${image} ... done (`))).toBe(true);
    }
    expect(lines).toContain('platform: Starting container app-2 ... done');
    expect(lines).toContain('db-1: LOG:  database system is ready to accept connections');
    expect(lines.at(-1)).toBe(`platform: Environment ${name} is running at https://${name}.shareplane.local`);

    const [event] = await auditOf(t, owner.id, 'environment.create');
    expect(event).toMatchObject({ actorId: owner.id, targetType: 'environment', targetId: answer.body.id, outcome: 'ok' });
    expect(event?.requestId).toBe(answer.headers['x-request-id']);
  });

  it('uses the name as display name when none is given, and files the environment in a group of the caller', async () => {
    const owner = await createOwner(t);
    const group = await createGroup(t, owner, { name: 'Production' });
    const env = await createEnvironment(t, owner, { name: envName('api'), groupId: group.id });
    expect(env.displayName).toBe(env.name);
    expect(env.groups).toEqual([{ id: group.id, name: 'Production' }]);
  });

  it('refuses bad input with a 400 naming each field, and writes nothing', async () => {
    const owner = await createOwner(t);
    const node = singleNode[0];
    const cases: Array<[Record<string, unknown>, string[]]> = [
      [{ name: 'ab', nodes: singleNode }, ['name']],
      [{ name: 'Shop', nodes: singleNode }, ['name']],
      [{ name: '1shop', nodes: singleNode }, ['name']],
      [{ name: 'shop-', nodes: singleNode }, ['name']],
      [{ name: 'shop_1', nodes: singleNode }, ['name']],
      [{ name: 'a'.repeat(41), nodes: singleNode }, ['name']],
      [{ name: envName(), nodes: [] }, ['nodes']],
      [{ name: envName() }, ['nodes']],
      [{ name: envName(), nodes: [{ ...node, count: 0 }] }, ['nodes.0.count']],
      [{ name: envName(), nodes: [{ ...node, cloudlets: 65 }] }, ['nodes.0.cloudlets']],
      [{ name: envName(), nodes: [{ ...node, count: 1.5 }] }, ['nodes.0.count']],
      [{ name: envName(), nodes: [{ ...node, image: 'Not An Image!' }] }, ['nodes.0.image']],
      [{ name: envName(), nodes: [{ ...node, role: 'App' }] }, ['nodes.0.role']],
      [{ name: envName(), nodes: [node, node] }, ['nodes.1.role']],
      [{ name: envName(), nodes: [{ ...node, size: 'xl' }] }, ['nodes.0.size']],
      [{ name: envName(), nodes: Array.from({ length: 11 }, (_, i) => ({ ...node, role: `r${i}` })) }, ['nodes']],
      [{ name: envName(), displayName: '', nodes: singleNode }, ['displayName']],
      [{ name: envName(), displayName: 'x'.repeat(101), nodes: singleNode }, ['displayName']],
      [{ name: envName(), nodes: singleNode, region: 'eu' }, ['region']],
    ];
    await expectNoChange(t, async () => {
      for (const [body, paths] of cases) {
        const answer = await t.http.as(owner).post('/api/v1/environments', body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.headers['content-type']).toContain('application/problem+json');
        expect(answer.body.code).toBe('validation_failed');
        expect(answer.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toEqual(paths);
      }
    });
  });

  it('refuses a name another environment uses, even another account\'s, with 409 conflict', async () => {
    const first = await createOwner(t);
    const second = await createOwner(t);
    const env = await createEnvironment(t, first);
    await expectNoChange(t, async () => {
      const again = await t.http.as(second).post('/api/v1/environments', { name: env.name, nodes: singleNode });
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('conflict');
      expect(again.body.detail).toContain(env.name);
    });
  });

  it('lets only one of two simultaneous requests for one name win', async () => {
    const owner = await createOwner(t);
    const name = envName('race');
    const answers = await Promise.all([0, 1].map(() => t.http.as(owner).post('/api/v1/environments', { name, nodes: singleNode })));
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 409]);
    expect(answers.find((answer) => answer.status === 409)?.body.code).toBe('conflict');
  });

  it('frees the name once the environment is deleted', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    expect((await t.http.as(owner).delete(`/api/v1/environments/${env.id}`)).status).toBe(202);
    // While it is being deleted the name is still taken.
    expect((await t.http.as(owner).post('/api/v1/environments', { name: env.name, nodes: singleNode })).status).toBe(409);
    await expectStatus(t, owner, (await createEnvironment(t, owner)).id, 'running');
    const reuse = await t.http.as(owner).post('/api/v1/environments', { name: env.name, nodes: singleNode });
    expect(reuse.status).toBe(201);
    expect(reuse.body.id).not.toBe(env.id);
  });

  it("answers 404 for another account's group or owner, whether it exists or not, and writes nothing", async () => {
    const owner = await createOwner(t);
    const stranger = await createOwner(t);
    const theirGroup = await createGroup(t, stranger);
    await expectNoChange(t, async () => {
      for (const extra of [{ groupId: theirGroup.id }, { groupId: 'no-such-group' }, { ownerId: stranger.id }, { ownerId: 'no-such-owner' }]) {
        const answer = await t.http.as(owner).post('/api/v1/environments', { name: envName(), nodes: singleNode, ...extra });
        expect(answer.status, JSON.stringify(extra)).toBe(404);
        expect(answer.body.code).toBe('not_found');
      }
    });
  });

  it('refuses a collaborator account its own environments with 403 collaborator_cannot_own', async () => {
    const admin = await createAdmin(t);
    const account = await createOwner(t, 'collaborator');
    expect((await t.http.as(admin).post(`/api/v1/admin/users/${account.id}/convert`, { type: 'collaborator' })).status).toBe(200);
    await expectNoChange(t, async () => {
      const answer = await t.http.as(account).post('/api/v1/environments', { name: envName(), nodes: singleNode });
      expect(answer.status).toBe(403);
      expect(answer.body.code).toBe('collaborator_cannot_own');
    });
    const [refusal] = await auditOf(t, account.id, 'environment.create');
    expect(refusal).toMatchObject({ outcome: 'denied', actorId: account.id });
  });

  it('answers 403 trial_expired once the trial has ended, and 401 without a session', async () => {
    const admin = await createAdmin(t);
    const owner = await createOwner(t);
    const body = { name: envName(), nodes: singleNode };
    await expectNoChange(t, async () => {
      const anonymous = await t.http.post('/api/v1/environments', body);
      expect(anonymous.status).toBe(401);
      expect(anonymous.body.code).toBe('unauthenticated');
    });
    const past = new Date(t.clock.now().getTime() - 1000).toISOString();
    expect((await t.http.as(admin).post(`/api/v1/admin/users/${owner.id}/trial`, { endsAt: past })).status).toBe(200);
    await expectNoChange(t, async () => {
      const expired = await t.http.as(owner).post('/api/v1/environments', body);
      expect(expired.status).toBe(403);
      expect(expired.body.code).toBe('trial_expired');
    });
  });
});
