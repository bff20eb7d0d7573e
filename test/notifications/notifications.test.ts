import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { linkIn, SmtpCapture } from '../support/smtp.js';
import { expectNoChange } from '../support/db-state.js';
import { type Account, createOwner } from '../factories.js';
import { invite, inviteAndAccept, share } from '../factories/collaboration.js';
import { createEnvironment } from '../factories/environments.js';

let smtp: SmtpCapture;
let t: TestApp;

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  t = await startTestApp({ smtp });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

const PUBLIC = 'http://shareplane.test';

async function notifications(who: { token: string }, query: Record<string, string | number> = {}) {
  const answer = await t.http.as(who).get('/api/v1/notifications', { query });
  expect(answer.status).toBe(200);
  return answer.body as { items: Array<{ id: string; type: string; title: string; body: string; link: string; readAt: string | null }>; unreadCount: number; nextCursor: string | null };
}

/** The event is in the person's bell and in its mailbox, both pointing at the same dashboard page. */
async function expectTold(who: Account, type: string, subject: string, link: string) {
  const found = (await notifications(who)).items.find((n) => n.type === type);
  expect(found, `${type} notification for ${who.email}`).toMatchObject({ link, readAt: null });
  const mail = await smtp.waitFor(who.email, (m) => m.subject.includes(subject));
  expect(linkIn(mail, PUBLIC)).toBe(`${PUBLIC}${link}`);
  return { notification: found, mail };
}

describe('events told to the invitee', () => {
  it('the invitation is mailed with its link, and an existing verified account also sees it in the bell', async () => {
    const owner = await createOwner(t, 'owner');
    const invitee = await createOwner(t, 'invitee');
    const { token } = await invite(t, owner, { email: invitee.email });
    const mail = await smtp.waitFor(invitee.email, (m) => m.subject === `${owner.name} invited you to collaborate on Shareplane`);
    expect(linkIn(mail, PUBLIC)).toBe(`${PUBLIC}/invitations/${token}`);
    const bell = (await notifications(invitee)).items.find((n) => n.type === 'collaboration.invited');
    // The bell never holds the token: it points at the page listing pending invitations.
    expect(bell).toMatchObject({ link: '/shared-with-me', title: `${owner.name} invited you to collaborate` });
    expect(JSON.stringify(bell)).not.toContain(token);
  });
});

describe('events told to the owner', () => {
  it('accepted, rejected and left', async () => {
    const owner = await createOwner(t, 'owner');
    const member = await inviteAndAccept(t, owner, { name: 'The Member' });
    const page = `/settings/collaboration/members/${member.memberId}`;
    const accepted = await expectTold(owner, 'collaboration.accepted', 'The Member accepted', page);
    expect(accepted.mail.text).toContain(member.email);

    const declined = await invite(t, owner);
    await t.http.post(`/api/v1/invitations/${declined.token}/reject`);
    await expectTold(owner, 'collaboration.rejected', 'declined', `/settings/collaboration/members/${declined.memberId}`);

    await t.http.as(member).post(`/api/v1/collaborations/${member.memberId}/leave`);
    await expectTold(owner, 'collaboration.left', 'The Member stopped collaborating', page);
  });
});

describe('events told to the member', () => {
  it('suspended, re-activated, shares granted, changed and revoked, and removed', async () => {
    const owner = await createOwner(t, 'owner');
    const member = await inviteAndAccept(t, owner, { name: 'Nia' });
    const memberPath = `/api/v1/collaboration/members/${member.memberId}`;

    await t.http.as(owner).post(`${memberPath}/suspend`);
    await expectTold(member, 'collaboration.suspended', 'suspended', '/shared-with-me');
    await t.http.as(owner).post(`${memberPath}/activate`);
    await expectTold(member, 'collaboration.activated', 'is back', '/environments');

    const env = await createEnvironment(t, owner, { displayName: 'Shop web' });
    const shareId = await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer', 'operator']);
    const granted = await expectTold(member, 'share.granted', 'gave you access', '/environments');
    expect(granted.mail.text).toContain('the environment "Shop web" as Viewer, Operator');

    await t.http.as(owner).patch(`${memberPath}/shares/${shareId}`, { roleIds: ['developer'] });
    const changed = await expectTold(member, 'share.changed', 'account changed', '/environments');
    expect(changed.notification?.body).toContain('now Developer');
    expect(changed.notification?.body).toContain('was Viewer, Operator');

    await t.http.as(owner).delete(`${memberPath}/shares/${shareId}`);
    const revoked = await expectTold(member, 'share.revoked', 'account ended', '/shared-with-me');
    expect(revoked.mail.text).toContain('Shop web');

    await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);
    await smtp.waitFor(member.email, (m) => m.subject.includes(`all environments of ${owner.name}'s account`));
    await t.http.as(owner).delete(memberPath);
    await expectTold(member, 'collaboration.removed', 'no longer collaborate', '/shared-with-me');
  });
});

describe('the bell', () => {
  it('lists the caller’s notifications newest first with the unread count, a page at a time', async () => {
    const owner = await createOwner(t);
    for (let i = 0; i < 3; i++) {
      await inviteAndAccept(t, owner, { name: `Member ${i}` });
      t.clock.advance(1000);
    }
    const first = await notifications(owner, { limit: 2 });
    expect(first.items.map((n) => n.title)).toEqual(['Member 2 accepted your invitation', 'Member 1 accepted your invitation']);
    expect(first.unreadCount).toBe(3);
    const rest = await notifications(owner, { limit: 2, cursor: first.nextCursor ?? '' });
    expect(rest.items.map((n) => n.title)).toEqual(['Member 0 accepted your invitation']);
    expect(rest.nextCursor).toBeNull();
  });

  it('keeps newest first among events of the same instant', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    for (const action of ['suspend', 'activate', 'suspend', 'activate']) {
      await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/${action}`);
    }
    const types = (await notifications(member)).items.map((n) => n.type);
    expect(types).toEqual(['collaboration.activated', 'collaboration.suspended', 'collaboration.activated', 'collaboration.suspended']);
  });

  it('marks one read, then all; another person’s notification is 404', async () => {
    const owner = await createOwner(t);
    await inviteAndAccept(t, owner);
    await inviteAndAccept(t, owner);
    const [newest] = (await notifications(owner)).items;
    const read = await t.http.as(owner).post(`/api/v1/notifications/${newest?.id}/read`);
    expect(read.status).toBe(200);
    expect(read.body.readAt).toEqual(expect.any(String));
    const after = await notifications(owner);
    expect(after.unreadCount).toBe(1);
    expect((await notifications(owner, { unread: 'true' })).items).toHaveLength(1);

    const stranger = await createOwner(t);
    await expectNoChange(t, async () => {
      expect((await t.http.as(stranger).post(`/api/v1/notifications/${newest?.id}/read`)).status).toBe(404);
      expect((await t.http.as(stranger).post('/api/v1/notifications/read-all')).body).toEqual({ marked: 0, unreadCount: 0 });
    });
    const all = await t.http.as(owner).post('/api/v1/notifications/read-all');
    expect(all.body).toEqual({ marked: 1, unreadCount: 0 });
    expect((await notifications(owner)).unreadCount).toBe(0);
  });

  it('answers 401 without a session', async () => {
    expect((await t.http.get('/api/v1/notifications')).status).toBe(401);
    expect((await t.http.post('/api/v1/notifications/x/read')).status).toBe(401);
    expect((await t.http.post('/api/v1/notifications/read-all')).status).toBe(401);
  });
});
