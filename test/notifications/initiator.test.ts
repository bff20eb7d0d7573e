import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { newestMail } from '../support/mail.js';
import { type Account, createPaidOwner } from '../factories.js';
import { inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createRunningEnvironment, type TestEnvironment } from '../factories/environments.js';

let t: TestApp;
let owner: Account;
let manager: Member;
let env: TestEnvironment;

async function alias(member: Member, displayName: string) {
  expect((await t.http.as(owner).patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName })).status).toBe(200);
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await createPaidOwner(t, 'owner');
  manager = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'manager') });
  await alias(manager, 'Ops lead');
  await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
  env = await createRunningEnvironment(t, owner);
});
afterAll(() => t.close());

describe('every collaboration mail names who did it', () => {
  it('a member told of a share by the owner reads "by the owner"', async () => {
    const member = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'member') });
    await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);
    expect(await newestMail(t, member.email, 'share.granted')).toContain('Done by the owner.');
  });

  it("a member told of a manager's change reads the manager's name and address, never the owner's alias for it", async () => {
    const member = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'member') });
    await share(t, manager, member.memberId, { type: 'environment', id: env.id }, ['viewer'], { ownerId: owner.id });
    const granted = await newestMail(t, member.email, 'share.granted');
    expect(granted).toContain(`Done by ${manager.name} (${manager.email}), a manager of the account.`);
    expect(granted).not.toContain('Ops lead');
    expect((await t.http.as(manager).post(`/api/v1/collaboration/members/${member.memberId}/suspend`, {}, { query: { ownerId: owner.id } })).status).toBe(200);
    expect(await newestMail(t, member.email, 'collaboration.suspended')).toContain(`Done by ${manager.name} (${manager.email}), a manager of the account.`);
  });

  it('the owner told of a member leaving reads "by the member aliased …"', async () => {
    const member = await inviteAndAccept(t, owner, { account: await createPaidOwner(t, 'leaving') });
    await alias(member, 'Contractor');
    expect((await t.http.as(member).post(`/api/v1/collaborations/${member.memberId}/leave`)).status).toBe(200);
    expect(await newestMail(t, owner.email, 'collaboration.left')).toContain('Done by the member aliased “Contractor”.');
  });

  it('an invitee who declines is named by the invited address when it has no alias', async () => {
    const invited = await t.http.as(owner).post('/api/v1/collaboration/members', { email: 'declines@example.test' });
    expect(invited.status).toBe(201);
    const token = (await newestMail(t, 'declines@example.test', 'collaboration.invited')).match(/\/invitations\/([A-Za-z0-9_-]+)/)?.[1];
    expect((await t.http.post(`/api/v1/invitations/${token}/reject`)).status).toBe(200);
    expect(await newestMail(t, owner.email, 'collaboration.rejected')).toContain('Done by the member aliased “declines@example.test”.');
  });
});
