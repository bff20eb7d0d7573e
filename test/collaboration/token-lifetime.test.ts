import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createPaidOwner } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { createRunningEnvironment } from '../factories/environments.js';
import { auditEvents } from '../../src/db/schema/index.js';
import { HOUR } from '../../src/clock.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const DAY = 24 * HOUR;
const inDays = (days: number) => new Date(t.clock.now().getTime() + days * DAY).toISOString();

/** A paid account that owns an environment and develops in two owners' accounts: one that will cap token lifetimes, one that will not. */
async function world() {
  const capping = await createPaidOwner(t);
  const other = await createPaidOwner(t);
  const holder = await createPaidOwner(t);
  const cappedEnv = await createRunningEnvironment(t, capping);
  const otherEnv = await createRunningEnvironment(t, other);
  const ownEnv = await createRunningEnvironment(t, holder);
  const member = await inviteAndAccept(t, capping, { account: holder });
  await share(t, capping, member.memberId, { type: 'account' }, ['developer']);
  const elsewhere = await inviteAndAccept(t, other, { account: holder });
  await share(t, other, elsewhere.memberId, { type: 'account' }, ['developer']);
  return { capping, holder, cappedEnv, otherEnv, ownEnv };
}

const listedIds = async (token: string) => ((await t.http.as(token).get('/api/v1/environments')).body.items as { id: string }[]).map((env) => env.id).sort();

describe("the owner's token lifetime cap holds for every token acting in its account", () => {
  it('a longer-lived token, unscoped or scoped, gets 403 token_lifetime_exceeded in that account only, from the next request on', async () => {
    const { capping, holder, cappedEnv, otherEnv, ownEnv } = await world();
    const unscoped = (await t.http.as(holder).post('/api/v1/tokens', { name: 'laptop' })).body;
    const scoped = (await t.http.as(holder).post('/api/v1/tokens', { name: 'deployer', expiresAt: inDays(60), scope: { ownerId: capping.id, resources: [{ type: 'account' }], permissions: ['env.view'] } })).body;
    const short = (await t.http.as(holder).post('/api/v1/tokens', { name: 'weekly', expiresAt: inDays(7) })).body;
    for (const token of [unscoped.token, scoped.token, short.token]) expect((await t.http.as(token).get(`/api/v1/environments/${cappedEnv.id}`)).status).toBe(200);

    expect((await t.http.as(capping).patch('/api/v1/account/policy', { tokenMaxLifetimeDays: 30 })).status).toBe(200);
    for (const token of [unscoped.token, scoped.token]) {
      const refused = await t.http.as(token).get(`/api/v1/environments/${cappedEnv.id}`);
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'token_lifetime_exceeded', maxLifetimeDays: 30 });
      const byOwner = await t.http.as(token).get('/api/v1/environments', { query: { ownerId: capping.id } });
      expect(byOwner.body.code).toBe('token_lifetime_exceeded');
    }
    const deploy = await t.http.as(unscoped.token).post(`/api/v1/environments/${cappedEnv.id}/deploy`, { source: 'https://example.com/app.zip' });
    expect(deploy.body.code).toBe('token_lifetime_exceeded');
    // The full list leaves the capped account out; the holder's own account and the other owner's are not concerned.
    expect(await listedIds(unscoped.token)).toEqual([otherEnv.id, ownEnv.id].sort());
    expect((await t.http.as(unscoped.token).post(`/api/v1/environments/${otherEnv.id}/restart`)).status).toBe(202);
    expect((await t.http.as(unscoped.token).post(`/api/v1/environments/${ownEnv.id}/restart`)).status).toBe(202);
    // A token within the cap, and the holder signed in, keep their access there.
    expect((await t.http.as(short.token).get(`/api/v1/environments/${cappedEnv.id}`)).status).toBe(200);
    expect((await t.http.as(holder).get(`/api/v1/environments/${cappedEnv.id}`)).status).toBe(200);
    expect(await listedIds(short.token)).toEqual([cappedEnv.id, otherEnv.id, ownEnv.id].sort());
    // The refusals are in the owner's audit log.
    const events = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.ownerId, capping.id));
    expect(events.some((event) => event.actorId === holder.id && event.outcome === 'denied')).toBe(true);

    // Lifting the cap gives the tokens back at once.
    expect((await t.http.as(capping).patch('/api/v1/account/policy', { tokenMaxLifetimeDays: null })).status).toBe(200);
    expect((await t.http.as(unscoped.token).get(`/api/v1/environments/${cappedEnv.id}`)).status).toBe(200);
  });

  it('explain with the token names token_lifetime_exceeded, and the token as what decided, while its holder could act', async () => {
    const { capping, holder, cappedEnv } = await world();
    const { id } = (await t.http.as(holder).post('/api/v1/tokens', { name: 'laptop' })).body;
    expect((await t.http.as(capping).patch('/api/v1/account/policy', { tokenMaxLifetimeDays: 89 })).status).toBe(200);
    const explained = await t.http.as(capping).get('/api/v1/access/explain', { query: { tokenId: id, environmentId: cappedEnv.id, permission: 'env.deploy' } });
    expect(explained.status, JSON.stringify(explained.body)).toBe(200);
    expect(explained.body).toMatchObject({ allowed: false, permissions: [], blockedBy: 'token_lifetime_exceeded', decidedBy: 'scope', token: { id } });
    expect(explained.body.holderPermissions).toContain('env.deploy');
    // At exactly the cap, the token acts again.
    expect((await t.http.as(capping).patch('/api/v1/account/policy', { tokenMaxLifetimeDays: 90 })).status).toBe(200);
    const within = await t.http.as(capping).get('/api/v1/access/explain', { query: { tokenId: id, environmentId: cappedEnv.id, permission: 'env.deploy' } });
    expect(within.body).toMatchObject({ allowed: true, decidedBy: 'holder' });
    expect(within.body.blockedBy).toBeUndefined();
  });
});
