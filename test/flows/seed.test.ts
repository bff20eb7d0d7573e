/**
 * The seed page ("Collaborating with other users", /work/shared/seed) played end to end through the HTTP API, with
 * every mail read from a real SMTP listener and time moved by a manual clock. The steps run in order and build on
 * each other, like the page reads: invite, accept through the mailed link, share, precedence, create on the owner's
 * bill, suspend, a trial collaborator whose trial ends and is converted, unlink, and the audit trail of it all.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock, MINUTE } from '../../src/clock.js';
import { shares } from '../../src/db/schema/index.js';
import { type Account, adminOf, PASSWORD } from '../factories.js';
import { manualBillingWorkers, meter } from '../factories/billing.js';
import { waitForStatus } from '../factories/environments.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { linkIn, SmtpCapture } from '../support/smtp.js';

const YEAR_SECONDS = 365 * 24 * 3600;
const clock = new ManualClock('2030-03-04T09:00:00Z');
let smtp: SmtpCapture;
let t: TestApp;
let link: { verify: string; invitation: string };

const VIEWER = ['env.view', 'env.logs'];
const OPERATOR = [...VIEWER, 'env.start', 'env.stop', 'env.restart'];
const DEVELOPER = [...OPERATOR, 'env.rename', 'env.topology', 'env.deploy', 'env.config', 'env.exec', 'env.clone', 'env.groups', 'env.create'];
const sorted = (list: readonly string[]) => [...list].sort();

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  // Sessions outlive the two weeks this story spans; the clock, not the wall, decides trials and metering.
  t = await startTestApp({ smtp, clock, config: { sessionIdleSeconds: YEAR_SECONDS, sessionMaxSeconds: YEAR_SECONDS, pricePerCloudletHour: 0.002 } });
  // Metering and the trial job run when a step says so, never halfway through one.
  await manualBillingWorkers(t);
  const base = t.ctx.config.publicUrl;
  link = { verify: `${base}/verify-email?token=`, invitation: `${base}/invitations/` };
});
afterAll(async () => {
  await t?.close();
  await smtp?.stop();
});

/** Waits for a mail to `to` whose subject matches, among those received after `since` mails to that address. */
async function mailTo(to: string, subject: RegExp, since = 0) {
  return smtp.waitFor(to, (mail) => subject.test(mail.subject) && smtp.inbox(to).indexOf(mail) >= since);
}

/** The token at the end of a mailed link. */
function tokenOf(url: string): string {
  const parsed = new URL(url);
  return parsed.searchParams.get('token') ?? parsed.pathname.split('/').pop() ?? '';
}

/** Signs an account up, follows the verification link mailed to it, and signs it in. */
async function signUpVerified(email: string, name: string): Promise<Account> {
  const signup = await t.http.post('/api/v1/auth/signup', { email, password: PASSWORD, name });
  expect(signup.status, JSON.stringify(signup.body)).toBe(201);
  expect(signup.body.user).toMatchObject({ email, type: 'trial', emailVerified: false });
  const mail = await mailTo(email, /confirm your email/i);
  const verified = await t.http.post('/api/v1/auth/verify', { token: tokenOf(linkIn(mail, link.verify)) });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  expect(verified.body.user.emailVerified).toBe(true);
  const login = await t.http.post('/api/v1/auth/login', { email, password: PASSWORD });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return { id: login.body.user.id, email, name, password: PASSWORD, token: login.body.token };
}

/** What `who` lists: environment name → how it sees it. */
async function listed(who: Account, query: Record<string, string> = {}) {
  const answer = await t.http.as(who).get('/api/v1/environments', { query });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  const items = answer.body.items as Array<{ name: string; owner: { id: string }; access: string; permissions: string[] }>;
  return Object.fromEntries(items.map((item) => [item.name, { owner: item.owner.id, access: item.access, permissions: sorted(item.permissions) }]));
}

const seenAs = (ownerId: string, access: string, permissions: string[]) => ({ owner: ownerId, access, permissions: sorted(permissions) });

