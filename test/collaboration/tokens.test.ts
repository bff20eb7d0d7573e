import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createPaidOwner } from '../factories.js';
import { endMembership, inviteAndAccept, share } from '../factories/collaboration.js';
import { createRunningEnvironment } from '../factories/environments.js';
import { HOUR } from '../../src/clock.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const DAY = 24 * HOUR;

async function world() {
  const owner = await createPaidOwner(t);
  const env = await createRunningEnvironment(t, owner);
  const other = await createRunningEnvironment(t, owner);
  const member = await inviteAndAccept(t, owner);
  await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
  const manager = await inviteAndAccept(t, owner);
  await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
  return { owner, env, other, member, manager };
}

const scopedTo = (ownerId: string, environmentId: string, permissions = ['env.deploy']) => ({ ownerId, resources: [{ type: 'environment', id: environmentId }], permissions });

describe("the owner's view of tokens acting in its account", () => {
  it('caps token lifetimes in the account: a default is shortened to the cap, a later expiry refused', async () => {
    const { owner, env, member, manager } = await world();
    expect((await t.http.as(owner).get('/api/v1/account/policy')).body).toEqual({ tokenMaxLifetimeDays: null, requireTwoFactor: false, accessRequestMaxHours: 8 });
    await expectNoChange(t, async () => {
      const byManager = await t.http.as(manager).patch('/api/v1/account/policy', { tokenMaxLifetimeDays: 1 }, { query: { ownerId: owner.id } });
      expect(byManager.status).toBe(403);
      expect((await t.http.as(owner).patch('/api/v1/account/policy', { tokenMaxLifetimeDays: 0 })).status).toBe(400);
    });
    const set = await t.http.as(owner).patch('/api/v1/account/policy', { tokenMaxLifetimeDays: 30 });
    expect(set.body).toEqual({ tokenMaxLifetimeDays: 30, requireTwoFactor: false, accessRequestMaxHours: 8 });

    const defaulted = await t.http.as(member).post('/api/v1/tokens', { name: 'ci', scope: scopedTo(owner.id, env.id) });
    expect(defaulted.status).toBe(201);
    expect(defaulted.body.expiresAt).toBe(new Date(t.clock.now().getTime() + 30 * DAY).toISOString());
    await expectNoChange(t, async () => {
      const tooLong = await t.http.as(member).post('/api/v1/tokens', {
        name: 'ci',
        expiresAt: new Date(t.clock.now().getTime() + 31 * DAY).toISOString(),
        scope: scopedTo(owner.id, env.id),
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body).toMatchObject({ code: 'token_lifetime_exceeded', maxLifetimeDays: 30 });
    });
    // The member's own account has no cap: 90 days there.
    const own = await t.http.as(member).post('/api/v1/tokens', { name: 'mine', scope: { ownerId: member.id, resources: [{ type: 'account' }], permissions: ['env.view'] } });
    expect(own.body.expiresAt).toBe(new Date(t.clock.now().getTime() + 90 * DAY).toISOString());
  });

  it("lists every member's token acting there with its scope, holder and last use, never a secret, and revokes any", async () => {
    const { owner, env, member } = await world();
    const stranger = await createPaidOwner(t);
    const scoped = (await t.http.as(member).post('/api/v1/tokens', { name: 'deployer', scope: scopedTo(owner.id, env.id) })).body;
    const everything = (await t.http.as(member).post('/api/v1/tokens', { name: 'laptop' })).body;
    const ownersOwn = (await t.http.as(owner).post('/api/v1/tokens', { name: 'owner cli' })).body;
    const strangers = (await t.http.as(stranger).post('/api/v1/tokens', { name: 'elsewhere' })).body;
    const elsewhere = (await t.http.as(member).post('/api/v1/tokens', { name: 'own account', scope: { ownerId: member.id, resources: [{ type: 'account' }], permissions: ['env.view'] } })).body;
    expect((await t.http.as(scoped.token).post(`/api/v1/environments/${env.id}/deploy`, { source: 'https://example.com/a.zip' })).status).toBe(202);

    const listed = await t.http.as(owner).get('/api/v1/collaboration/tokens');
    expect(listed.status).toBe(200);
    // Made at the same instant of the test clock: newest first cannot tell them apart.
    expect(listed.body.items.map((token: { id: string }) => token.id).sort()).toEqual([everything.id, scoped.id].sort());
    const byName = (name: string) => listed.body.items.find((token: { name: string }) => token.name === name);
    const [laptop, deployer] = [byName('laptop'), byName('deployer')];
    expect(JSON.stringify(listed.body)).not.toContain(scoped.token);
    expect(deployer).toMatchObject({ name: 'deployer', scope: scopedTo(owner.id, env.id), holder: { memberId: member.memberId, label: member.name }, lastUsedIp: '127.0.0.1' });
    expect(deployer.lastUsedAt).toBe(t.clock.now().toISOString());
    expect(laptop).toMatchObject({ name: 'laptop', scope: null, lastUsedAt: null });
    for (const id of [ownersOwn.id, strangers.id, elsewhere.id]) expect(listed.body.items.some((token: { id: string }) => token.id === id)).toBe(false);

    await expectNoChange(t, async () => {
      expect((await t.http.as(owner).delete(`/api/v1/collaboration/tokens/${strangers.id}`)).status).toBe(404);
      expect((await t.http.as(owner).delete(`/api/v1/collaboration/tokens/${elsewhere.id}`)).status).toBe(404);
      expect((await t.http.as(member).get('/api/v1/collaboration/tokens', { query: { ownerId: owner.id } })).status).toBe(403);
      expect((await t.http.as(stranger).get('/api/v1/collaboration/tokens', { query: { ownerId: owner.id } })).status).toBe(404);
    });
    expect((await t.http.as(owner).delete(`/api/v1/collaboration/tokens/${scoped.id}`)).status).toBe(204);
    expect((await t.http.as(scoped.token).get('/api/v1/me')).status).toBe(401);
    expect((await t.http.as(owner).get('/api/v1/collaboration/tokens')).body.items.map((token: { id: string }) => token.id)).toEqual([everything.id]);
  });

  it('explain takes a token and says what it may do on an environment and which limit decided', async () => {
    const { owner, env, other, member } = await world();
    const { id } = (await t.http.as(member).post('/api/v1/tokens', { name: 'deployer', scope: scopedTo(owner.id, env.id) })).body;
    const explain = async (query: Record<string, string>) => (await t.http.as(owner).get('/api/v1/access/explain', { query: { tokenId: id, ...query } })).body;

    expect(await explain({ environmentId: env.id, permission: 'env.deploy' })).toMatchObject({ allowed: true, level: 'account', decidedBy: 'scope', token: { id, name: 'deployer' } });
    const restart = await explain({ environmentId: env.id, permission: 'env.restart' });
    expect(restart).toMatchObject({ allowed: false, decidedBy: 'scope', permissions: ['env.view', 'env.deploy'] });
    expect(restart.holderPermissions).toContain('env.restart');
    expect(await explain({ environmentId: other.id })).toMatchObject({ allowed: false, blockedBy: 'token_scope', decidedBy: 'scope' });
    expect(await explain({ environmentId: env.id, permission: 'env.delete' })).toMatchObject({ allowed: false, decidedBy: 'holder' });

    await endMembership(t, 'suspend', owner, member, member.memberId);
    expect(await explain({ environmentId: env.id, permission: 'env.deploy' })).toMatchObject({ allowed: false, blockedBy: 'suspended', decidedBy: 'holder' });
    const both = await t.http.as(owner).get('/api/v1/access/explain', { query: { tokenId: id, memberId: member.memberId } });
    expect(both.status).toBe(400);
  });
});
