import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createOwner, signUpAndIn } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { auditEvents } from '../../src/db/schema/index.js';
import { permissionCatalog } from '../../src/access/catalog.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const createRole = (owner: { token: string }, body: unknown, query?: Record<string, string>) => t.http.as(owner).post('/api/v1/roles', body, { query });

describe('the permission catalog', () => {
  it('lists every permission with its category and description', async () => {
    const account = await signUpAndIn(t);
    const answer = await t.http.as(account).get('/api/v1/permissions');
    expect(answer.status).toBe(200);
    expect(answer.body.items).toHaveLength(permissionCatalog.length);
    expect(answer.body.items).toContainEqual({ id: 'collaboration.manage', category: 'Collaboration', description: expect.any(String), levels: ['account'] });
    expect(answer.body.items).toContainEqual(expect.objectContaining({ id: 'env.create', levels: ['group', 'account'] }));
    expect(answer.body.items).toContainEqual(expect.objectContaining({ id: 'env.stop', levels: ['direct', 'group', 'account'] }));
    expect(answer.body.categories.map((c: { name: string }) => c.name)).toContain('Lifecycle');
    expect((await t.http.get('/api/v1/permissions')).status).toBe(401);
  });
});

describe('roles', () => {
  it('lists the read-only system roles and the owner’s custom roles with where they are used', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const custom = await createRole(owner, { name: 'Deployer', description: 'Ships code', permissions: ['env.deploy', 'env.view', 'env.deploy'], receiveAlerts: true });
    expect(custom.status).toBe(201);
    expect(custom.body).toMatchObject({ name: 'Deployer', description: 'Ships code', permissions: ['env.view', 'env.deploy'], receiveAlerts: true, system: false, inUse: false });
    await share(t, owner, member.memberId, { type: 'account' }, ['viewer', custom.body.id]);

    const list = await t.http.as(owner).get('/api/v1/roles');
    expect(list.status).toBe(200);
    const byId = new Map(list.body.items.map((r: { id: string }) => [r.id, r]));
    for (const id of ['viewer', 'operator', 'developer', 'admin']) expect(byId.get(id)).toMatchObject({ id, system: true });
    expect(byId.get('viewer')).toMatchObject({ permissions: ['env.view', 'env.logs'], inUse: true, usage: { shares: 1, members: 1 } });
    expect(byId.get('admin')).toMatchObject({ inUse: false, receiveAlerts: true });
    expect(byId.get(custom.body.id)).toMatchObject({ name: 'Deployer', inUse: true, usage: { shares: 1, members: 1 } });
    // Another owner sees the system roles but not this owner's custom role.
    const other = await createOwner(t);
    const theirs = await t.http.as(other).get('/api/v1/roles');
    expect(theirs.body.items.map((r: { id: string }) => r.id)).toEqual(['viewer', 'operator', 'developer', 'admin']);
  });

  it('validates a custom role against the catalog; an unknown permission is a 400 naming it', async () => {
    const owner = await createOwner(t);
    await expectNoChange(t, async () => {
      const unknown = await createRole(owner, { name: 'Bad', permissions: ['env.view', 'env.fly'] });
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors).toEqual([{ path: 'permissions.1', message: expect.stringContaining('"env.fly"') }]);
      expect(unknown.body.detail).toContain('env.fly');
      for (const body of [
        { name: '', permissions: ['env.view'] },
        { name: 'x'.repeat(101), permissions: ['env.view'] },
        { name: 'Empty', permissions: [] },
        { name: 'Extra', permissions: ['env.view'], system: true },
        { permissions: ['env.view'] },
      ]) {
        expect((await createRole(owner, body)).status, JSON.stringify(body)).toBe(400);
      }
    });
  });

  it('refuses a second role of the same name, and the names of system roles', async () => {
    const owner = await createOwner(t);
    expect((await createRole(owner, { name: 'Support', permissions: ['env.logs'] })).status).toBe(201);
    await expectNoChange(t, async () => {
      const twin = await createRole(owner, { name: 'SUPPORT', permissions: ['env.view'] });
      expect(twin.status).toBe(409);
      expect((await createRole(owner, { name: 'Viewer', permissions: ['env.view'] })).status).toBe(409);
    });
    // Names are per owner.
    expect((await createRole(await createOwner(t), { name: 'Support', permissions: ['env.logs'] })).status).toBe(201);
  });

  it('changes a custom role; system roles and other owners’ roles cannot be changed', async () => {
    const owner = await createOwner(t);
    const role = (await createRole(owner, { name: 'Ops', permissions: ['env.start'] })).body;
    const changed = await t.http.as(owner).patch(`/api/v1/roles/${role.id}`, { permissions: ['env.start', 'env.stop'], receiveAlerts: true });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: role.id, name: 'Ops', permissions: ['env.start', 'env.stop'], receiveAlerts: true });
    const other = await createOwner(t);
    await expectNoChange(t, async () => {
      const system = await t.http.as(owner).patch('/api/v1/roles/viewer', { name: 'Watcher' });
      expect(system.status).toBe(403);
      expect((await t.http.as(other).patch(`/api/v1/roles/${role.id}`, { name: 'Mine' })).status).toBe(404);
      expect((await t.http.as(other).delete(`/api/v1/roles/${role.id}`)).status).toBe(404);
      expect((await t.http.as(owner).patch(`/api/v1/roles/${role.id}`, {})).status).toBe(400);
      expect((await t.http.as(owner).patch(`/api/v1/roles/${role.id}`, { permissions: ['nope'] })).status).toBe(400);
      expect((await t.http.as(owner).delete('/api/v1/roles/admin')).status).toBe(403);
    });
  });

  it('a role in use cannot be deleted: 409 naming the shares and members that use it', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const role = (await createRole(owner, { name: 'Reader', permissions: ['env.logs'] })).body;
    const shareId = await share(t, owner, member.memberId, { type: 'account' }, [role.id]);
    await expectNoChange(t, async () => {
      const refused = await t.http.as(owner).delete(`/api/v1/roles/${role.id}`);
      expect(refused.status).toBe(409);
      expect(refused.body.detail).toContain(member.email);
      expect(refused.body.usedBy).toEqual([{ shareId, memberId: member.memberId, teamId: null, email: member.email, resource: { type: 'account' } }]);
    });
    expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${member.memberId}/shares/${shareId}`)).status).toBe(204);
    expect((await t.http.as(owner).delete(`/api/v1/roles/${role.id}`)).status).toBe(204);
    expect((await t.http.as(owner).delete(`/api/v1/roles/${role.id}`)).status).toBe(404);
    const actions = (await t.ctx.db.select().from(auditEvents).where(and(eq(auditEvents.ownerId, owner.id)))).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(['role.create', 'role.delete']));
  });

  it('answers 401 without a session', async () => {
    expect((await t.http.get('/api/v1/roles')).status).toBe(401);
    expect((await t.http.post('/api/v1/roles', { name: 'x', permissions: ['env.view'] })).status).toBe(401);
    expect((await t.http.patch('/api/v1/roles/x', { name: 'y' })).status).toBe(401);
    expect((await t.http.delete('/api/v1/roles/x')).status).toBe(401);
  });
});

describe('changing a custom role', () => {
  it('changes what every share using it grants at once, and tells its holders what changed', async () => {
    const owner = await createOwner(t);
    const holder = await inviteAndAccept(t, owner);
    const bystander = await inviteAndAccept(t, owner);
    const role = await createRole(owner, { name: 'Watcher', permissions: ['env.view'] });
    await share(t, owner, holder.memberId, { type: 'account' }, [role.body.id]);
    await share(t, owner, bystander.memberId, { type: 'account' }, ['viewer']);

    const changed = await t.http.as(owner).patch(`/api/v1/roles/${role.body.id}`, { permissions: ['env.view', 'env.start', 'env.stop'] });
    expect(changed.status).toBe(200);
    const mine = await t.http.as(holder).get('/api/v1/collaborations');
    expect(mine.body.items[0].permissions).toEqual(['env.view', 'env.start', 'env.stop']);

    const told = await t.http.as(holder).get('/api/v1/notifications');
    expect(told.body.items[0]).toMatchObject({ type: 'share.changed', title: `${owner.name} changed the role Watcher` });
    expect(told.body.items[0].body).toContain('it now also allows env.start, env.stop');
    const others = await t.http.as(bystander).get('/api/v1/notifications');
    expect(others.body.items.some((n: { title: string }) => n.title.includes('Watcher'))).toBe(false);

    // Renaming alone changes no access: nobody is told.
    await t.http.as(owner).patch(`/api/v1/roles/${role.body.id}`, { name: 'Operator lite' });
    expect((await t.http.as(holder).get('/api/v1/notifications')).body.items.filter((n: { type: string }) => n.type === 'share.changed')).toHaveLength(1);
  });
});
