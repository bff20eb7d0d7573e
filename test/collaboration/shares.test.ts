import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createOwner, PASSWORD } from '../factories.js';
import { invite, inviteAndAccept, share } from '../factories/collaboration.js';
import { createEnvironment, createGroup } from '../factories/environments.js';
import { auditEvents } from '../../src/db/schema/index.js';
import { HOUR } from '../../src/clock.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const sharesPath = (memberId: string) => `/api/v1/collaboration/members/${memberId}/shares`;

describe('shares', () => {
  it('shares the account, a group or an environment with one or more roles, and lists them', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const group = await createGroup(t, owner, { name: 'Production' });
    const env = await createEnvironment(t, owner, { displayName: 'Shop' });
    const custom = (await t.http.as(owner).post('/api/v1/roles', { name: 'Logs', permissions: ['env.logs'] })).body;

    const account = await t.http.as(owner).post(sharesPath(member.memberId), { resource: { type: 'account' }, roleIds: ['viewer'] });
    expect(account.status).toBe(201);
    expect(account.body).toEqual({
      id: expect.any(String),
      memberId: member.memberId,
      teamId: null,
      resource: { type: 'account' },
      roles: [{ id: 'viewer', name: 'Viewer' }],
      ineffectivePermissions: [],
      expiresAt: null,
      expired: false,
      lastUsedAt: null,
      reviewBy: null,
      accessRequestId: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    t.clock.advance(1000);
    const expiresAt = new Date(t.clock.now().getTime() + 24 * HOUR).toISOString();
    const onGroup = await t.http.as(owner).post(sharesPath(member.memberId), { resource: { type: 'group', id: group.id }, roleIds: ['operator', custom.id], expiresAt });
    expect(onGroup.status).toBe(201);
    expect(onGroup.body).toMatchObject({ resource: { type: 'group', id: group.id, name: 'Production' }, roles: [{ id: 'operator', name: 'Operator' }, { id: custom.id, name: 'Logs' }], expiresAt });
    t.clock.advance(1000);
    const onEnv = await t.http.as(owner).post(sharesPath(member.memberId), { resource: { type: 'environment', id: env.id }, roleIds: ['developer'] });
    expect(onEnv.body.resource).toEqual({ type: 'environment', id: env.id, name: 'Shop' });
    // A share on one environment grants nothing by env.create (there is nowhere to create): the answer flags it.
    expect(onEnv.body.ineffectivePermissions).toEqual(['env.create']);

    const list = await t.http.as(owner).get(sharesPath(member.memberId), { query: { limit: 2 } });
    expect(list.body.items.map((s: { id: string }) => s.id)).toEqual([account.body.id, onGroup.body.id]);
    const rest = await t.http.as(owner).get(sharesPath(member.memberId), { query: { limit: 2, cursor: list.body.nextCursor } });
    expect(rest.body).toEqual({ items: [expect.objectContaining({ id: onEnv.body.id })], nextCursor: null });

    const actions = (await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.ownerId, owner.id))).filter((r) => r.action === 'share.create');
    expect(actions).toHaveLength(3);
  });

  it('validates the resource, the roles and the expiry; writes nothing on refusal', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const foreignRole = (await t.http.as(await createOwner(t)).post('/api/v1/roles', { name: 'Theirs', permissions: ['env.view'] })).body;
    const cases: Array<[unknown, string[]]> = [
      [{ resource: { type: 'account', id: 'x' }, roleIds: ['viewer'] }, ['resource.id']],
      [{ resource: { type: 'group' }, roleIds: ['viewer'] }, ['resource.id']],
      [{ resource: { type: 'planet', id: 'x' }, roleIds: ['viewer'] }, ['resource.type']],
      [{ resource: { type: 'account' }, roleIds: [] }, ['roleIds']],
      [{ resource: { type: 'account' }, roleIds: ['viewer', 'superuser'] }, ['roleIds.1']],
      [{ resource: { type: 'account' }, roleIds: [foreignRole.id] }, ['roleIds.0']],
      [{ resource: { type: 'account' }, roleIds: ['viewer'], expiresAt: new Date(t.clock.now().getTime() - 1000).toISOString() }, ['expiresAt']],
      [{ resource: { type: 'account' }, roleIds: ['viewer'], expiresAt: 'tomorrow' }, ['expiresAt']],
      [{ resource: { type: 'account' }, roleIds: ['viewer'], permissions: ['env.view'] }, ['permissions']],
    ];
    await expectNoChange(t, async () => {
      for (const [body, paths] of cases) {
        const answer = await t.http.as(owner).post(sharesPath(member.memberId), body);
        expect(answer.status, JSON.stringify(body)).toBe(400);
        expect(answer.body.errors.map((e: { path: string }) => e.path), JSON.stringify(body)).toEqual(paths);
      }
    });
    const unknownRole = await t.http.as(owner).post(sharesPath(member.memberId), { resource: { type: 'account' }, roleIds: ['superuser'] });
    expect(unknownRole.body.detail).toContain('superuser');
  });

  it('another owner’s group or environment is 404, the same as one that does not exist', async () => {
    const owner = await createOwner(t);
    const other = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const theirGroup = await createGroup(t, other);
    const theirEnv = await createEnvironment(t, other);
    await expectNoChange(t, async () => {
      for (const resource of [
        { type: 'group', id: theirGroup.id },
        { type: 'environment', id: theirEnv.id },
        { type: 'group', id: 'missing' },
        { type: 'environment', id: 'missing' },
      ]) {
        const answer = await t.http.as(owner).post(sharesPath(member.memberId), { resource, roleIds: ['viewer'] });
        expect(answer.status, JSON.stringify(resource)).toBe(404);
      }
    });
  });

  it('one share per member and resource: a second one is a 409 pointing at the first', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const env = await createEnvironment(t, owner);
    const first = await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);
    const accountShare = await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);
    expect(accountShare).not.toBe(first);
    await expectNoChange(t, async () => {
      const twin = await t.http.as(owner).post(sharesPath(member.memberId), { resource: { type: 'environment', id: env.id }, roleIds: ['admin'] });
      expect(twin.status).toBe(409);
      expect(twin.body.shareId).toBe(first);
      expect((await t.http.as(owner).post(sharesPath(member.memberId), { resource: { type: 'account' }, roleIds: ['admin'] })).status).toBe(409);
    });
    // Another member may have the same resource.
    const second = await inviteAndAccept(t, owner);
    await share(t, owner, second.memberId, { type: 'environment', id: env.id }, ['viewer']);
  });

  it('shares only with members who accepted: pending and rejected ones are 409', async () => {
    const owner = await createOwner(t);
    const pending = await invite(t, owner);
    const rejected = await invite(t, owner);
    await t.http.post(`/api/v1/invitations/${rejected.token}/reject`);
    await expectNoChange(t, async () => {
      for (const memberId of [pending.memberId, rejected.memberId]) {
        const answer = await t.http.as(owner).post(sharesPath(memberId), { resource: { type: 'account' }, roleIds: ['viewer'] });
        expect(answer.status).toBe(409);
        expect(answer.body.code).toBe('invalid_state');
      }
    });
    // A suspended member may be given shares: they wait, dormant.
    const member = await inviteAndAccept(t, owner);
    await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/suspend`);
    await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);
  });

  it('changes roles and expiry, and deletes; an expired share stays listed as expired and grants nothing', async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    const shareId = await share(t, owner, member.memberId, { type: 'account' }, ['viewer']);
    const path = `${sharesPath(member.memberId)}/${shareId}`;
    const expiresAt = new Date(t.clock.now().getTime() + HOUR).toISOString();
    const changed = await t.http.as(owner).patch(path, { roleIds: ['operator', 'viewer'], expiresAt });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id: shareId, roles: [{ id: 'operator' }, { id: 'viewer' }], expiresAt, expired: false });

    t.clock.advance(2 * HOUR);
    const fresh = await t.http.post('/api/v1/auth/login', { email: owner.email, password: PASSWORD });
    const ownerNow = fresh.body.token as string;
    expect((await t.http.as(ownerNow).get(sharesPath(member.memberId))).body.items[0]).toMatchObject({ id: shareId, expired: true });
    const explain = await t.http.as(ownerNow).get('/api/v1/access/explain', { query: { memberId: member.memberId } });
    expect(explain.body).toMatchObject({ allowed: false, level: null, blockedBy: 'share_expired' });

    const renewed = await t.http.as(ownerNow).patch(path, { expiresAt: null });
    expect(renewed.body).toMatchObject({ expiresAt: null, expired: false });
    await expectNoChange(t, async () => {
      expect((await t.http.as(ownerNow).patch(path, {})).status).toBe(400);
      expect((await t.http.as(ownerNow).patch(path, { roleIds: ['ghost'] })).status).toBe(400);
      expect((await t.http.as(ownerNow).patch(path, { expiresAt: new Date(0).toISOString() })).status).toBe(400);
      expect((await t.http.as(ownerNow).patch(`${sharesPath(member.memberId)}/nope`, { roleIds: ['viewer'] })).status).toBe(404);
    });
    expect((await t.http.as(ownerNow).delete(path)).status).toBe(204);
    expect((await t.http.as(ownerNow).delete(path)).status).toBe(404);
    expect((await t.http.as(ownerNow).get(sharesPath(member.memberId))).body.items).toEqual([]);
  });

  it('a share id of another member of the same owner is 404', async () => {
    const owner = await createOwner(t);
    const a = await inviteAndAccept(t, owner);
    const b = await inviteAndAccept(t, owner);
    const shareOfB = await share(t, owner, b.memberId, { type: 'account' }, ['viewer']);
    await expectNoChange(t, async () => {
      expect((await t.http.as(owner).patch(`${sharesPath(a.memberId)}/${shareOfB}`, { roleIds: ['admin'] })).status).toBe(404);
      expect((await t.http.as(owner).delete(`${sharesPath(a.memberId)}/${shareOfB}`)).status).toBe(404);
    });
  });

  it('answers 401 without a session', async () => {
    expect((await t.http.get(sharesPath('x'))).status).toBe(401);
    expect((await t.http.post(sharesPath('x'), { resource: { type: 'account' }, roleIds: ['viewer'] })).status).toBe(401);
    expect((await t.http.patch(`${sharesPath('x')}/y`, { roleIds: ['viewer'] })).status).toBe(401);
    expect((await t.http.delete(`${sharesPath('x')}/y`)).status).toBe(401);
  });
});
