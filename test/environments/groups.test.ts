import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createAdmin, createOwner } from '../factories.js';
import { auditOf, createEnvironment, createGroup, createRunningEnvironment, settleRuntime } from '../factories/environments.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

const namesOf = (answer: { body: any }) => answer.body.items.map((group: any) => group.name);

describe('groups', () => {
  it('creates nested groups and lists them by name with their parents', async () => {
    const owner = await createOwner(t);
    const production = await t.http.as(owner).post('/api/v1/groups', { name: 'Production' });
    expect(production.status).toBe(201);
    expect(production.body).toMatchObject({ name: 'Production', parentId: null, ownerId: owner.id });
    expect(production.body.permissions).toContain('env.groups');
    const eu = await createGroup(t, owner, { name: 'EU', parentId: production.body.id });
    expect(eu.parentId).toBe(production.body.id);
    await createGroup(t, owner, { name: 'Staging' });
    const list = await t.http.as(owner).get('/api/v1/groups');
    expect(list.status).toBe(200);
    expect(namesOf(list)).toEqual(['EU', 'Production', 'Staging']);
    expect(list.body.nextCursor).toBeNull();
    const page = await t.http.as(owner).get('/api/v1/groups', { query: { limit: 2 } });
    expect(namesOf(page)).toEqual(['EU', 'Production']);
    const rest = await t.http.as(owner).get('/api/v1/groups', { query: { limit: 2, cursor: page.body.nextCursor } });
    expect(namesOf(rest)).toEqual(['Staging']);
    expect((await auditOf(t, owner.id, 'group.create')).map((e) => e.outcome)).toEqual(['ok', 'ok', 'ok']);
  });

  it('keeps sibling names unique, whatever their case, but allows the same name elsewhere', async () => {
    const owner = await createOwner(t);
    const other = await createOwner(t);
    const parent = await createGroup(t, owner, { name: 'Apps' });
    await createGroup(t, owner, { name: 'Web', parentId: parent.id });
    await expectNoChange(t, async () => {
      const twin = await t.http.as(owner).post('/api/v1/groups', { name: 'WEB', parentId: parent.id });
      expect(twin.status).toBe(409);
      expect(twin.body.code).toBe('conflict');
      expect((await t.http.as(owner).post('/api/v1/groups', { name: 'apps' })).status).toBe(409);
    });
    expect((await t.http.as(owner).post('/api/v1/groups', { name: 'Web' })).status).toBe(201);
    expect((await t.http.as(other).post('/api/v1/groups', { name: 'Apps' })).status).toBe(201);
  });

  it('refuses bad input with the field', async () => {
    const owner = await createOwner(t);
    await expectNoChange(t, async () => {
      for (const [body, path] of [
        [{ name: '' }, 'name'],
        [{ name: 'x'.repeat(101) }, 'name'],
        [{ name: 'a/b' }, 'name'],
        [{}, 'name'],
        [{ name: 'ok', colour: 'red' }, 'colour'],
      ] as const) {
        const answer = await t.http.as(owner).post('/api/v1/groups', body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.errors.map((e: any) => e.path)).toEqual([path]);
      }
    });
    const group = await createGroup(t, owner);
    await expectNoChange(t, async () => {
      const empty = await t.http.as(owner).patch(`/api/v1/groups/${group.id}`, {});
      expect(empty.status).toBe(400);
      const recursive = await t.http.as(owner).delete(`/api/v1/groups/${group.id}`, { query: { recursive: 'yes' } });
      expect(recursive.status).toBe(400);
      expect(recursive.body.errors[0].path).toBe('querystring.recursive');
    });
  });

  it('renames and moves a group, and refuses a move into its own subtree', async () => {
    const owner = await createOwner(t);
    const a = await createGroup(t, owner, { name: 'A' });
    const b = await createGroup(t, owner, { name: 'B', parentId: a.id });
    const c = await createGroup(t, owner, { name: 'C', parentId: b.id });
    const renamed = await t.http.as(owner).patch(`/api/v1/groups/${c.id}`, { name: 'C2' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'C2', parentId: b.id });
    const top = await t.http.as(owner).patch(`/api/v1/groups/${c.id}`, { parentId: null });
    expect(top.body.parentId).toBeNull();
    expect((await t.http.as(owner).patch(`/api/v1/groups/${c.id}`, { parentId: a.id })).body.parentId).toBe(a.id);
    await expectNoChange(t, async () => {
      for (const parentId of [a.id, b.id]) {
        const cycle = await t.http.as(owner).patch(`/api/v1/groups/${a.id}`, { parentId });
        expect(cycle.status).toBe(409);
        expect(cycle.body.detail).toBe('A group cannot move into itself or into one of its own subgroups.');
      }
    });
    // A sibling already named so at the destination.
    await createGroup(t, owner, { name: 'C2', parentId: b.id });
    const clash = await t.http.as(owner).patch(`/api/v1/groups/${c.id}`, { parentId: b.id });
    expect(clash.status).toBe(409);
    expect((await auditOf(t, owner.id, 'group.update')).length).toBeGreaterThanOrEqual(3);
  });

  it('deletes a group but keeps its environments; subgroups need recursive=true', async () => {
    const owner = await createOwner(t);
    const parent = await createGroup(t, owner, { name: 'Parent' });
    const child = await createGroup(t, owner, { name: 'Child', parentId: parent.id });
    const env = await createEnvironment(t, owner, { groupId: child.id });
    await expectNoChange(t, async () => {
      const refused = await t.http.as(owner).delete(`/api/v1/groups/${parent.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain('recursive=true');
    });
    const removed = await t.http.as(owner).delete(`/api/v1/groups/${parent.id}`, { query: { recursive: true } });
    expect(removed.status).toBe(204);
    expect(namesOf(await t.http.as(owner).get('/api/v1/groups'))).toEqual([]);
    const kept = await t.http.as(owner).get(`/api/v1/environments/${env.id}`);
    expect(kept.status).toBe(200);
    expect(kept.body.groups).toEqual([]);
    expect((await auditOf(t, owner.id, 'group.delete'))[0]?.details).toMatchObject({ recursive: true, subgroups: [child.id], environmentsReleased: 1 });
    const leaf = await createGroup(t, owner);
    expect((await t.http.as(owner).delete(`/api/v1/groups/${leaf.id}`)).status).toBe(204);
    await settleRuntime(t);
  });

  it("answers 404 for another account's groups on every group route, and changes nothing", async () => {
    const owner = await createOwner(t);
    const stranger = await createOwner(t);
    const group = await createGroup(t, owner);
    const env = await createEnvironment(t, owner);
    const mine = await createGroup(t, stranger);
    const strangerEnv = await createEnvironment(t, stranger);
    await expectNoChange(t, async () => {
      const answers = [
        await t.http.as(stranger).patch(`/api/v1/groups/${group.id}`, { name: 'Mine now' }),
        await t.http.as(stranger).delete(`/api/v1/groups/${group.id}`),
        await t.http.as(stranger).post('/api/v1/groups', { name: 'Sub', parentId: group.id }),
        await t.http.as(stranger).post('/api/v1/groups', { name: 'Sub', ownerId: owner.id }),
        await t.http.as(stranger).get('/api/v1/groups', { query: { ownerId: owner.id } }),
        await t.http.as(stranger).put(`/api/v1/groups/${group.id}/environments/${env.id}`),
        await t.http.as(stranger).put(`/api/v1/groups/${group.id}/environments/${strangerEnv.id}`),
        await t.http.as(stranger).put(`/api/v1/groups/${mine.id}/environments/${env.id}`),
        await t.http.as(stranger).delete(`/api/v1/groups/${group.id}/environments/${env.id}`),
        await t.http.as(owner).put(`/api/v1/groups/${mine.id}/environments/${env.id}`),
      ];
      expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 404));
    });
    await settleRuntime(t);
  });

  it('answers 401 without a session, and 403 collaborator_cannot_own for a collaborator account', async () => {
    const owner = await createOwner(t);
    const group = await createGroup(t, owner);
    await expectNoChange(t, async () => {
      expect((await t.http.get('/api/v1/groups')).status).toBe(401);
      expect((await t.http.post('/api/v1/groups', { name: 'x' })).status).toBe(401);
      expect((await t.http.patch(`/api/v1/groups/${group.id}`, { name: 'x' })).status).toBe(401);
      expect((await t.http.delete(`/api/v1/groups/${group.id}`)).status).toBe(401);
      expect((await t.http.put(`/api/v1/groups/${group.id}/environments/x`)).status).toBe(401);
      expect((await t.http.delete(`/api/v1/groups/${group.id}/environments/x`)).status).toBe(401);
    });
    const admin = await createAdmin(t);
    const collaborator = await createOwner(t, 'collaborator');
    await t.http.as(admin).post(`/api/v1/admin/users/${collaborator.id}/convert`, { type: 'collaborator' });
    const refused = await t.http.as(collaborator).post('/api/v1/groups', { name: 'Mine' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('collaborator_cannot_own');
  });
});

describe('PUT and DELETE /api/v1/groups/:id/environments/:envId', () => {
  it('puts an environment into several groups and takes it out, idempotently', async () => {
    const owner = await createOwner(t);
    const a = await createGroup(t, owner, { name: 'Alpha' });
    const b = await createGroup(t, owner, { name: 'Beta' });
    const env = await createRunningEnvironment(t, owner);
    const first = await t.http.as(owner).put(`/api/v1/groups/${b.id}/environments/${env.id}`);
    expect(first.status).toBe(200);
    expect(first.body.groups).toEqual([{ id: b.id, name: 'Beta' }]);
    await t.http.as(owner).put(`/api/v1/groups/${a.id}/environments/${env.id}`);
    const twice = await t.http.as(owner).put(`/api/v1/groups/${a.id}/environments/${env.id}`);
    expect(twice.body.groups).toEqual([
      { id: a.id, name: 'Alpha' },
      { id: b.id, name: 'Beta' },
    ]);
    const inA = await t.http.as(owner).get('/api/v1/environments', { query: { groupId: a.id } });
    expect(inA.body.items.map((item: any) => item.id)).toEqual([env.id]);
    const out = await t.http.as(owner).delete(`/api/v1/groups/${a.id}/environments/${env.id}`);
    expect(out.status).toBe(200);
    expect(out.body.groups).toEqual([{ id: b.id, name: 'Beta' }]);
    expect((await t.http.as(owner).delete(`/api/v1/groups/${a.id}/environments/${env.id}`)).status).toBe(200);
    expect((await auditOf(t, owner.id, 'group.environment_add')).map((e) => e.targetId)).toEqual([env.id, env.id, env.id]);
    expect((await auditOf(t, owner.id, 'group.environment_remove'))[0]?.details).toMatchObject({ groupId: a.id, groupName: 'Alpha' });
  });

  it('refuses to file an environment that is being deleted', async () => {
    const owner = await createOwner(t);
    const group = await createGroup(t, owner);
    const env = await createRunningEnvironment(t, owner);
    await t.http.as(owner).delete(`/api/v1/environments/${env.id}`);
    const late = await t.http.as(owner).put(`/api/v1/groups/${group.id}/environments/${env.id}`);
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('invalid_state');
    await settleRuntime(t);
    expect((await t.http.as(owner).put(`/api/v1/groups/${group.id}/environments/${env.id}`)).status).toBe(404);
  });
});
