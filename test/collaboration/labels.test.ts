/**
 * One person, one name (issue 11, item 3): wherever the owner (or a manager) meets a member — an environment's
 * creator, the audit log's actor, the notices it receives — the API gives the owner's alias as the `label`, with the
 * account name (and, for the owner, the email) beside it. Anyone else reads the account name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner } from '../factories.js';
import { invite, share } from '../factories/collaboration.js';
import { createEnvironment } from '../factories/environments.js';
import { PASSWORD } from '../factories.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** An owner, a member it invited under the alias "contractor" who signed up through the link, and a manager. */
async function aliasedMember() {
  const owner = await createOwner(t);
  const invited = await invite(t, owner, { displayName: 'contractor' });
  const signup = await t.http.post(`/api/v1/invitations/${invited.token}/signup`, { name: 'The Contractor', password: PASSWORD });
  expect(signup.status, JSON.stringify(signup.body)).toBe(201);
  const member = { id: signup.body.user.id, email: invited.email, name: 'The Contractor', password: PASSWORD, token: signup.body.token, memberId: invited.memberId };
  await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
  const managerInvite = await invite(t, owner, { displayName: 'the manager' });
  const managerSignup = await t.http.post(`/api/v1/invitations/${managerInvite.token}/signup`, { name: 'A Manager', password: PASSWORD });
  const manager = { id: managerSignup.body.user.id, email: managerInvite.email, name: 'A Manager', password: PASSWORD, token: managerSignup.body.token, memberId: managerInvite.memberId };
  await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
  return { owner, member, manager };
}

describe('the owner meets a member under its alias', () => {
  it('as the creator of an environment: the owner and managers read the alias, the member its own name', async () => {
    const { owner, member, manager } = await aliasedMember();
    const env = await createEnvironment(t, member, { ownerId: owner.id });
    const asOwner = await t.http.as(owner).get(`/api/v1/environments/${env.id}`);
    expect(asOwner.body.createdBy).toEqual({ id: member.id, name: 'The Contractor', email: member.email, label: 'contractor' });
    const asManager = await t.http.as(manager).get(`/api/v1/environments/${env.id}`);
    expect(asManager.body.createdBy).toMatchObject({ id: member.id, label: 'contractor' });
    const asMember = await t.http.as(member).get(`/api/v1/environments/${env.id}`);
    expect(asMember.body.createdBy).toEqual({ id: member.id, name: 'The Contractor', label: 'The Contractor' });
    // The list says the same as the item.
    const listed = await t.http.as(owner).get('/api/v1/environments');
    expect(listed.body.items.find((item: { id: string }) => item.id === env.id)?.createdBy.label).toBe('contractor');
  });

  it('as the actor in the audit log: the owner reads the alias, the member its own name', async () => {
    const { owner, member } = await aliasedMember();
    const env = await createEnvironment(t, member, { ownerId: owner.id });
    const ownerLog = await t.http.as(owner).get('/api/v1/audit', { query: { actorId: member.id, action: 'environment.create' } });
    expect(ownerLog.body.items).toEqual([expect.objectContaining({ targetId: env.id, actorLabel: 'contractor', actorName: 'The Contractor', actorEmail: member.email })]);
    const ownOwnerEntry = await t.http.as(owner).get('/api/v1/audit', { query: { actorId: owner.id, action: 'share.create' } });
    expect(ownOwnerEntry.body.items[0]).toMatchObject({ actorLabel: owner.name, actorName: owner.name });
    const memberLog = await t.http.as(member).get('/api/v1/audit', { query: { ownerId: owner.id, action: 'environment.create' } });
    expect(memberLog.body.items).toEqual([expect.objectContaining({ targetId: env.id, actorLabel: 'The Contractor' })]);
  });

  it('in the notice of acceptance: the bell names the member by its alias, with name and email in the body', async () => {
    const { owner } = await aliasedMember();
    const inbox = await t.http.as(owner).get('/api/v1/notifications');
    const accepted = inbox.body.items.filter((item: { type: string }) => item.type === 'collaboration.accepted').map((item: { title: string }) => item.title);
    expect(accepted.sort()).toEqual(['contractor accepted your invitation', 'the manager accepted your invitation']);
    const contractor = inbox.body.items.find((item: { title: string }) => item.title.startsWith('contractor'));
    expect(contractor.body).toContain('contractor (The Contractor, ');
  });
});

describe('a member is told what it holds and through which share', () => {
  it('on the environment (the deciding shares, roles and expiry) and in its collaborations (every live share)', async () => {
    const { owner, member } = await aliasedMember();
    const group = await t.http.as(owner).post('/api/v1/groups', { name: 'staging' });
    const env = await createEnvironment(t, owner, { groupId: group.body.id });
    const expiresAt = '2099-01-31T23:59:59.000Z';
    await share(t, owner, member.memberId, { type: 'group', id: group.body.id }, ['viewer'], { expiresAt });
    const seen = await t.http.as(member).get(`/api/v1/environments/${env.id}`);
    expect(seen.body.access).toBe('group');
    expect(seen.body.heldThrough).toEqual([
      { shareId: expect.any(String), resource: { type: 'group', id: group.body.id, name: 'staging' }, roles: [{ id: 'viewer', name: 'Viewer' }], expiresAt },
    ]);
    expect((await t.http.as(owner).get(`/api/v1/environments/${env.id}`)).body.heldThrough).toEqual([]);
    const mine = await t.http.as(member).get('/api/v1/collaborations');
    const shares = mine.body.items.find((item: { owner: { id: string } }) => item.owner.id === owner.id).shares;
    expect(shares).toEqual(
      expect.arrayContaining([
        { id: expect.any(String), resource: { type: 'account' }, roles: [{ id: 'developer', name: 'Developer' }], expiresAt: null },
        { id: expect.any(String), resource: { type: 'group', id: group.body.id, name: 'staging' }, roles: [{ id: 'viewer', name: 'Viewer' }], expiresAt },
      ]),
    );
  });
});
