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
// Everything the app logs at the default level during the flow: it must hold no secret (the last step).
const log: string[] = [];
/** Every secret the flow handled: session and API tokens from answers, tokens of mailed links, the password. */
const secrets = new Set<string>([PASSWORD]);

const VIEWER = ['env.view', 'env.logs'];
const OPERATOR = [...VIEWER, 'env.start', 'env.stop', 'env.restart'];
const DEVELOPER = [...OPERATOR, 'env.rename', 'env.topology', 'env.deploy', 'env.config', 'env.exec', 'env.clone', 'env.groups', 'env.create'];
const sorted = (list: readonly string[]) => [...list].sort();

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  // Sessions outlive the two weeks this story spans; the clock, not the wall, decides trials and metering.
  t = await startTestApp({ smtp, clock, log, config: { sessionIdleSeconds: YEAR_SECONDS, sessionMaxSeconds: YEAR_SECONDS, pricePerCloudletHour: 0.002 } });
  // Metering and the trial job run when a step says so, never halfway through one.
  await manualBillingWorkers(t);
  // Every answer that hands out a token adds it to the secrets the log must not hold.
  const inject = t.app.inject.bind(t.app) as (options: unknown) => Promise<{ body: string }>;
  (t.app as any).inject = async (options: unknown) => {
    const response = await inject(options);
    for (const [, token] of response.body.matchAll(/"token":"([^"]+)"/g)) if (token) secrets.add(token);
    return response;
  };
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
  let owner: Account;
  let admin: Account;
  let collaborator: Account & { memberId: string; invitationToken: string };
  let trialMember: Account & { memberId: string };
  const env: Record<string, string> = {};
  const group: Record<string, string> = {};

  it('1. the owner signs up, verifies the email by the mailed link, and the billing team makes the account a paying one', async () => {
    owner = await signUpVerified('owner@acme.test', 'The Owner');
    admin = await adminOf(t);
    const paid = await t.http.as(admin).post(`/api/v1/admin/users/${owner.id}/convert`, { type: 'paid' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    const me = await t.http.as(owner).get('/api/v1/me');
    expect(me.body).toMatchObject({ id: owner.id, type: 'paid', emailVerified: true, trialExpired: false });
  });

  it('2. the owner sorts the environments into nested groups', async () => {
    const makeGroup = async (name: string, parentId?: string) => {
      const answer = await t.http.as(owner).post('/api/v1/groups', { name, ...(parentId ? { parentId } : {}) });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body.id as string;
    };
    group.production = await makeGroup('Production');
    group.shop = await makeGroup('Shop', group.production);
    group.staging = await makeGroup('Staging');

    const makeEnvironment = async (name: string, groupId?: string) => {
      const answer = await t.http.as(owner).post('/api/v1/environments', {
        name,
        nodes: [{ role: 'app', image: 'node:22-alpine', count: 1, cloudlets: 2 }],
        ...(groupId ? { groupId } : {}),
      });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      expect(answer.body).toMatchObject({ owner: { id: owner.id }, createdBy: { id: owner.id }, access: 'owner' });
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
    const filed = await t.http.as(owner).put(`/api/v1/groups/${group.staging}/environments/${env.monitoring}`);
    expect(filed.status, JSON.stringify(filed.body)).toBeLessThan(300);
    for (const id of Object.values(env)) await waitForStatus(t, id, 'running');

    const own = await listed(owner);
    expect(Object.keys(own).sort()).toEqual(Object.keys(env).sort());
    expect(own.api?.access).toBe('owner');
  });

  it('3. the owner invites an email that has no account, with an alias; the invitation mail carries the link', async () => {
    const invited = await t.http.as(owner).post('/api/v1/collaboration/members', { email: 'collaborator@agency.test', displayName: 'Agency contractor' });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    expect(invited.body).toMatchObject({ email: 'collaborator@agency.test', displayName: 'Agency contractor', status: 'pending', user: null });

    const mail = await mailTo('collaborator@agency.test', /The Owner invited you/);
    const url = linkIn(mail, link.invitation);
    expect(url).toMatch(/^http:\/\/shareplane\.test\/invitations\/[A-Za-z0-9_-]{43}$/);
    collaborator = { id: '', email: 'collaborator@agency.test', name: 'The Collaborator', password: PASSWORD, token: '', memberId: invited.body.id, invitationToken: tokenOf(url) };
  });

  it('4. opening the link shows the invitation and changes nothing; sign-up through it makes a collaborator account for the invited email', async () => {
    await expectNoChange(t, async () => {
      const preview = await t.http.get(`/api/v1/invitations/${collaborator.invitationToken}`);
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body).toMatchObject({ email: 'collaborator@agency.test', owner: { name: 'The Owner' }, accountExists: false });
      // A mail scanner opening it again finds it just as valid.
      expect((await t.http.get(`/api/v1/invitations/${collaborator.invitationToken}`)).status).toBe(200);
    });

    // The email is fixed by the link: the sign-up form has no email to change.
    const otherEmail = await t.http.post(`/api/v1/invitations/${collaborator.invitationToken}/signup`, { name: collaborator.name, password: PASSWORD, email: 'other@elsewhere.test' });
    expect(otherEmail.status).toBe(400);

    const signup = await t.http.post(`/api/v1/invitations/${collaborator.invitationToken}/signup`, { name: collaborator.name, password: PASSWORD });
    expect(signup.status, JSON.stringify(signup.body)).toBe(201);
    expect(signup.body.user).toMatchObject({ email: 'collaborator@agency.test', type: 'collaborator', emailVerified: true, trialEndsAt: null });
    expect(signup.body.collaboration).toMatchObject({ id: collaborator.memberId, status: 'active', owner: { id: owner.id, name: 'The Owner' } });
    collaborator = { ...collaborator, id: signup.body.user.id, token: signup.body.token };
  });

  it('5. the owner is notified by mail and in the dashboard; the member list shows the collaborator under the owner’s alias', async () => {
    // The owner knows the member by the alias it gave; the account name and email follow it.
    const accepted = await mailTo('owner@acme.test', /Agency contractor accepted your invitation/);
    expect(accepted.text).toContain('Agency contractor (The Collaborator, collaborator@agency.test)');
    const notifications = await t.http.as(owner).get('/api/v1/notifications');
    expect(notifications.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ type: 'collaboration.accepted', title: 'Agency contractor accepted your invitation' })]),
    );

    const members = await t.http.as(owner).get('/api/v1/collaboration/members');
    expect(members.body.items).toEqual([
      expect.objectContaining({ id: collaborator.memberId, displayName: 'Agency contractor', status: 'active', user: { id: collaborator.id, name: collaborator.name, email: collaborator.email } }),
    ]);
    // The collaborator sees the owner, never the alias the owner gave it.
    const mine = await t.http.as(collaborator).get('/api/v1/collaborations');
    expect(mine.body.items).toEqual([expect.objectContaining({ id: collaborator.memberId, status: 'active', owner: { id: owner.id, name: 'The Owner', email: 'owner@acme.test' } })]);
    expect(JSON.stringify(mine.body)).not.toContain('Agency contractor');
  });

  it('6. no environment is shared by default: the collaborator sees nothing', async () => {
    expect(await listed(collaborator)).toEqual({});
    expect(await listed(collaborator, { ownerId: owner.id })).toEqual({});
    expect((await t.http.as(collaborator).get(`/api/v1/environments/${env.api}`)).status).toBe(404);
  });

  it("7. the owner shares a group as viewer: exactly that group's environments and its subgroups' appear, with the viewer's permissions", async () => {
    const since = smtp.inbox(collaborator.email).length;
    const shared = await t.http.as(owner).post(`/api/v1/collaboration/members/${collaborator.memberId}/shares`, {
      resource: { type: 'group', id: group.production },
      roleIds: ['viewer'],
    });
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    await mailTo(collaborator.email, /gave you access/, since);

    const viewer = seenAs(owner.id, 'group', VIEWER);
    expect(await listed(collaborator)).toEqual({ 'shop-web': viewer, 'shop-db': viewer, api: viewer, monitoring: viewer });
    const one = await t.http.as(collaborator).get(`/api/v1/environments/${env['shop-web']}`);
    expect(one.body).toMatchObject({ owner: { id: owner.id, name: 'The Owner', email: 'owner@acme.test' }, access: 'group' });
    expect((await t.http.as(collaborator).get(`/api/v1/environments/${env['shop-web']}/logs`)).status).toBe(200);

    const stop = await t.http.as(collaborator).post(`/api/v1/environments/${env['shop-web']}/stop`);
    expect(stop.status).toBe(403);
    expect(stop.body).toMatchObject({ code: 'missing_permission', permission: 'env.stop' });
    expect((await t.http.as(collaborator).get(`/api/v1/environments/${env.blog}`)).status).toBe(404);
    expect((await t.http.as(collaborator).post(`/api/v1/environments/${env.blog}/stop`)).status).toBe(404);
  });

  it('8. precedence: developer on the account, viewer on one environment: direct beats account, and group beats account', async () => {
    const share = async (resource: object, roleIds: string[]) => {
      const answer = await t.http.as(owner).post(`/api/v1/collaboration/members/${collaborator.memberId}/shares`, { resource, roleIds });
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    };
    await share({ type: 'account' }, ['developer']);
    await share({ type: 'environment', id: env.blog }, ['viewer']);

    const groupViewer = seenAs(owner.id, 'group', VIEWER);
    const accountDeveloper = seenAs(owner.id, 'account', DEVELOPER);
    expect(await listed(collaborator)).toEqual({
      blog: seenAs(owner.id, 'direct', VIEWER),
      docs: accountDeveloper,
      'staging-web': accountDeveloper,
      'shop-web': groupViewer,
      'shop-db': groupViewer,
      api: groupViewer,
      // In Production (shared as viewer) and in Staging (not shared): the group level still decides.
      monitoring: groupViewer,
    });

    const why = await t.http.as(owner).get('/api/v1/access/explain', { query: { memberId: collaborator.memberId, environmentId: env.blog } });
    expect(why.body).toMatchObject({ allowed: true, level: 'direct', via: [{ resource: { type: 'environment', id: env.blog }, roles: [{ id: 'viewer' }] }] });

    // Developer where the account share decides: the collaborator may stop docs, not blog.
    expect((await t.http.as(collaborator).post(`/api/v1/environments/${env.docs}/stop`)).status).toBe(202);
    expect((await t.http.as(collaborator).post(`/api/v1/environments/${env.blog}/stop`)).body).toMatchObject({ code: 'missing_permission', permission: 'env.stop' });
    await waitForStatus(t, env.docs ?? '', 'stopped');
  });

  it("9. the collaborator creates an environment in the owner's account: owned and paid by the owner, created by the collaborator", async () => {
    // He owns nothing himself, and a group shared as viewer is no place to create in.
    const ownAccount = await t.http.as(collaborator).post('/api/v1/environments', { name: 'member-own', nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }] });
    expect(ownAccount.body).toMatchObject({ status: 403, code: 'collaborator_cannot_own' });
    const inViewerGroup = await t.http.as(collaborator).post('/api/v1/environments', {
      name: 'member-shop',
      ownerId: owner.id,
      groupId: group.shop,
      nodes: [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }],
    });
    expect(inViewerGroup.body).toMatchObject({ status: 403, code: 'missing_permission', permission: 'env.create' });

    clock.set('2030-03-04T10:20:00Z');
    const created = await t.http.as(collaborator).post('/api/v1/environments', {
      name: 'member-worker',
      ownerId: owner.id,
      nodes: [{ role: 'worker', image: 'node:22-alpine', count: 1, cloudlets: 4 }],
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ owner: { id: owner.id }, createdBy: { id: collaborator.id, name: collaborator.name }, access: 'account' });
    env['member-worker'] = created.body.id;
    await waitForStatus(t, created.body.id, 'running');
    expect((await listed(owner))['member-worker']?.access).toBe('owner');

    // Three hours and a bit later, metering charges every started hour: 10:00, 11:00, 12:00, 13:00.
    clock.set('2030-03-04T13:30:00Z');
    await meter(t);
    const report = await t.http.as(owner).get('/api/v1/billing/usage', { query: { groupBy: 'creator' } });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    const byCreator = new Map((report.body.items as Array<{ creator: { id: string } | null; cost: string }>).map((item) => [item.creator?.id, item]));
    expect(byCreator.get(collaborator.id)).toMatchObject({ creator: { id: collaborator.id, email: collaborator.email }, environments: 1, hours: 4, cloudletHours: 16, cost: '0.032000' });
    expect(byCreator.get(owner.id)).toBeDefined();

    // The owner's balance pays for all of it, the collaborator's own balance for none.
    const balance = await t.http.as(owner).get('/api/v1/billing/balance');
    expect(Number(balance.body.amount)).toBeCloseTo(-Number(report.body.total.cost), 6);
    expect(Number(balance.body.amount)).toBeLessThan(0);
    const carlBalance = await t.http.as(collaborator).get('/api/v1/billing/balance');
    expect(Number(carlBalance.body.amount)).toBe(0);
  });

  it('10. the owner suspends the collaborator: everything is gone at once and the collaborator is told by mail; re-activating brings it back', async () => {
    const before = await listed(collaborator);
    const since = smtp.inbox(collaborator.email).length;
    const suspended = await t.http.as(owner).post(`/api/v1/collaboration/members/${collaborator.memberId}/suspend`);
    expect(suspended.status, JSON.stringify(suspended.body)).toBe(200);
    expect(suspended.body.status).toBe('suspended');

    expect(await listed(collaborator)).toEqual({});
    expect((await t.http.as(collaborator).get('/api/v1/environments', { query: { ownerId: owner.id } })).status).toBe(404);
    expect((await t.http.as(collaborator).get('/api/v1/collaborations')).body.items).toEqual([expect.objectContaining({ id: collaborator.memberId, status: 'suspended' })]);
    for (const id of Object.values(env)) expect((await t.http.as(collaborator).get(`/api/v1/environments/${id}`)).status, id).toBe(404);
    await mailTo(collaborator.email, /is suspended/, since);

    const activated = await t.http.as(owner).post(`/api/v1/collaboration/members/${collaborator.memberId}/activate`);
    expect(activated.body.status).toBe('active');
    expect(await listed(collaborator)).toEqual(before);
    await mailTo(collaborator.email, /is back/, since);
  });

  it('11. a trial account joins, loses access when its trial ends, keeps its collaborations, and gets it back once converted', async () => {
    const joined = await signUpVerified('trial-member@trial.test', 'The Trial Member');
    const invited = await t.http.as(owner).post('/api/v1/collaboration/members', { email: 'trial-member@trial.test' });
    expect(invited.status, JSON.stringify(invited.body)).toBe(201);
    const token = tokenOf(linkIn(await mailTo('trial-member@trial.test', /invited you/), link.invitation));
    const preview = await t.http.get(`/api/v1/invitations/${token}`);
    expect(preview.body).toMatchObject({ email: 'trial-member@trial.test', accountExists: true });
    const accepted = await t.http.as(joined).post(`/api/v1/invitations/${token}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    trialMember = { ...joined, memberId: invited.body.id };
    const shared = await t.http.as(owner).post(`/api/v1/collaboration/members/${trialMember.memberId}/shares`, { resource: { type: 'group', id: group.staging }, roleIds: ['operator'] });
    expect(shared.status, JSON.stringify(shared.body)).toBe(201);
    const operator = seenAs(owner.id, 'group', OPERATOR);
    expect(await listed(trialMember)).toEqual({ 'staging-web': operator, monitoring: operator });

    // The trial ends: no job needs to run, the next request already knows.
    const me = await t.http.as(trialMember).get('/api/v1/me');
    clock.set(new Date(new Date(me.body.trialEndsAt).getTime() + MINUTE));
    for (const answer of [
      await t.http.as(trialMember).get('/api/v1/environments'),
      await t.http.as(trialMember).get(`/api/v1/environments/${env['staging-web']}`),
      await t.http.as(trialMember).post(`/api/v1/environments/${env['staging-web']}/restart`),
      await t.http.as(trialMember).get('/api/v1/groups', { query: { ownerId: owner.id } }),
    ]) {
      expect(answer.status, JSON.stringify(answer.body)).toBe(403);
      expect(answer.body.code).toBe('trial_expired');
    }
    expect((await t.http.as(trialMember).get('/api/v1/me')).body).toMatchObject({ type: 'trial', trialExpired: true });
    const collaborations = await t.http.as(trialMember).get('/api/v1/collaborations');
    expect(collaborations.status).toBe(200);
    expect(collaborations.body.items).toEqual([expect.objectContaining({ id: trialMember.memberId, status: 'active', owner: expect.objectContaining({ id: owner.id }) })]);
    const why = await t.http.as(owner).get('/api/v1/access/explain', { query: { memberId: trialMember.memberId, environmentId: env['staging-web'] } });
    expect(why.body).toMatchObject({ allowed: false, level: null, blockedBy: 'trial_expired' });

    // The trial job says so by mail (it also stops the member's own environments: there are none).
    while (((await t.workers?.trial.runOnce()) ?? 0) > 0);
    await mailTo(trialMember.email, /trial has ended/);

    // The billing team converts it to a collaborator account: access is back at once, shares intact.
    const converted = await t.http.as(admin).post(`/api/v1/admin/users/${trialMember.id}/convert`, { type: 'collaborator' });
    expect(converted.status, JSON.stringify(converted.body)).toBe(200);
    expect(converted.body).toMatchObject({ type: 'collaborator', trialExpired: false });
    expect(await listed(trialMember)).toEqual({ 'staging-web': operator, monitoring: operator });
    expect((await t.http.as(trialMember).post(`/api/v1/environments/${env['staging-web']}/restart`)).status).toBe(202);
  });

  it('12. the owner unlinks a member: shares gone, view empty, the old invitation link dead', async () => {
    const since = smtp.inbox(collaborator.email).length;
    const removed = await t.http.as(owner).delete(`/api/v1/collaboration/members/${collaborator.memberId}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    await mailTo(collaborator.email, /no longer collaborate/, since);

    expect((await t.http.as(owner).get(`/api/v1/collaboration/members/${collaborator.memberId}/shares`)).status).toBe(404);
    expect(await t.ctx.db.$count(shares, eq(shares.collaborationId, collaborator.memberId))).toBe(0);
    const members = await t.http.as(owner).get('/api/v1/collaboration/members');
    expect(members.body.items.map((m: { id: string }) => m.id)).toEqual([trialMember.memberId]);
    expect(await listed(collaborator)).toEqual({});
    expect((await t.http.as(collaborator).get('/api/v1/collaborations')).body.items).toEqual([]);
    for (const id of Object.values(env)) expect((await t.http.as(collaborator).get(`/api/v1/environments/${id}`)).status, id).toBe(404);
    expect((await t.http.get(`/api/v1/invitations/${collaborator.invitationToken}`)).status).toBe(404);
    expect((await t.http.post(`/api/v1/invitations/${collaborator.invitationToken}/signup`, { name: collaborator.name, password: PASSWORD })).status).toBe(404);

    // What the collaborator created stays the owner's, running on the owner's bill.
    const kept = await t.http.as(owner).get(`/api/v1/environments/${env['member-worker']}`);
    expect(kept.body).toMatchObject({ owner: { id: owner.id }, createdBy: { id: collaborator.id }, status: 'running' });
  });

  it("13. the owner's audit log shows the member's actions on the owner's environments, with the member as actor", async () => {
    const log = await t.http.as(owner).get('/api/v1/audit', { query: { actorId: collaborator.id, limit: 100 } });
    expect(log.status, JSON.stringify(log.body)).toBe(200);
    const events = log.body.items as Array<{ actorId: string; actorEmail: string; ownerId: string; action: string; targetId: string | null; outcome: string }>;
    expect(events.every((event) => event.actorId === collaborator.id && event.actorEmail === collaborator.email)).toBe(true);
    const onOwner = (action: string, targetId: string | null, outcome: string) => expect.objectContaining({ ownerId: owner.id, action, targetId, outcome });
    expect(events).toEqual(
      expect.arrayContaining([
        onOwner('environment.stop', env['shop-web'] ?? '', 'denied'),
        onOwner('environment.stop', env.docs ?? '', 'ok'),
        onOwner('environment.stop', env.blog ?? '', 'denied'),
        onOwner('environment.create', env['member-worker'] ?? '', 'ok'),
      ]),
    );
    // Newest first: the collaborator created member-worker after its refused stop on shop-web.
    expect(events.findIndex((e) => e.action === 'environment.create' && e.outcome === 'ok')).toBeLessThan(
      events.findIndex((e) => e.action === 'environment.stop' && e.targetId === env['shop-web']),
    );
  });

  it('14. the log of the whole flow holds no secret: no password, no session or API token, no token of a mailed link', () => {
    for (const mail of smtp.messages) for (const [, token] of mail.text.matchAll(/(?:token=|\/invitations\/)([A-Za-z0-9_-]{20,})/g)) if (token) secrets.add(token);
    const text = log.join('');
    expect(log.length).toBeGreaterThan(50);
    // The flow did open mailed links and hand out tokens, so there was something to leak.
    expect(text).toContain('/invitations/[redacted]');
    expect(secrets.size).toBeGreaterThan(5);
    const leaked = [...secrets].filter((secret) => text.includes(secret));
    expect(leaked).toEqual([]);
    // Nothing shaped like one of our 256-bit secrets either (ids and request ids are UUIDs).
    expect(text.match(/(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/g) ?? []).toEqual([]);
  });
});
