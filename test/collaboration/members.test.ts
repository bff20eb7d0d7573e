import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createOwner, signUpAndIn, uniqueEmail } from '../factories.js';
import { invite, inviteAndAccept, share } from '../factories/collaboration.js';
import { auditEvents, collaborations, shares, users } from '../../src/db/schema/index.js';
import { HOUR } from '../../src/clock.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const members = (owner: { token: string }, query: Record<string, string | number> = {}) => t.http.as(owner).get('/api/v1/collaboration/members', { query });
const actionsOf = async (ownerId: string) =>
  (await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.ownerId, ownerId))).map((row) => `${row.action}:${row.outcome}`);

describe('the member list', () => {
  it('lists every status with alias, linked account and dates, newest first, a page at a time', async () => {
    const owner = await createOwner(t);
    const pending = await invite(t, owner, { displayName: 'Pending one' });
    t.clock.advance(1000);
    const active = await inviteAndAccept(t, owner, { name: 'Active One' });
    t.clock.advance(1000);
    const rejected = await invite(t, owner);
    await t.http.post(`/api/v1/invitations/${rejected.token}/reject`);

    const first = await members(owner, { limit: 2 });
    expect(first.status).toBe(200);
    expect(first.body.items.map((m: { id: string }) => m.id)).toEqual([rejected.memberId, active.memberId]);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await members(owner, { limit: 2, cursor: first.body.nextCursor });
    expect(second.body).toEqual({ items: [expect.objectContaining({ id: pending.memberId })], nextCursor: null });

    const all = (await members(owner)).body.items;
    expect(all.find((m: { id: string }) => m.id === active.memberId)).toEqual({
      id: active.memberId,
      email: active.email,
      displayName: null,
      status: 'active',
      user: { id: active.id, name: 'Active One', email: active.email },
      invitedAt: expect.any(String),
      acceptedAt: expect.any(String),
      expiresAt: null,
      invitationExpired: false,
      twoFactor: false,
      manageable: true,
    });
    expect(all.find((m: { id: string }) => m.id === pending.memberId)).toMatchObject({ status: 'pending', displayName: 'Pending one', user: null, expiresAt: expect.any(String) });
    expect(all.find((m: { id: string }) => m.id === rejected.memberId)).toMatchObject({ status: 'rejected', expiresAt: null });
  });

  it('refuses a cursor that is not from the list', async () => {
    const owner = await createOwner(t);
    const answer = await members(owner, { cursor: 'garbage' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].path).toBe('cursor');
  });

  it('shows each owner only its own members; another owner’s member ids are 404 and change nothing', async () => {
    const owner = await createOwner(t);
    const other = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    expect((await members(other)).body.items).toEqual([]);
    await expectNoChange(t, async () => {
      for (const [method, path] of [
        ['GET', ''],
        ['PATCH', ''],
        ['POST', '/suspend'],
        ['POST', '/activate'],
        ['POST', '/resend'],
        ['DELETE', ''],
        ['GET', '/shares'],
        ['POST', '/shares'],
      ] as const) {
        const body = method === 'PATCH' ? { displayName: 'x' } : method === 'POST' && path === '/shares' ? { resource: { type: 'account' }, roleIds: ['viewer'] } : undefined;
        const answer = await t.http.as(other).request(method, `/api/v1/collaboration/members/${member.memberId}${path}`, body);
        expect(answer.status, `${method} ${path}`).toBe(404);
      }
      // A stranger naming the owner learns nothing either.
      expect((await members(other, { ownerId: owner.id })).status).toBe(404);
      expect((await members(other, { ownerId: 'no-such-account' })).status).toBe(404);
    });
  });

  it('answers 401 without a session on every member route', async () => {
    for (const [method, path] of [
      ['GET', '/api/v1/collaboration/members'],
      ['PATCH', '/api/v1/collaboration/members/x'],
      ['POST', '/api/v1/collaboration/members/x/suspend'],
      ['POST', '/api/v1/collaboration/members/x/activate'],
      ['POST', '/api/v1/collaboration/members/x/resend'],
      ['DELETE', '/api/v1/collaboration/members/x'],
      ['GET', '/api/v1/collaborations'],
      ['POST', '/api/v1/collaborations/x/accept'],
      ['POST', '/api/v1/collaborations/x/reject'],
      ['POST', '/api/v1/collaborations/x/leave'],
    ] as const) {
      expect((await t.http.request(method, path, method === 'PATCH' ? { displayName: 'x' } : undefined)).status, `${method} ${path}`).toBe(401);
    }
  });
});

describe('the alias', () => {
  it('is set and cleared by the owner, and never shown to the member', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const set = await t.http.as(owner).patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName: '  Build bot  ' });
    expect(set.status).toBe(200);
    expect(set.body.displayName).toBe('Build bot');
    const mine = await t.http.as(member).get('/api/v1/collaborations');
    expect(JSON.stringify(mine.body)).not.toContain('Build bot');
    const blank = await t.http.as(owner).patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName: '' });
    expect(blank.body.displayName).toBeNull();
    await expectNoChange(t, async () => {
      const bad = await t.http.as(owner).patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName: 'x'.repeat(101), email: 'a@b.c' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['displayName', 'email']);
    });
    expect(await actionsOf(owner.id)).toContain('collaboration.update:ok');
  });
});

