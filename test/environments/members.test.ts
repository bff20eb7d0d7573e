import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createOwner } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { auditOf, createEnvironment, createGroup, createRunningEnvironment, envName, settleRuntime, singleNode } from '../factories/environments.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const idsOf = (answer: { body: any }) => answer.body.items.map((item: any) => item.id).sort();

describe('members reach environments through the one access decision', () => {
  it('a viewer sees a shared environment with its permissions; anything more is a 403 naming the permission, audited', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const hidden = await createRunningEnvironment(t, owner);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);

    const seen = await t.http.as(member).get(`/api/v1/environments/${env.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ access: 'direct', permissions: ['env.view', 'env.logs'], owner: { id: owner.id, email: owner.email } });
    expect((await t.http.as(member).get(`/api/v1/environments/${env.id}/logs`)).status).toBe(200);
    expect((await t.http.as(member).get(`/api/v1/environments/${hidden.id}`)).status).toBe(404);

    const refusals: Array<[string, string, unknown, string]> = [
      ['POST', `/api/v1/environments/${env.id}/stop`, {}, 'env.stop'],
      ['PATCH', `/api/v1/environments/${env.id}`, { displayName: 'Mine' }, 'env.rename'],
      ['DELETE', `/api/v1/environments/${env.id}`, undefined, 'env.delete'],
      ['PUT', `/api/v1/environments/${env.id}/topology`, { nodes: singleNode }, 'env.topology'],
      ['GET', `/api/v1/environments/${env.id}/variables`, undefined, 'env.config'],
      ['POST', `/api/v1/environments/${env.id}/exec`, { command: 'ls' }, 'env.exec'],
      ['POST', `/api/v1/environments/${env.id}/deploy`, { source: 'https://example.com/a.zip' }, 'env.deploy'],
      ['POST', `/api/v1/environments/${env.id}/clone`, { name: envName() }, 'env.clone'],
    ];
    await expectNoChange(t, async () => {
      for (const [method, path, body, permission] of refusals) {
        const answer = await t.http.as(member).request(method, path, body);
        expect(answer.status, `${method} ${path}`).toBe(403);
        expect(answer.body).toMatchObject({ code: 'missing_permission', permission });
      }
    });
    const [denied] = await auditOf(t, owner.id, 'environment.stop');
    expect(denied).toMatchObject({ outcome: 'denied', actorId: member.id, targetId: env.id });
    expect(denied?.details).toMatchObject({ permission: 'env.stop', level: 'direct' });
  });

  it('lists the own environments and those shared by others, each with its access, and ?ownerId= narrows to one owner', async () => {
    const owner = await createOwner(t);
    const member = await createOwner(t, 'member');
    const m = await inviteAndAccept(t, owner, { account: member });
    const group = await createGroup(t, owner, { name: 'Team' });
    const direct = await createEnvironment(t, owner);
    const inGroup = await createEnvironment(t, owner, { groupId: group.id });
    await createEnvironment(t, owner);
    const own = await createEnvironment(t, member);
    await share(t, owner, m.memberId, { type: 'environment', id: direct.id }, ['viewer']);
    await share(t, owner, m.memberId, { type: 'group', id: group.id }, ['operator']);

    const all = await t.http.as(member).get('/api/v1/environments');
    expect(idsOf(all)).toEqual([direct.id, inGroup.id, own.id].sort());
    const byId = new Map(all.body.items.map((item: any) => [item.id, item]));
    expect(byId.get(own.id)).toMatchObject({ access: 'owner' });
    expect(byId.get(direct.id)).toMatchObject({ access: 'direct', permissions: ['env.view', 'env.logs'] });
    expect(byId.get(inGroup.id)).toMatchObject({ access: 'group', groups: [{ id: group.id, name: 'Team' }] });
    expect((byId.get(inGroup.id) as any).permissions).toContain('env.stop');

    const theirs = await t.http.as(member).get('/api/v1/environments', { query: { ownerId: owner.id } });
    expect(idsOf(theirs)).toEqual([direct.id, inGroup.id].sort());
    const grouped = await t.http.as(member).get('/api/v1/environments', { query: { groupId: group.id } });
    expect(idsOf(grouped)).toEqual([inGroup.id]);
    const page = await t.http.as(member).get('/api/v1/environments', { query: { limit: 1 } });
    expect(page.body.items).toHaveLength(1);
    expect(page.body.nextCursor).not.toBeNull();
    await settleRuntime(t);
  });

  it('a suspended member loses access at once', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['operator']);
    expect((await t.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(200);
    expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/suspend`)).status).toBe(200);
    await expectNoChange(t, async () => {
      expect((await t.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
      expect((await t.http.as(member).post(`/api/v1/environments/${env.id}/stop`)).status).toBe(404);
      expect((await t.http.as(member).get('/api/v1/environments', { query: { ownerId: owner.id } })).status).toBe(404);
      expect(idsOf(await t.http.as(member).get('/api/v1/environments'))).toEqual([]);
    });
  });
});

