import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { type Account, createOwner, signUpAndIn, uniqueEmail } from '../factories.js';
import { invite, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createEnvironment, createGroup } from '../factories/environments.js';
import { auditEvents, outbox } from '../../src/db/schema/index.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

interface Team {
  owner: Account;
  /** Holds collaboration.manage, env.view and env.logs on the whole account. */
  manager: Member;
  managerShare: string;
  /** Admin on the whole account: a manager too. */
  admin: Member;
  /** A viewer on the whole account. */
  member: Member;
  env: { id: string };
}

async function team(): Promise<Team> {
  const owner = await createOwner(t, 'owner');
  const role = await t.http.as(owner).post('/api/v1/roles', { name: 'People', permissions: ['collaboration.manage', 'env.view', 'env.logs'] });
  const manager = await inviteAndAccept(t, owner, { name: 'Manager' });
  const managerShare = await share(t, owner, manager.memberId, { type: 'account' }, [role.body.id]);
  const admin = await inviteAndAccept(t, owner, { name: 'Admin' });
  await share(t, owner, admin.memberId, { type: 'account' }, ['admin']);
  const member = await inviteAndAccept(t, owner, { name: 'Member' });
  await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);
  const env = await createEnvironment(t, owner);
  return { owner, manager, managerShare, admin, member, env };
}

const as = (who: { token: string }, ownerId: string) => ({
  get: (path: string, query: Record<string, string> = {}) => t.http.as(who).get(path, { query: { ownerId, ...query } }),
  post: (path: string, body?: unknown) => t.http.as(who).post(path, body, { query: { ownerId } }),
  patch: (path: string, body?: unknown) => t.http.as(who).patch(path, body, { query: { ownerId } }),
  delete: (path: string) => t.http.as(who).delete(path, { query: { ownerId } }),
});

async function deniedAudit(ownerId: string, actorId: string) {
  const rows = await t.ctx.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.ownerId, ownerId), eq(auditEvents.actorId, actorId), eq(auditEvents.outcome, 'denied')));
  return rows.map((row) => row.action);
}