describe('the seed page, end to end over HTTP with real mail', () => {
  let olivia: Account;
  let admin: Account;
  let carl: Account & { memberId: string; invitationToken: string };
  let tess: Account & { memberId: string };
  const env: Record<string, string> = {};
  const group: Record<string, string> = {};

  it('1. the owner signs up, verifies her email by the mailed link, and the billing team makes her a paying account', async () => {
    olivia = await signUpVerified('olivia@acme.test', 'Olivia Owner');
    admin = await adminOf(t);
    const paid = await t.http.as(admin).post(`/api/v1/admin/users/${olivia.id}/convert`, { type: 'paid' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const me = await t.http.as(olivia).get('/api/v1/me');
    expect(me.body).toMatchObject({ id: olivia.id, type: 'paid', emailVerified: true, trialExpired: false });
  });

  it('2. she sorts her environments into nested groups', async () => {
    const makeGroup = async (name: string, parentId?: string) => {
      const answer = await t.http.as(olivia).post('/api/v1/groups', { name, ...(parentId ? { parentId } : {}) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body.id as string;
    };
    group.production = await makeGroup('Production');
    group.shop = await makeGroup('Shop', group.production);
    group.staging = await makeGroup('Staging');

    const makeEnvironment = async (name: string, groupId?: string) => {
      const answer = await t.http.as(olivia).post('/api/v1/environments', {
        name,
        nodes: [{ role: 'app', image: 'node:22-alpine', count: 1, cloudlets: 2 }],
        ...(groupId ? { groupId } : {}),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body).toMatchObject({ owner: { id: olivia.id }, createdBy: { id: olivia.id }, access: 'owner' });
      return answer.body.id as string;
    };
    env['shop-web'] = await makeEnvironment('shop-web', group.shop);
    env['shop-db'] = await makeEnvironment('shop-db', group.shop);
    env.api = await makeEnvironment('api', group.production);
    env['staging-web'] = await makeEnvironment('staging-web', group.staging);
    env.blog = await makeEnvironment('blog');
    env.docs = await makeEnvironment('docs');
    // An environment can be in several groups: monitoring watches production and staging alike.
    env.monitoring = await makeEnvironment('monitoring', group.production);
    const filed = await t.http.as(olivia).put(`/api/v1/groups/${group.staging}/environments/${env.monitoring}`);
    expect(filed.status, JSON.stringify(filed.body)).toBeLessThan(300);
    for (const id of Object.values(env)) await waitForStatus(t, id, 'running');

    const own = await listed(olivia);
    expect(Object.keys(own).sort()).toEqual(Object.keys(env).sort());
    expect(own.api?.access).toBe('owner');
  });

  it('3. she invites an email that has no account, with an alias; the invitation mail carries the link', async () => {
    const invited = await t.http.as(olivia).post('/api/v1/collaboration/members', { email: 'carl@agency.test', displayName: 'Carl from the agency' });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    expect(invited.body).toMatchObject({ email: 'carl@agency.test', displayName: 'Carl from the agency', status: 'pending', user: null });

    const mail = await mailTo('carl@agency.test', /Olivia Owner invited you/);
    const url = linkIn(mail, link.invitation);
    expect(url).toMatch(/^http:\/\/shareplane\.test\/invitations\/[A-Za-z0-9_-]{43}$/);
    carl = { id: '', email: 'carl@agency.test', name: 'Carl Contractor', password: PASSWORD, token: '', memberId: invited.body.id, invitationToken: tokenOf(url) };
  });

  it('4. opening the link shows the invitation and changes nothing; sign-up through it makes a collaborator account for the invited email', async () => {
    await expectNoChange(t, async () => {
      const preview = await t.http.get(`/api/v1/invitations/${carl.invitationToken}`);
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body).toMatchObject({ email: 'carl@agency.test', owner: { name: 'Olivia Owner' }, accountExists: false });
      // A mail scanner opening it again finds it just as valid.
      expect((await t.http.get(`/api/v1/invitations/${carl.invitationToken}`)).status).toBe(200);
    });

    // The email is fixed by the link: the sign-up form has no email to change.
    const otherEmail = await t.http.post(`/api/v1/invitations/${carl.invitationToken}/signup`, { name: carl.name, password: PASSWORD, email: 'mallory@evil.test' });
    expect(otherEmail.status).toBe(400);

    const signup = await t.http.post(`/api/v1/invitations/${carl.invitationToken}/signup`, { name: carl.name, password: PASSWORD });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    expect(signup.body.user).toMatchObject({ email: 'carl@agency.test', type: 'collaborator', emailVerified: true, trialEndsAt: null });
    expect(signup.body.collaboration).toMatchObject({ id: carl.memberId, status: 'active', owner: { id: olivia.id, name: 'Olivia Owner' } });
    carl = { ...carl, id: signup.body.user.id, token: signup.body.token };
  });

  it('5. the owner is notified by mail and in the dashboard; the member list shows the collaborator under her alias', async () => {
    await mailTo('olivia@acme.test', /Carl Contractor accepted your invitation/);
    const notifications = await t.http.as(olivia).get('/api/v1/notifications');
    expect(notifications.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'collaboration.accepted' })]));

    const members = await t.http.as(olivia).get('/api/v1/collaboration/members');
    expect(members.body.items).toEqual([
      expect.objectContaining({ id: carl.memberId, displayName: 'Carl from the agency', status: 'active', user: { id: carl.id, name: carl.name, email: carl.email } }),
    ]);
    // The collaborator sees the owner, never the alias she gave him.
    const mine = await t.http.as(carl).get('/api/v1/collaborations');
    expect(mine.body.items).toEqual([expect.objectContaining({ id: carl.memberId, status: 'active', owner: { id: olivia.id, name: 'Olivia Owner', email: 'olivia@acme.test' } })]);
    expect(JSON.stringify(mine.body)).not.toContain('Carl from the agency');
  });

  it('6. no environment is shared by default: the collaborator sees nothing', async () => {
    expect(await listed(carl)).toEqual({});
    expect(await listed(carl, { ownerId: olivia.id })).toEqual({});
    expect((await t.http.as(carl).get(`/api/v1/environments/${env.api}`)).status).toBe(404);
  });

  it("7. the owner shares a group as viewer: exactly that group's environments and its subgroups' appear, with the viewer's permissions", async () => {
    const since = smtp.inbox(carl.email).length;
    const shared = await t.http.as(olivia).post(`/api/v1/collaboration/members/${carl.memberId}/shares`, {
      resource: { type: 'group', id: group.production },
      roleIds: ['viewer'],
    });
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    await mailTo(carl.email, /gave you access/, since);

    const viewer = seenAs(olivia.id, 'group', VIEWER);
    expect(await listed(carl)).toEqual({ 'shop-web': viewer, 'shop-db': viewer, api: viewer, monitoring: viewer });
    const one = await t.http.as(carl).get(`/api/v1/environments/${env['shop-web']}`);
    expect(one.body).toMatchObject({ owner: { id: olivia.id, name: 'Olivia Owner', email: 'olivia@acme.test' }, access: 'group' });
    expect((await t.http.as(carl).get(`/api/v1/environments/${env['shop-web']}/logs`)).status).toBe(200);

    const stop = await t.http.as(carl).post(`/api/v1/environments/${env['shop-web']}/stop`);
    expect(stop.status).toBe(403);
    expect(stop.body).toMatchObject({ code: 'missing_permission', permission: 'env.stop' });
    expect((await t.http.as(carl).get(`/api/v1/environments/${env.blog}`)).status).toBe(404);
    expect((await t.http.as(carl).post(`/api/v1/environments/${env.blog}/stop`)).status).toBe(404);
  });

  it('8. precedence: developer on the account, viewer on one environment: direct beats account, and group beats account', async () => {
    const share = async (resource: object, roleIds: string[]) => {
      const answer = await t.http.as(olivia).post(`/api/v1/collaboration/members/${carl.memberId}/shares`, { resource, roleIds });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    };
    await share({ type: 'account' }, ['developer']);
    await share({ type: 'environment', id: env.blog }, ['viewer']);

    const groupViewer = seenAs(olivia.id, 'group', VIEWER);
    const accountDeveloper = seenAs(olivia.id, 'account', DEVELOPER);
    expect(await listed(carl)).toEqual({
      blog: seenAs(olivia.id, 'direct', VIEWER),
      docs: accountDeveloper,
      'staging-web': accountDeveloper,
      'shop-web': groupViewer,
      'shop-db': groupViewer,
      api: groupViewer,
      // In Production (shared as viewer) and in Staging (not shared): the group level still decides.
      monitoring: groupViewer,
    });

    const why = await t.http.as(olivia).get('/api/v1/access/explain', { query: { memberId: carl.memberId, environmentId: env.blog } });
    expect(why.body).toMatchObject({ allowed: true, level: 'direct', via: [{ resource: { type: 'environment', id: env.blog }, roles: [{ id: 'viewer' }] }] });

    // Developer where the account share decides: he may stop docs, not blog.
    expect((await t.http.as(carl).post(`/api/v1/environments/${env.docs}/stop`)).status).toBe(202);
    expect((await t.http.as(carl).post(`/api/v1/environments/${env.blog}/stop`)).body).toMatchObject({ code: 'missing_permission', permission: 'env.stop' });
    await waitForStatus(t, env.docs ?? '', 'stopped');
  });

  it("9. the collaborator creates an environment in the owner's account: hers, paid by her, created by him", async () => {
    // He owns nothing himself, and a group shared as viewer is no place to create in.
    const ownAccount = await t.http.as(carl).post('/api/v1/environments', { name: 'carl-own', nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }] });
    expect(ownAccount.body).toMatchObject({ status: 403, code: 'collaborator_cannot_own' });
    const inViewerGroup = await t.http.as(carl).post('/api/v1/environments', {
      name: 'carl-shop',
      ownerId: olivia.id,
      groupId: group.shop,
      nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }],
    });
    expect(inViewerGroup.body).toMatchObject({ status: 403, code: 'missing_permission', permission: 'env.create' });

    clock.set('2030-03-04T10:20:00Z');
    const created = await t.http.as(carl).post('/api/v1/environments', {
      name: 'carl-worker',
      ownerId: olivia.id,
      nodes: [{ role: 'worker', image: 'node:22-alpine', count: 1, cloudlets: 4 }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ owner: { id: olivia.id }, createdBy: { id: carl.id, email: carl.email }, access: 'account' });
    env['carl-worker'] = created.body.id;
    await waitForStatus(t, created.body.id, 'running');
    expect((await listed(olivia))['carl-worker']?.access).toBe('owner');

    // Three hours and a bit later, metering charges every started hour: 10:00, 11:00, 12:00, 13:00.
    clock.set('2030-03-04T13:30:00Z');
    await meter(t);
    const report = await t.http.as(olivia).get('/api/v1/billing/usage', { query: { groupBy: 'creator' } });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const byCreator = new Map((report.body.items as Array<{ creator: { id: string } | null; cost: string }>).map((item) => [item.creator?.id, item]));
    expect(byCreator.get(carl.id)).toMatchObject({ creator: { id: carl.id, email: carl.email }, environments: 1, hours: 4, cloudletHours: 16, cost: '0.032000' });
    expect(byCreator.get(olivia.id)).toBeDefined();

    // The owner's balance pays for all of it, the collaborator's own balance for none.
    const balance = await t.http.as(olivia).get('/api/v1/billing/balance');
    expect(Number(balance.body.amount)).toBeCloseTo(-Number(report.body.total.cost), 6);
    expect(Number(balance.body.amount)).toBeLessThan(0);
    const carlBalance = await t.http.as(carl).get('/api/v1/billing/balance');
    expect(Number(carlBalance.body.amount)).toBe(0);
  });

  it('10. the owner suspends the collaborator: everything is gone at once and he is told by mail; re-activating brings it back', async () => {
    const before = await listed(carl);
    const since = smtp.inbox(carl.email).length;
    const suspended = await t.http.as(olivia).post(`/api/v1/collaboration/members/${carl.memberId}/suspend`);
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.body.status).toBe('suspended');

    expect(await listed(carl)).toEqual({});
    expect((await t.http.as(carl).get('/api/v1/environments', { query: { ownerId: olivia.id } })).status).toBe(404);
    expect((await t.http.as(carl).get('/api/v1/collaborations')).body.items).toEqual([expect.objectContaining({ id: carl.memberId, status: 'suspended' })]);
    for (const id of Object.values(env)) expect((await t.http.as(carl).get(`/api/v1/environments/${id}`)).status, id).toBe(404);
    await mailTo(carl.email, /is suspended/, since);

    const activated = await t.http.as(olivia).post(`/api/v1/collaboration/members/${carl.memberId}/activate`);
    expect(activated.body.status).toBe('active');
    expect(await listed(carl)).toEqual(before);
    await mailTo(carl.email, /is back/, since);
  });

  it('11. a trial account joins, loses access when its trial ends, keeps its collaborations, and gets it back once converted', async () => {
    const joined = await signUpVerified('tess@trial.test', 'Tess Trial');
    const invited = await t.http.as(olivia).post('/api/v1/collaboration/members', { email: 'tess@trial.test' });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const token = tokenOf(linkIn(await mailTo('tess@trial.test', /invited you/), link.invitation));
    const preview = await t.http.get(`/api/v1/invitations/${token}`);
    expect(preview.body).toMatchObject({ email: 'tess@trial.test', accountExists: true });
    const accepted = await t.http.as(joined).post(`/api/v1/invitations/${token}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    tess = { ...joined, memberId: invited.body.id };
    const shared = await t.http.as(olivia).post(`/api/v1/collaboration/members/${tess.memberId}/shares`, { resource: { type: 'group', id: group.staging }, roleIds: ['operator'] });
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    const operator = seenAs(olivia.id, 'group', OPERATOR);
    expect(await listed(tess)).toEqual({ 'staging-web': operator, monitoring: operator });

    // The trial ends: no job needs to run, the next request already knows.
    const me = await t.http.as(tess).get('/api/v1/me');
    clock.set(new Date(new Date(me.body.trialEndsAt).getTime() + MINUTE));
    for (const answer of [
      await t.http.as(tess).get('/api/v1/environments'),
      await t.http.as(tess).get(`/api/v1/environments/${env['staging-web']}`),
      await t.http.as(tess).post(`/api/v1/environments/${env['staging-web']}/restart`),
      await t.http.as(tess).get('/api/v1/groups', { query: { ownerId: olivia.id } }),
    ]) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(403);
      expect(answer.body.code).toBe('trial_expired');
    }
    expect((await t.http.as(tess).get('/api/v1/me')).body).toMatchObject({ type: 'trial', trialExpired: true });
    const collaborations = await t.http.as(tess).get('/api/v1/collaborations');
    expect(collaborations.status).toBe(200);
    expect(collaborations.body.items).toEqual([expect.objectContaining({ id: tess.memberId, status: 'active', owner: expect.objectContaining({ id: olivia.id }) })]);
    const why = await t.http.as(olivia).get('/api/v1/access/explain', { query: { memberId: tess.memberId, environmentId: env['staging-web'] } });
    expect(why.body).toMatchObject({ allowed: false, level: null, blockedBy: 'trial_expired' });

    // The trial job tells her by mail (it also stops her own environments: she has none).
    while (((await t.workers?.trial.runOnce()) ?? 0) > 0);
    await mailTo(tess.email, /trial has ended/);

    // The billing team converts her to a collaborator account: access is back at once, shares intact.
    const converted = await t.http.as(admin).post(`/api/v1/admin/users/${tess.id}/convert`, { type: 'collaborator' });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body).toMatchObject({ type: 'collaborator', trialExpired: false });
    expect(await listed(tess)).toEqual({ 'staging-web': operator, monitoring: operator });
    expect((await t.http.as(tess).post(`/api/v1/environments/${env['staging-web']}/restart`)).status).toBe(202);
  });

  it('12. the owner unlinks a member: shares gone, view empty, the old invitation link dead', async () => {
    const since = smtp.inbox(carl.email).length;
    const removed = await t.http.as(olivia).delete(`/api/v1/collaboration/members/${carl.memberId}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    await mailTo(carl.email, /no longer collaborate/, since);

    expect((await t.http.as(olivia).get(`/api/v1/collaboration/members/${carl.memberId}/shares`)).status).toBe(404);
    expect(await t.ctx.db.$count(shares, eq(shares.collaborationId, carl.memberId))).toBe(0);
    const members = await t.http.as(olivia).get('/api/v1/collaboration/members');
    expect(members.body.items.map((m: { id: string }) => m.id)).toEqual([tess.memberId]);
    expect(await listed(carl)).toEqual({});
    expect((await t.http.as(carl).get('/api/v1/collaborations')).body.items).toEqual([]);
    for (const id of Object.values(env)) expect((await t.http.as(carl).get(`/api/v1/environments/${id}`)).status, id).toBe(404);
    expect((await t.http.get(`/api/v1/invitations/${carl.invitationToken}`)).status).toBe(404);
    expect((await t.http.post(`/api/v1/invitations/${carl.invitationToken}/signup`, { name: carl.name, password: PASSWORD })).status).toBe(404);

    // What he created stays the owner's, running on her bill.
    const kept = await t.http.as(olivia).get(`/api/v1/environments/${env['carl-worker']}`);
    expect(kept.body).toMatchObject({ owner: { id: olivia.id }, createdBy: { id: carl.id }, status: 'running' });
  });

  it("13. the owner's audit log shows the member's actions on her environments, with the member as actor", async () => {
    const log = await t.http.as(olivia).get('/api/v1/audit', { query: { actorId: carl.id, limit: 100 } });
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    const events = log.body.items as Array<{ actorId: string; actorEmail: string; ownerId: string; action: string; targetId: string | null; outcome: string }>;
    expect(events.every((event) => event.actorId === carl.id && event.actorEmail === carl.email)).toBe(true);
    const onOwner = (action: string, targetId: string | null, outcome: string) => expect.objectContaining({ ownerId: olivia.id, action, targetId, outcome });
    expect(events).toEqual(
      expect.arrayContaining([
        onOwner('environment.stop', env['shop-web'] ?? '', 'denied'),
        onOwner('environment.stop', env.docs ?? '', 'ok'),
        onOwner('environment.stop', env.blog ?? '', 'denied'),
        onOwner('environment.create', env['carl-worker'] ?? '', 'ok'),
      ]),
    );
    // Newest first: he created carl-worker after his refused stop on shop-web.
    expect(events.findIndex((e) => e.action === 'environment.create' && e.outcome === 'ok')).toBeLessThan(
      events.findIndex((e) => e.action === 'environment.stop' && e.targetId === env['shop-web']),
    );
  });
});