describe("members create environments in an owner's account", () => {
  it('with env.create on the account: the owner owns and pays for it, the member created it', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
    const created = await t.http.as(member).post('/api/v1/environments', { name: envName('by-member'), ownerId: owner.id, nodes: singleNode });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ owner: { id: owner.id }, createdBy: { id: member.id, name: member.name }, access: 'account' });
    // Members see creators by name; the email is for the owner (and those who manage its members).
    expect(created.body.createdBy.email).toBeUndefined();
    const asOwner = await t.http.as(owner).get(`/api/v1/environments/${created.body.id}`);
    expect(asOwner.body).toMatchObject({ access: 'owner', createdBy: { id: member.id, email: member.email } });
    expect((await auditOf(t, owner.id, 'environment.create'))[0]).toMatchObject({ actorId: member.id, targetId: created.body.id, outcome: 'ok' });
    await settleRuntime(t);
  });

  it('a collaborator account cannot create one of its own: 403 collaborator_cannot_own', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
    await expectNoChange(t, async () => {
      const own = await t.http.as(member).post('/api/v1/environments', { name: envName(), nodes: singleNode });
      expect(own.status).toBe(403);
      expect(own.body.code).toBe('collaborator_cannot_own');
    });
  });

  it('env.create is decided where the environment goes: a group share in its group and subgroups, the account share at the root', async () => {
    const owner = await createOwner(t);
    const stranger = await createOwner(t);
    const team = await createGroup(t, owner, { name: 'Team' });
    const sub = await createGroup(t, owner, { name: 'Sub', parentId: team.id });
    const other = await createGroup(t, owner, { name: 'Other' });
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'group', id: team.id }, ['developer']);
    await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);

    for (const groupId of [team.id, sub.id]) {
      const ok = await t.http.as(member).post('/api/v1/environments', { name: envName(), ownerId: owner.id, groupId, nodes: singleNode });
      expect(ok.status).toBe(201);
      expect(ok.body).toMatchObject({ access: 'group', owner: { id: owner.id } });
    }
    await expectNoChange(t, async () => {
      for (const groupId of [undefined, other.id]) {
        const refused = await t.http.as(member).post('/api/v1/environments', { name: envName(), ownerId: owner.id, groupId, nodes: singleNode });
        expect(refused.status).toBe(403);
        expect(refused.body).toMatchObject({ code: 'missing_permission', permission: 'env.create' });
      }
      const notMember = await t.http.as(stranger).post('/api/v1/environments', { name: envName(), ownerId: owner.id, groupId: team.id, nodes: singleNode });
      expect(notMember.status).toBe(404);
    });
    const denied = (await auditOf(t, owner.id, 'environment.create')).filter((e) => e.outcome === 'denied');
    expect(denied.map((e) => e.actorId)).toEqual([member.id, member.id]);
    await settleRuntime(t);
  });

  it("a group the member cannot see is a 404, like another owner's", async () => {
    const owner = await createOwner(t);
    const hidden = await createGroup(t, owner, { name: 'Hidden' });
    const shared = await createGroup(t, owner, { name: 'Shared' });
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'group', id: shared.id }, ['developer']);
    await expectNoChange(t, async () => {
      const answer = await t.http.as(member).post('/api/v1/environments', { name: envName(), ownerId: owner.id, groupId: hidden.id, nodes: singleNode });
      expect(answer.status).toBe(404);
    });
  });

  it("cloning needs env.clone on the source and env.create in each of the source's groups", async () => {
    const owner = await createOwner(t);
    const blue = await createGroup(t, owner, { name: 'Blue' });
    const green = await createGroup(t, owner, { name: 'Green' });
    const source = await createRunningEnvironment(t, owner, { groupId: blue.id });
    await t.http.as(owner).put(`/api/v1/groups/${green.id}/environments/${source.id}`);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'environment', id: source.id }, ['developer']);
    await share(t, owner, member.memberId, { type: 'group', id: blue.id }, ['developer']);

    await expectNoChange(t, async () => {
      const refused = await t.http.as(member).post(`/api/v1/environments/${source.id}/clone`, { name: envName() });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'missing_permission', permission: 'env.create' });
    });
    expect((await auditOf(t, owner.id, 'environment.clone'))[0]).toMatchObject({ outcome: 'denied', actorId: member.id });

    await share(t, owner, member.memberId, { type: 'group', id: green.id }, ['developer']);
    const clone = await t.http.as(member).post(`/api/v1/environments/${source.id}/clone`, { name: envName('copy') });
    expect(clone.status).toBe(201);
    expect(clone.body).toMatchObject({ owner: { id: owner.id }, createdBy: { id: member.id }, access: 'group' });
    expect(clone.body.groups.map((g: any) => g.name)).toEqual(['Blue', 'Green']);
    await settleRuntime(t);
  });
});

