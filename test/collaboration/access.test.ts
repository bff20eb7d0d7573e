import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { type Account, createOwner, signUpAndIn } from '../factories.js';
import { invite, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createEnvironment, createGroup } from '../factories/environments.js';
import { HOUR } from '../../src/clock.js';

let t: TestApp;

interface World {
  owner: Account;
  env: { id: string };
  parent: { id: string };
  members: Record<'accountDev' | 'groupViewer' | 'direct' | 'suspended' | 'expired' | 'nothing' | 'manager', Member>;
  shares: Record<string, string>;
  pendingId: string;
}
let w: World;

beforeAll(async () => {
  t = await startTestApp();
  const owner = await createOwner(t);
  const parent = await createGroup(t, owner, { name: 'Production' });
  const child = await createGroup(t, owner, { name: 'Shop', parentId: parent.id });
  const env = await createEnvironment(t, owner, { displayName: 'Shop web', groupId: child.id });
  const names = ['accountDev', 'groupViewer', 'direct', 'suspended', 'expired', 'nothing', 'manager'] as const;
  const members = {} as World['members'];
  for (const name of names) members[name] = await inviteAndAccept(t, owner, { name });
  const shares: Record<string, string> = {};
  shares.accountDev = await share(t, owner, members.accountDev.memberId, { type: 'account' }, ['developer']);
  shares.groupViewerAccount = await share(t, owner, members.groupViewer.memberId, { type: 'account' }, ['developer']);
  shares.groupViewer = await share(t, owner, members.groupViewer.memberId, { type: 'group', id: parent.id }, ['viewer']);
  await share(t, owner, members.direct.memberId, { type: 'account' }, ['developer']);
  shares.direct = await share(t, owner, members.direct.memberId, { type: 'environment', id: env.id }, ['operator']);
  await share(t, owner, members.suspended.memberId, { type: 'account' }, ['admin']);
  await t.http.as(owner).post(`/api/v1/collaboration/members/${members.suspended.memberId}/suspend`);
  const soon = new Date(t.clock.now().getTime() + HOUR).toISOString();
  await share(t, owner, members.expired.memberId, { type: 'environment', id: env.id }, ['viewer'], { expiresAt: soon });
  await share(t, owner, members.manager.memberId, { type: 'account' }, ['admin']);
  const pending = await invite(t, owner);
  t.clock.advance(2 * HOUR);
  w = { owner, env, parent, members, shares, pendingId: pending.memberId };
});
afterAll(() => t.close());

const explain = (who: { token: string }, query: Record<string, string>) => t.http.as(who).get('/api/v1/access/explain', { query });