describe('a manager (collaboration.manage on the whole account)', () => {
  it('lists, invites, renames, suspends, activates, resends, removes and shares for other members', async () => {
    const { owner, manager, member, env } = await team();
    const m = as(manager, owner.id);
    expect((await m.get('/api/v1/collaboration/members')).body.items).toHaveLength(3);
    expect((await m.get('/api/v1/roles')).body.items.map((r: { name: string }) => r.name)).toContain('People');

    const email = uniqueEmail('via-manager');
    const invited = await m.post('/api/v1/collaboration/members', { email });
    expect(invited.status).toBe(201);
    const [mail] = await t.ctx.db.select().from(outbox).where(eq(outbox.toAddress, email));
    expect(mail?.subject).toBe(`${owner.name} invited you to collaborate on Shareplane`);
    expect(mail?.textBody).toContain(`on behalf of ${owner.name}`);
    expect((await m.post(`/api/v1/collaboration/members/${invited.body.id}/resend`)).status).toBe(200);
    expect((await m.delete(`/api/v1/collaboration/members/${invited.body.id}`)).status).toBe(204);

    expect((await m.patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName: 'Vera' })).body.displayName).toBe('Vera');
    expect((await m.post(`/api/v1/collaboration/members/${member.memberId}/suspend`)).body.status).toBe('suspended');
    expect((await m.post(`/api/v1/collaboration/members/${member.memberId}/activate`)).body.status).toBe('active');
    const granted = await m.post(`/api/v1/collaboration/members/${member.memberId}/shares`, { resource: { type: 'environment', id: env.id }, roleIds: ['viewer'] });
    expect(granted.status).toBe(201);
    expect((await m.get(`/api/v1/collaboration/members/${member.memberId}/shares`)).body.items).toHaveLength(2);

    // Recorded in the owner's log, with the manager as actor.
    const rows = await t.ctx.db.select().from(auditEvents).where(and(eq(auditEvents.ownerId, owner.id), eq(auditEvents.actorId, manager.id)));
    expect(rows.map((r) => r.action)).toEqual(
      expect.arrayContaining(['collaboration.invite', 'collaboration.resend', 'collaboration.remove', 'collaboration.update', 'collaboration.suspend', 'collaboration.activate', 'share.create']),
    );
  });

  it('may never grant a permission it does not hold on the whole account', async () => {
    const { owner, manager, member } = await team();
    const m = as(manager, owner.id);
    const viewerShare = (await m.get(`/api/v1/collaboration/members/${member.memberId}/shares`)).body.items[0].id;
    const group = await createGroup(t, owner);
    await expectNoChange(t, async () => {
      const operator = await m.post(`/api/v1/collaboration/members/${member.memberId}/shares`, { resource: { type: 'group', id: group.id }, roleIds: ['operator'] });
      expect(operator.status).toBe(403);
      expect(operator.body).toMatchObject({ code: 'missing_permission', permission: 'env.start' });
      const upgrade = await m.patch(`/api/v1/collaboration/members/${member.memberId}/shares/${viewerShare}`, { roleIds: ['admin'] });
      expect(upgrade.status).toBe(403);
      expect(upgrade.body.code).toBe('missing_permission');
    });
    expect(await deniedAudit(owner.id, manager.id)).toEqual(['share.create', 'share.update']);
    // What it holds, it may grant.
    expect((await m.post(`/api/v1/collaboration/members/${member.memberId}/shares`, { resource: { type: 'group', id: group.id }, roleIds: ['viewer'] })).status).toBe(201);
  });

  it('never manages itself, nor another member holding collaboration.manage, nor creates roles', async () => {
    const { owner, manager, admin } = await team();
    const suspendedManager = await inviteAndAccept(t, owner);
    await share(t, owner, suspendedManager.memberId, { type: 'account' }, ['admin']);
    await t.http.as(owner).post(`/api/v1/collaboration/members/${suspendedManager.memberId}/suspend`);
    const m = as(manager, owner.id);
    await expectNoChange(t, async () => {
      for (const target of [manager.memberId, admin.memberId, suspendedManager.memberId]) {
        for (const answer of [
          await m.patch(`/api/v1/collaboration/members/${target}`, { displayName: 'x' }),
          await m.post(`/api/v1/collaboration/members/${target}/suspend`),
          await m.post(`/api/v1/collaboration/members/${target}/activate`),
          await m.delete(`/api/v1/collaboration/members/${target}`),
          await m.post(`/api/v1/collaboration/members/${target}/shares`, { resource: { type: 'account' }, roleIds: ['viewer'] }),
        ]) {
          expect(answer.status).toBe(403);
          expect(answer.body.code).toBe('forbidden');
        }
      }
      const role = await m.post('/api/v1/roles', { name: 'Sneaky', permissions: ['env.view'] });
      expect(role.status).toBe(403);
      expect((await m.delete('/api/v1/roles/viewer')).status).toBe(403);
      const ownerAddress = await m.post('/api/v1/collaboration/members', { email: owner.email });
      expect(ownerAddress.status).toBe(400);
    });
    expect(await deniedAudit(owner.id, manager.id)).toContain('collaboration.suspend');
    // The member list says so beforehand, so the dashboard offers none of these.
    const listed = await m.get('/api/v1/collaboration/members');
    const manageable = new Map(listed.body.items.map((item: { id: string; manageable: boolean }) => [item.id, item.manageable]));
    expect([manager.memberId, admin.memberId, suspendedManager.memberId].map((id) => manageable.get(id))).toEqual([false, false, false]);
    expect((await m.get(`/api/v1/collaboration/members/${admin.memberId}`)).body.manageable).toBe(false);
    const ordinary = listed.body.items.filter((item: { id: string }) => ![manager.memberId, admin.memberId, suspendedManager.memberId].includes(item.id));
    expect(ordinary.every((item: { manageable: boolean }) => item.manageable)).toBe(true);
    expect((await t.http.as(owner).get('/api/v1/collaboration/members')).body.items.every((item: { manageable: boolean }) => item.manageable)).toBe(true);
  });

  it('an admin manager may grant anything, including to ordinary members', async () => {
    const { owner, admin, member } = await team();
    const a = as(admin, owner.id);
    expect((await a.post(`/api/v1/collaboration/members/${member.memberId}/shares`, { resource: { type: 'environment', id: (await createEnvironment(t, owner)).id }, roleIds: ['admin'] })).status).toBe(201);
  });

  it('loses the power at once when its share is revoked, or when it is suspended', async () => {
    const { owner, manager, managerShare } = await team();
    const m = as(manager, owner.id);
    expect((await m.get('/api/v1/collaboration/members')).status).toBe(200);
    await t.http.as(owner).delete(`/api/v1/collaboration/members/${manager.memberId}/shares/${managerShare}`);
    const after = await m.get('/api/v1/collaboration/members');
    expect(after.status).toBe(403);
    expect(after.body).toMatchObject({ code: 'missing_permission', permission: 'collaboration.manage' });

    const { owner: owner2, manager: manager2 } = await team();
    await t.http.as(owner2).post(`/api/v1/collaboration/members/${manager2.memberId}/suspend`);
    expect((await as(manager2, owner2.id).get('/api/v1/collaboration/members')).status).toBe(404);
  });
});