describe('members and groups', () => {
  it('?ownerId= lists the shared groups, their subgroups and the groups of environments the member sees', async () => {
    const owner = await createOwner(t);
    const a = await createGroup(t, owner, { name: 'A' });
    const a1 = await createGroup(t, owner, { name: 'A1', parentId: a.id });
    await createGroup(t, owner, { name: 'B' });
    const c = await createGroup(t, owner, { name: 'C' });
    const d = await createGroup(t, owner, { name: 'D', parentId: c.id });
    const env = await createEnvironment(t, owner, { groupId: d.id });
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'group', id: a.id }, ['viewer']);
    await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);

    const list = await t.http.as(member).get('/api/v1/groups', { query: { ownerId: owner.id } });
    expect(list.status).toBe(200);
    expect(list.body.items.map((g: any) => [g.name, g.parentId])).toEqual([
      ['A', null],
      ['A1', a.id],
      // D's parent C is not visible to the member: it shows no parent rather than a hidden group's id.
      ['D', null],
    ]);
    expect(list.body.items[1].permissions).toEqual(['env.view', 'env.logs']);
    expect((await t.http.as(member).get('/api/v1/environments', { query: { groupId: c.id } })).status).toBe(404);
    expect((await t.http.as(member).get('/api/v1/environments', { query: { groupId: a1.id } })).body.items).toEqual([]);
    // Its own account has no groups.
    expect((await t.http.as(member).get('/api/v1/groups')).body.items).toEqual([]);
    await settleRuntime(t);
  });

  it('arranging groups needs env.groups there; filing an environment needs it on the environment and the group', async () => {
    const owner = await createOwner(t);
    const team = await createGroup(t, owner, { name: 'Team' });
    const env = await createRunningEnvironment(t, owner);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['operator']);
    await share(t, owner, member.memberId, { type: 'group', id: team.id }, ['developer']);

    await expectNoChange(t, async () => {
      const file = await t.http.as(member).put(`/api/v1/groups/${team.id}/environments/${env.id}`);
      expect(file.status).toBe(403);
      expect(file.body.permission).toBe('env.groups');
      const atRoot = await t.http.as(member).post('/api/v1/groups', { name: 'Root level', ownerId: owner.id });
      expect(atRoot.status).toBe(403);
      expect(atRoot.body.permission).toBe('env.groups');
    });
    expect((await auditOf(t, owner.id, 'group.environment_add'))[0]).toMatchObject({ outcome: 'denied', actorId: member.id });

    const sub = await t.http.as(member).post('/api/v1/groups', { name: 'Sub', ownerId: owner.id, parentId: team.id });
    expect(sub.status).toBe(201);
    expect(sub.body.permissions).toContain('env.create');
    expect((await t.http.as(member).patch(`/api/v1/groups/${sub.body.id}`, { name: 'Renamed' })).status).toBe(200);
    expect((await t.http.as(member).patch(`/api/v1/groups/${sub.body.id}`, { parentId: null })).status).toBe(403);

    await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
    // The direct operator share still decides for this environment: filing it stays refused.
    expect((await t.http.as(member).put(`/api/v1/groups/${team.id}/environments/${env.id}`)).status).toBe(403);
    const other = await createRunningEnvironment(t, owner);
    const filed = await t.http.as(member).put(`/api/v1/groups/${team.id}/environments/${other.id}`);
    expect(filed.status).toBe(200);
    expect(filed.body).toMatchObject({ access: 'group', groups: [{ id: team.id }] });
  });
});