describe('suspend and activate', () => {
  it('suspending ends access at once and keeps the shares; activating restores them', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
    const explain = async () => (await t.http.as(owner).get('/api/v1/access/explain', { query: { memberId: member.memberId } })).body;
    expect((await explain()).level).toBe('account');

    const suspended = await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/suspend`);
    expect(suspended.status).toBe(200);
    expect(suspended.body.status).toBe('suspended');
    expect(await explain()).toMatchObject({ allowed: false, level: null, permissions: [], blockedBy: 'suspended' });
    expect(await t.ctx.db.$count(shares, eq(shares.collaborationId, member.memberId))).toBe(1);
    await expectNoChange(t, async () => {
      const again = await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/suspend`);
      expect(again.status).toBe(409);
      expect(again.body.code).toBe('invalid_state');
    });

    const activated = await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/activate`);
    expect(activated.body.status).toBe('active');
    expect((await explain()).level).toBe('account');
    await expectNoChange(t, async () => {
      expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/activate`)).status).toBe(409);
    });
    expect(await actionsOf(owner.id)).toEqual(expect.arrayContaining(['collaboration.suspend:ok', 'collaboration.activate:ok']));
  });

  it('cannot suspend a pending invitation', async () => {
    const owner = await createOwner(t);
    const pending = await invite(t, owner);
    await expectNoChange(t, async () => {
      expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${pending.memberId}/suspend`)).status).toBe(409);
    });
  });
});

describe('remove', () => {
  it('deletes the collaboration and all its shares together; the member loses everything at once', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);
    expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${member.memberId}`)).status).toBe(204);
    expect(await t.ctx.db.$count(collaborations, eq(collaborations.id, member.memberId))).toBe(0);
    expect(await t.ctx.db.$count(shares, eq(shares.collaborationId, member.memberId))).toBe(0);
    expect((await t.http.as(member).get('/api/v1/collaborations')).body.items).toEqual([]);
    expect((await t.http.as(owner).get(`/api/v1/collaboration/members/${member.memberId}`)).status).toBe(404);
    await expectNoChange(t, async () => {
      expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${member.memberId}`)).status).toBe(404);
    });
    expect(await actionsOf(owner.id)).toContain('collaboration.remove:ok');
  });
});

describe('leave', () => {
  it('the member leaves: access ends, its shares are deleted, it stays listed as left', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);
    const left = await t.http.as(member).post(`/api/v1/collaborations/${member.memberId}/leave`);
    expect(left.status).toBe(200);
    expect(left.body.collaboration).toMatchObject({ id: member.memberId, status: 'left' });
    expect(await t.ctx.db.$count(shares, eq(shares.collaborationId, member.memberId))).toBe(0);
    const listed = (await members(owner)).body.items;
    expect(listed).toEqual([expect.objectContaining({ id: member.memberId, status: 'left', user: expect.objectContaining({ id: member.id }) })]);
    expect((await t.http.as(owner).get('/api/v1/access/explain', { query: { memberId: member.memberId } })).body.blockedBy).toBe('not_member');
    await expectNoChange(t, async () => {
      expect((await t.http.as(member).post(`/api/v1/collaborations/${member.memberId}/leave`)).status).toBe(409);
    });
    expect(await actionsOf(owner.id)).toContain('collaboration.leave:ok');
  });

  it('only the member itself can leave; others get 404 and nothing changes', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const stranger = await signUpAndIn(t);
    await expectNoChange(t, async () => {
      expect((await t.http.as(stranger).post(`/api/v1/collaborations/${member.memberId}/leave`)).status).toBe(404);
      expect((await t.http.as(owner).post(`/api/v1/collaborations/${member.memberId}/leave`)).status).toBe(404);
    });
  });

  it('a member whose trial ended can still list and leave its collaborations, but not manage or accept', async () => {
    const owner = await createOwner(t);
    const trial = await createOwner(t, 'trial');
    const member = await inviteAndAccept(t, owner, { account: trial });
    const pendingElsewhere = await invite(t, await createOwner(t), { email: trial.email });
    await t.ctx.db.update(users).set({ trialEndsAt: new Date(t.clock.now().getTime() - HOUR) }).where(eq(users.id, trial.id));

    const listed = await t.http.as(trial).get('/api/v1/collaborations');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((c: { id: string }) => c.id).sort()).toEqual([member.memberId, pendingElsewhere.memberId].sort());
    await expectNoChange(t, async () => {
      const accept = await t.http.as(trial).post(`/api/v1/collaborations/${pendingElsewhere.memberId}/accept`);
      expect(accept.status).toBe(403);
      expect(accept.body.code).toBe('trial_expired');
      expect((await t.http.as(trial).get('/api/v1/collaboration/members')).body.code).toBe('trial_expired');
      expect((await t.http.as(trial).post('/api/v1/collaboration/members', { email: uniqueEmail() })).status).toBe(403);
      expect((await t.http.as(trial).get('/api/v1/roles')).status).toBe(403);
    });
    expect((await t.http.as(trial).post(`/api/v1/collaborations/${member.memberId}/leave`)).status).toBe(200);
  });
});