describe('everyone else naming an owner', () => {
  it('a member without collaboration.manage gets 403 missing_permission, audited; nothing changes', async () => {
    const { owner, member } = await team();
    const x = as(member, owner.id);
    await expectNoChange(t, async () => {
      for (const answer of [
        await x.get('/api/v1/collaboration/members'),
        await x.post('/api/v1/collaboration/members', { email: uniqueEmail() }),
        await x.get('/api/v1/roles'),
        await x.post(`/api/v1/collaboration/members/${member.memberId}/shares`, { resource: { type: 'account' }, roleIds: ['admin'] }),
      ]) {
        expect(answer.status).toBe(403);
        expect(answer.body).toMatchObject({ code: 'missing_permission', permission: 'collaboration.manage' });
      }
    });
    expect(await deniedAudit(owner.id, member.id)).toEqual(['collaboration.list', 'collaboration.invite', 'role.list', 'share.create']);
  });

  it('collaboration.manage on a group or environment share is not management', async () => {
    const { owner } = await team();
    const groupAdmin = await inviteAndAccept(t, owner);
    const group = await createGroup(t, owner);
    await share(t, owner, groupAdmin.memberId, { type: 'group', id: group.id }, ['admin']);
    expect((await as(groupAdmin, owner.id).get('/api/v1/collaboration/members')).status).toBe(403);
  });

  it('a stranger, a pending invitee and a former member get 404: they learn nothing about the owner', async () => {
    const { owner } = await team();
    const stranger = await signUpAndIn(t);
    const invitee = await createOwner(t, 'invitee');
    await invite(t, owner, { email: invitee.email });
    const former = await inviteAndAccept(t, owner);
    await t.http.as(former).post(`/api/v1/collaborations/${former.memberId}/leave`);
    await expectNoChange(t, async () => {
      for (const who of [stranger, invitee, former]) {
        const answer = await as(who, owner.id).get('/api/v1/collaboration/members');
        expect(answer.status).toBe(404);
        expect(answer.body.detail).toBe((await as(who, 'no-such-owner').get('/api/v1/collaboration/members')).body.detail);
        expect((await as(who, owner.id).post('/api/v1/collaboration/members', { email: uniqueEmail() })).status).toBe(404);
      }
    });
  });
});
