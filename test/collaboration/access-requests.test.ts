import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/clock.js';
import { lapseRequests } from '../../src/collaboration/requests/lapse.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { newestMail } from '../support/mail.js';
import { createPaidOwner } from '../factories.js';
import { createRole, inviteAndAccept, share } from '../factories/collaboration.js';
import { auditOf, createRunningEnvironment, expectStatus } from '../factories/environments.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** An owner with production, a viewer on it, a manager (admin on the whole account) and a member without a share on it. */
async function world() {
  const owner = await createPaidOwner(t);
  const production = await createRunningEnvironment(t, owner, { displayName: 'Production' });
  const staging = await createRunningEnvironment(t, owner, { displayName: 'Staging' });
  const viewer = await inviteAndAccept(t, owner);
  const viewerShare = await share(t, owner, viewer.memberId, { type: 'environment', id: production.id }, ['viewer']);
  const manager = await inviteAndAccept(t, owner);
  await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
  const outsider = await inviteAndAccept(t, owner);
  await share(t, owner, outsider.memberId, { type: 'environment', id: staging.id }, ['viewer']);
  return { owner, production, staging, viewer, viewerShare, manager, outsider };
}

const ask = (ownerId: string, environmentId: string, extra: Record<string, unknown> = {}) => ({
  ownerId,
  resource: { type: 'environment', id: environmentId },
  roleIds: ['operator'],
  durationHours: 2,
  reason: 'Incident: the shop is down, production needs a restart',
  ...extra,
});