describe('who can reach an environment', () => {
  it('lists every member with the level, roles and permissions that decide their access', async () => {
    const answer = await t.http.as(w.owner).get(`/api/v1/environments/${w.env.id}/access`);
    expect(answer.status).toBe(200);
    expect(answer.body.environment).toMatchObject({ id: w.env.id, ownerId: w.owner.id });
    const byMember = new Map(answer.body.items.map((item: { memberId: string }) => [item.memberId, item]));
    const m = w.members;
    expect(byMember.get(m.accountDev.memberId)).toMatchObject({
      user: { id: m.accountDev.id, email: m.accountDev.email, name: 'accountDev' },
      status: 'active',
      level: 'account',
      roles: [{ id: 'developer', name: 'Developer' }],
      permissions: expect.arrayContaining(['env.deploy', 'env.create']),
    });
    // The group share outranks the account share: viewer only, although developer on everything.
    expect(byMember.get(m.groupViewer.memberId)).toMatchObject({ level: 'group', roles: [{ id: 'viewer', name: 'Viewer' }], permissions: ['env.view', 'env.logs'] });
    expect(byMember.get(m.direct.memberId)).toMatchObject({ level: 'direct', roles: [{ id: 'operator', name: 'Operator' }] });
    expect(byMember.get(m.suspended.memberId)).toMatchObject({ status: 'suspended', level: null, permissions: [], blockedBy: 'suspended' });
    expect(byMember.get(m.expired.memberId)).toMatchObject({ level: null, blockedBy: 'share_expired' });
    expect(byMember.get(m.nothing.memberId)).toMatchObject({ level: null, blockedBy: 'no_share' });
    expect(byMember.has(w.pendingId)).toBe(false);
  });

  it('pages through the members, newest invitation first, each page decided on its own; a cursor not from it is 400', async () => {
    const whole = await t.http.as(w.owner).get(`/api/v1/environments/${w.env.id}/access`);
    expect(whole.body.nextCursor).toBeNull();
    const walked = [];
    let cursor: string | undefined;
    do {
      const page = await t.http.as(w.owner).get(`/api/v1/environments/${w.env.id}/access`, { query: { limit: '3', ...(cursor ? { cursor } : {}) } });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      expect(page.body.environment.id).toBe(w.env.id);
      walked.push(...page.body.items);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(walked).toEqual(whole.body.items);
    expect(walked).toHaveLength(Object.keys(w.members).length);
    const bad = await t.http.as(w.owner).get(`/api/v1/environments/${w.env.id}/access`, { query: { cursor: 'not-ours' } });
    expect(bad.status).toBe(400);
    expect((await t.http.as(w.owner).get(`/api/v1/environments/${w.env.id}/access`, { query: { limit: '0' } })).status).toBe(400);
  });

  it('is open to a manager; a member who sees the environment without collaboration.manage gets 403, others 404', async () => {
    expect((await t.http.as(w.members.manager).get(`/api/v1/environments/${w.env.id}/access`)).status).toBe(200);
    const stranger = await signUpAndIn(t);
    await expectNoChange(t, async () => {
      const seen = await t.http.as(w.members.direct).get(`/api/v1/environments/${w.env.id}/access`);
      expect(seen.status).toBe(403);
      expect(seen.body).toMatchObject({ code: 'missing_permission', permission: 'collaboration.manage' });
      expect((await t.http.as(w.members.nothing).get(`/api/v1/environments/${w.env.id}/access`)).status).toBe(404);
      expect((await t.http.as(w.members.suspended).get(`/api/v1/environments/${w.env.id}/access`)).status).toBe(404);
      expect((await t.http.as(stranger).get(`/api/v1/environments/${w.env.id}/access`)).status).toBe(404);
      expect((await t.http.as(w.owner).get('/api/v1/environments/missing/access')).status).toBe(404);
    });
    expect((await t.http.get(`/api/v1/environments/${w.env.id}/access`)).status).toBe(401);
  });
});

describe('explaining one decision', () => {
  it('names the level, the shares and roles behind it, and answers for one permission', async () => {
    const m = w.members;
    const base = { memberId: m.direct.memberId, environmentId: w.env.id };
    const seen = await explain(w.owner, base);
    expect(seen.body).toEqual({
      allowed: true,
      level: 'direct',
      permissions: ['env.view', 'env.start', 'env.stop', 'env.restart', 'env.logs'],
      via: [{ shareId: w.shares.direct, resource: { type: 'environment', id: w.env.id }, roles: [{ id: 'operator', name: 'Operator' }], team: null }],
    });
    expect((await explain(w.owner, { ...base, permission: 'env.restart' })).body).toMatchObject({ allowed: true, permission: 'env.restart' });
    expect((await explain(w.owner, { ...base, permission: 'env.deploy' })).body).toMatchObject({ allowed: false, level: 'direct' });

    const group = await explain(w.owner, { memberId: m.groupViewer.memberId, environmentId: w.env.id, permission: 'env.deploy' });
    expect(group.body).toMatchObject({ allowed: false, level: 'group', via: [{ shareId: w.shares.groupViewer, resource: { type: 'group', id: w.parent.id } }] });
    const account = await explain(w.owner, { memberId: m.groupViewer.memberId, permission: 'env.deploy' });
    expect(account.body).toMatchObject({ allowed: true, level: 'account', via: [{ shareId: w.shares.groupViewerAccount }] });
  });

  it('says what blocks access: suspended, an expired share, no share, not a member', async () => {
    const m = w.members;
    for (const [memberId, blockedBy] of [
      [m.suspended.memberId, 'suspended'],
      [m.expired.memberId, 'share_expired'],
      [m.nothing.memberId, 'no_share'],
      [w.pendingId, 'not_member'],
    ] as const) {
      const answer = await explain(w.owner, { memberId, environmentId: w.env.id });
      expect(answer.body, blockedBy).toMatchObject({ allowed: false, level: null, permissions: [], via: [], blockedBy });
    }
  });

  it('is for the owner and managers only; another owner’s member is 404; bad queries are 400', async () => {
    const other = await createOwner(t);
    const theirs = await inviteAndAccept(t, other);
    await expectNoChange(t, async () => {
      expect((await explain(w.members.accountDev, { memberId: w.members.direct.memberId, environmentId: w.env.id })).status).toBe(403);
      expect((await explain(other, { memberId: w.members.direct.memberId, environmentId: w.env.id })).status).toBe(404);
      expect((await explain(w.owner, { memberId: theirs.memberId, environmentId: w.env.id })).status).toBe(404);
      expect((await explain(w.owner, { memberId: w.members.direct.memberId, permission: 'env.fly' })).status).toBe(400);
      expect((await explain(w.owner, { environmentId: w.env.id })).status).toBe(400);
    });
    expect((await explain(w.members.manager, { memberId: w.members.direct.memberId, environmentId: w.env.id, ownerId: w.owner.id })).status).toBe(200);
    expect((await t.http.get('/api/v1/access/explain', { query: { memberId: 'x' } })).status).toBe(401);
  });
});
