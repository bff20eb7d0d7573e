import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, outbox } from '../../src/db/schema/index.js';
import { createPaidOwner, enrolSecondFactor, type Account } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { createRunningEnvironment } from '../factories/environments.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const enrol = (account: Account) => enrolSecondFactor(t, account);

async function world() {
  const owner = await createPaidOwner(t);
  const env = await createRunningEnvironment(t, owner);
  const member = await inviteAndAccept(t, owner);
  await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
  const careful = await inviteAndAccept(t, owner);
  await share(t, owner, careful.memberId, { type: 'account' }, ['viewer']);
  await enrol(careful);
  const token = (await t.http.as(member).post('/api/v1/tokens', { name: 'ci' })).body.token as string;
  return { owner, env, member, careful, token };
}

const mailsTo = (email: string) =>
  t.ctx.db.select().from(outbox).where(and(eq(outbox.toAddress, email), eq(outbox.kind, 'collaboration.two_factor_required')));

describe('an owner requires two-factor sign-in of its collaborators', () => {
  it('locks out a member without a second factor, sessions and tokens alike, with a link to enrol; mails it once', async () => {
    const { owner, env, member, careful, token } = await world();
    expect((await t.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(200);

    const on = await t.http.as(owner).patch('/api/v1/account/policy', { requireTwoFactor: true });
    expect(on.status).toBe(200);
    expect(on.body).toEqual({ tokenMaxLifetimeDays: null, accessRequestMaxHours: 8, requireTwoFactor: true });
    expect(await mailsTo(member.email)).toHaveLength(1);
    expect((await mailsTo(member.email))[0]?.textBody).toContain('/settings/account');
    expect(await mailsTo(careful.email)).toHaveLength(0);

    for (const who of [member.token, token]) {
      const refused = await t.http.as(who).get(`/api/v1/environments/${env.id}`);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'two_factor_required', ownerId: owner.id, enrol: { api: '/api/v1/me/totp', dashboard: '/settings/account' } });
      expect((await t.http.as(who).post(`/api/v1/environments/${env.id}/restart`)).body.code).toBe('two_factor_required');
      expect((await t.http.as(who).get('/api/v1/environments', { query: { ownerId: owner.id } })).body.code).toBe('two_factor_required');
      expect((await t.http.as(who).get('/api/v1/environments')).body.items.map((e: { id: string }) => e.id)).not.toContain(env.id);
    }
    // The member with a second factor keeps its access.
    expect((await t.http.as(careful).get(`/api/v1/environments/${env.id}`)).status).toBe(200);

    // Its own list says why the account is locked; the owner's list says who has a second factor.
    const mine = (await t.http.as(member).get('/api/v1/collaborations')).body.items.find((c: { owner: { id: string } }) => c.owner.id === owner.id);
    expect(mine.locked).toMatchObject({ reason: 'two_factor_required', enrol: { dashboard: '/settings/account' } });
    expect(mine.permissions).toEqual([]);
    const members = (await t.http.as(owner).get('/api/v1/collaboration/members')).body.items;
    expect(Object.fromEntries(members.map((m: { id: string; twoFactor: boolean }) => [m.id, m.twoFactor]))).toEqual({
      [member.memberId]: false,
      [careful.memberId]: true,
    });
    const explain = await t.http.as(owner).get('/api/v1/access/explain', { query: { memberId: member.memberId, environmentId: env.id } });
    expect(explain.body).toMatchObject({ level: null, blockedBy: 'two_factor_required' });

    // The refusals are in the owner's audit log; the switch is audited with how many were mailed.
    const events = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.ownerId, owner.id));
    expect(events.some((e) => e.actorId === member.id && e.outcome === 'denied')).toBe(true);
    expect(events.find((e) => e.action === 'account.policy.update')?.details).toEqual({ requireTwoFactor: true, membersMailed: 1 });

    // Enrolling lifts the lock at the next request.
    await enrol(member);
    expect((await t.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(200);
    expect((await t.http.as(token).get(`/api/v1/environments/${env.id}`)).status).toBe(200);
    expect((await t.http.as(member).get('/api/v1/collaborations')).body.items[0].locked).toBeNull();
    // Switching it on again mails nobody: everyone has a second factor; switching it off is audited too.
    expect((await t.http.as(owner).patch('/api/v1/account/policy', { requireTwoFactor: false })).body.requireTwoFactor).toBe(false);
    expect((await t.http.as(owner).patch('/api/v1/account/policy', { requireTwoFactor: true })).status).toBe(200);
    expect(await mailsTo(member.email)).toHaveLength(1);
  });

  it('switching it off lets the member back in; a manager cannot change the policy', async () => {
    const { owner, env, member } = await world();
    const manager = await inviteAndAccept(t, owner);
    await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
    const byManager = await t.http.as(manager).patch('/api/v1/account/policy', { requireTwoFactor: true }, { query: { ownerId: owner.id } });
    expect(byManager.status).toBe(403);
    expect((await t.http.as(owner).patch('/api/v1/account/policy', { requireTwoFactor: true })).status).toBe(200);
    expect((await t.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(403);
    expect((await t.http.as(owner).patch('/api/v1/account/policy', { requireTwoFactor: false })).status).toBe(200);
    expect((await t.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(200);
    // Its own account is never locked by another owner's policy.
    expect((await t.http.as(member).get('/api/v1/me')).status).toBe(200);
  });
});