describe('access requests', () => {
  it('a viewer on production asks for operator for 2 hours, a manager approves, it restarts production, and 2 hours later it is refused again', async () => {
    const { owner, production, viewer, viewerShare, manager } = await world();
    const refused = await t.http.as(viewer).post(`/api/v1/environments/${production.id}/restart`);
    expect(refused.status).toBe(403);
    // The refusal says access can be requested, and where.
    expect(refused.body).toMatchObject({
      code: 'missing_permission',
      permission: 'env.restart',
      accessRequest: { requestable: true, request: { method: 'POST', href: '/api/v1/access-requests', body: { ownerId: owner.id, resource: { type: 'environment', id: production.id } } } },
    });

    const made = await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ status: 'pending', roles: [{ id: 'operator', name: 'Operator' }], durationHours: 2, memberLabel: null, resource: { type: 'environment', id: production.id, name: 'Production' } });
    expect(await newestMail(t, owner.email, 'access_request.created')).toContain('Incident: the shop is down');
    const bell = await t.http.as(owner).get('/api/v1/notifications');
    expect(bell.body.items[0]).toMatchObject({ type: 'access_request.created', link: `/access-requests?owner=${owner.id}` });

    const inbox = await t.http.as(manager).get('/api/v1/access-requests', { query: { ownerId: owner.id, status: 'pending' } });
    expect(inbox.body.items.map((r: { id: string }) => r.id)).toEqual([made.body.id]);
    expect(inbox.body.items[0].memberLabel).toBe(viewer.name);

    const approved = await t.http.as(manager).post(`/api/v1/access-requests/${made.body.id}/approve`, {}, { query: { ownerId: owner.id } });
    expect(approved.status, JSON.stringify(approved.body)).toBe(200);
    const until = new Date(t.clock.now().getTime() + 2 * HOUR).toISOString();
    expect(approved.body).toMatchObject({ status: 'approved', grantedHours: 2, accessUntil: until, decidedBy: { id: manager.id } });
    expect(await newestMail(t, viewer.email, 'access_request.approved')).toContain('You now have Operator on the environment "Production"');

    // The approval is a share of its own, beside the viewer share, ending in 2 hours.
    const shares = await t.http.as(owner).get(`/api/v1/collaboration/members/${viewer.memberId}/shares`);
    const byId = (a: unknown[], b: unknown[]) => String(a[0]).localeCompare(String(b[0]));
    expect(shares.body.items.map((s: { id: string; expiresAt: string | null }) => [s.id, s.expiresAt]).sort(byId)).toEqual(
      [
        [viewerShare, null],
        [approved.body.shareId, until],
      ].sort(byId),
    );

    expect((await t.http.as(viewer).post(`/api/v1/environments/${production.id}/restart`)).status).toBe(202);
    await expectStatus(t, owner, production.id, 'running');

    t.clock.advance(2 * HOUR - 1);
    expect((await t.http.as(viewer).get(`/api/v1/environments/${production.id}`)).body.permissions).toContain('env.restart');
    t.clock.advance(1);
    const again = await t.http.as(viewer).post(`/api/v1/environments/${production.id}/restart`);
    expect(again.status).toBe(403);
    expect(again.body.permission).toBe('env.restart');
    expect((await t.http.as(viewer).get(`/api/v1/environments/${production.id}`)).body.permissions).toEqual(['env.view', 'env.logs']);

    // Every step is in the owner's audit log.
    expect((await auditOf(t, owner.id, 'access_request.create')).map((e) => e.actorId)).toEqual([viewer.id]);
    expect((await auditOf(t, owner.id, 'access_request.approve')).map((e) => e.actorId)).toEqual([manager.id]);
    const created = (await auditOf(t, owner.id, 'share.create')).filter((e) => e.targetId === approved.body.shareId);
    expect(created.map((e) => e.details)).toEqual([expect.objectContaining({ accessRequestId: made.body.id, expiresAt: until })]);
    expect((await auditOf(t, owner.id, 'environment.restart')).filter((e) => e.actorId === viewer.id).map((e) => e.outcome)).toEqual(['denied', 'ok', 'denied']);
  });

  it('an approval may narrow the roles and shorten the time, never widen them; an answered request cannot be answered again', async () => {
    const { owner, production, viewer } = await world();
    const made = await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id, { roleIds: ['operator', 'developer'], durationHours: 4 }));
    await expectNoChange(t, async () => {
      const wider = await t.http.as(owner).post(`/api/v1/access-requests/${made.body.id}/approve`, { roleIds: ['admin'] });
      expect(wider.status).toBe(400);
      expect(wider.body.errors[0].path).toBe('roleIds');
      const longer = await t.http.as(owner).post(`/api/v1/access-requests/${made.body.id}/approve`, { durationHours: 5 });
      expect(longer.status).toBe(400);
    });
    const narrowed = await t.http.as(owner).post(`/api/v1/access-requests/${made.body.id}/approve`, { roleIds: ['operator'], durationHours: 1 });
    expect(narrowed.body).toMatchObject({ status: 'approved', grantedRoles: [{ id: 'operator' }], grantedHours: 1, accessUntil: new Date(t.clock.now().getTime() + HOUR).toISOString() });
    const perms = (await t.http.as(viewer).get(`/api/v1/environments/${production.id}`)).body.permissions;
    expect(perms).toContain('env.restart');
    expect(perms).not.toContain('env.deploy');
    const twice = await t.http.as(owner).post(`/api/v1/access-requests/${made.body.id}/deny`, { comment: 'no' });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'access_request_closed', status: 'approved' });
  });

  it('a denial carries its comment to the requester by mail and in the bell; the requester cancels its own', async () => {
    const { owner, production, viewer, outsider } = await world();
    const first = (await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id))).body;
    const denied = await t.http.as(owner).post(`/api/v1/access-requests/${first.id}/deny`, { comment: 'Ask the on-call engineer instead' });
    expect(denied.body).toMatchObject({ status: 'denied', comment: 'Ask the on-call engineer instead' });
    expect(await newestMail(t, viewer.email, 'access_request.denied')).toContain('Ask the on-call engineer instead');
    expect((await t.http.as(viewer).get('/api/v1/notifications')).body.items[0]).toMatchObject({ type: 'access_request.denied' });

    t.clock.advance(1000);
    const second = (await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id))).body;
    await expectNoChange(t, async () => {
      // Another member neither sees nor cancels it; a member cannot answer requests.
      expect((await t.http.as(outsider).post(`/api/v1/access-requests/${second.id}/cancel`, undefined, { query: { ownerId: owner.id } })).status).toBe(404);
      expect((await t.http.as(outsider).post(`/api/v1/access-requests/${second.id}/approve`, {}, { query: { ownerId: owner.id } })).status).toBe(403);
      expect((await t.http.as(viewer).post(`/api/v1/access-requests/${second.id}/approve`, {}, { query: { ownerId: owner.id } })).status).toBe(403);
      const theirs = await t.http.as(outsider).get('/api/v1/access-requests', { query: { ownerId: owner.id } });
      expect(theirs.body.items).toEqual([]);
    });
    const mine = await t.http.as(viewer).get('/api/v1/access-requests', { query: { ownerId: owner.id } });
    expect(mine.body.items.map((r: { id: string; status: string }) => [r.id, r.status])).toEqual([
      [second.id, 'pending'],
      [first.id, 'denied'],
    ]);
    const cancelled = await t.http.as(viewer).post(`/api/v1/access-requests/${second.id}/cancel`, undefined, { query: { ownerId: owner.id } });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await auditOf(t, owner.id, 'access_request.cancel')).length).toBe(1);
  });

  it('at most 3 pending requests per member and account; an unanswered request lapses exactly 24 hours after it was made', async () => {
    const { owner, production, viewer } = await world();
    const ids: string[] = [];
    for (let i = 0; i < 3; i += 1) ids.push((await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id))).body.id);
    await expectNoChange(t, async () => {
      const fourth = await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id));
      expect(fourth.status).toBe(409);
      expect(fourth.body).toMatchObject({ code: 'access_request_limit', maxPending: 3 });
    });
    t.clock.advance(24 * HOUR - 1);
    expect((await t.http.as(owner).get('/api/v1/access-requests', { query: { status: 'pending' } })).body.items).toHaveLength(3);
    t.clock.advance(1);
    expect((await t.http.as(owner).get('/api/v1/access-requests', { query: { status: 'pending' } })).body.items).toEqual([]);
    expect((await t.http.as(owner).get('/api/v1/access-requests', { query: { status: 'lapsed' } })).body.items.map((r: { id: string }) => r.id).sort()).toEqual([...ids].sort());
    const late = await t.http.as(owner).post(`/api/v1/access-requests/${ids[0]}/approve`, {});
    expect(late.body).toMatchObject({ code: 'access_request_closed', status: 'lapsed' });
    // Passes on several nodes settle each lapse once: the requester is told, the owner's log records it.
    await Promise.all([lapseRequests(t.ctx), lapseRequests(t.ctx)]);
    expect((await auditOf(t, owner.id, 'access_request.lapse')).map((event) => event.targetId).sort()).toEqual([...ids].sort());
    expect(await newestMail(t, viewer.email, 'access_request.lapsed')).toContain('nothing was granted');
    const told = (await t.http.as(viewer).get('/api/v1/notifications')).body.items.filter((n: { type: string }) => n.type === 'access_request.lapsed');
    expect(told).toHaveLength(3);
    expect((await t.http.as(owner).get('/api/v1/access-requests', { query: { status: 'lapsed' } })).body.items).toHaveLength(3);
    // Lapsed requests no longer count: the member may ask again.
    expect((await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id))).status).toBe(201);
  });

  it("asks for at most the owner's limit (8 hours unless set, at most 30 days), only where the member sees", async () => {
    const { owner, production, staging, viewer } = await world();
    expect((await t.http.as(owner).get('/api/v1/account/policy')).body).toEqual({ tokenMaxLifetimeDays: null, requireTwoFactor: false, accessRequestMaxHours: 8 });
    await expectNoChange(t, async () => {
      const tooLong = await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id, { durationHours: 9 }));
      expect(tooLong.status).toBe(400);
      expect(tooLong.body).toMatchObject({ code: 'access_request_too_long', maxHours: 8 });
      expect((await t.http.as(owner).patch('/api/v1/account/policy', { accessRequestMaxHours: 721 })).status).toBe(400);
      // An environment the member does not see is the same 404 as none; so is another owner's.
      expect((await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, staging.id))).status).toBe(404);
      expect((await t.http.as(owner).post('/api/v1/access-requests', ask(owner.id, production.id))).status).toBe(403);
      expect((await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id, { reason: '  ' }))).status).toBe(400);
    });
    expect((await t.http.as(owner).patch('/api/v1/account/policy', { accessRequestMaxHours: 720 })).body).toEqual({ tokenMaxLifetimeDays: null, requireTwoFactor: false, accessRequestMaxHours: 720 });
    expect((await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id, { durationHours: 720 }))).status).toBe(201);
    expect((await t.http.as(viewer).post('/api/v1/access-requests', { ...ask(owner.id, production.id), resource: { type: 'account' } })).status).toBe(201);
  });

  it('a manager approves only within what it holds on the whole account, and never for itself or another manager', async () => {
    const { owner, production, viewer, manager } = await world();
    const limited = await inviteAndAccept(t, owner);
    const manageAndOperate = await createRole(t, owner, ['collaboration.manage', 'env.view', 'env.logs', 'env.start', 'env.stop', 'env.restart']);
    await share(t, owner, limited.memberId, { type: 'account' }, [manageAndOperate]);
    const big = (await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id, { roleIds: ['developer'] }))).body;
    const fits = (await t.http.as(viewer).post('/api/v1/access-requests', ask(owner.id, production.id))).body;
    const managers = (await t.http.as(manager).post('/api/v1/access-requests', ask(owner.id, production.id, { roleIds: ['admin'] }))).body;
    await expectNoChange(t, async () => {
      const beyond = await t.http.as(limited).post(`/api/v1/access-requests/${big.id}/approve`, {}, { query: { ownerId: owner.id } });
      expect(beyond.status).toBe(403);
      expect(beyond.body.code).toBe('missing_permission');
      const own = await t.http.as(manager).post(`/api/v1/access-requests/${managers.id}/approve`, {}, { query: { ownerId: owner.id } });
      expect(own.status).toBe(403);
      const other = await t.http.as(limited).post(`/api/v1/access-requests/${managers.id}/deny`, {}, { query: { ownerId: owner.id } });
      expect(other.status).toBe(403);
    });
    const ok = await t.http.as(limited).post(`/api/v1/access-requests/${fits.id}/approve`, {}, { query: { ownerId: owner.id } });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
  });
});
