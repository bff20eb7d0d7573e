import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { type Account, createPaidOwner, setTrialEnd, signUpAndIn } from '../factories.js';
import { endMembership, inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createGroup, createRunningEnvironment } from '../factories/environments.js';
import { isPersonalToken } from '../../src/accounts/token-secret.js';
import { redactSecrets } from '../../src/secrets.js';
import { HOUR } from '../../src/clock.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const deploy = { source: 'https://example.com/app.zip' };

async function scopedToken(as: Account, scope: unknown, name = 'scoped'): Promise<{ id: string; token: string; scope: unknown }> {
  const created = await t.http.as(as).post('/api/v1/tokens', { name, scope });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

/** An owner with two running environments and a developer sharing all of them. */
async function ownerWithDeveloper(): Promise<{ owner: Account; member: Member; target: { id: string }; other: { id: string } }> {
  const owner = await createPaidOwner(t);
  const target = await createRunningEnvironment(t, owner);
  const other = await createRunningEnvironment(t, owner);
  const member = await inviteAndAccept(t, owner);
  await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
  return { owner, member, target, other };
}

describe('scoped API tokens', () => {
  it('a token scoped to one environment with env.deploy deploys there and nothing else, and dies when its holder is suspended', async () => {
    const { owner, member, target, other } = await ownerWithDeveloper();
    const created = await scopedToken(member, { ownerId: owner.id, resources: [{ type: 'environment', id: target.id }], permissions: ['env.deploy'] });
    expect(created.token).toMatch(/^sp_pat_[A-Za-z0-9]{36}$/);
    expect(isPersonalToken(created.token)).toBe(true);
    expect(created.scope).toEqual({ ownerId: owner.id, resources: [{ type: 'environment', id: target.id }], permissions: ['env.deploy'] });
    const token = created.token;

    expect((await t.http.as(token).post(`/api/v1/environments/${target.id}/deploy`, deploy)).status).toBe(202);
    // It sees the environment (deploying implies seeing) but may do nothing else there.
    expect((await t.http.as(token).get(`/api/v1/environments/${target.id}`)).body.permissions).toEqual(['env.view', 'env.deploy']);
    const restart = await t.http.as(token).post(`/api/v1/environments/${target.id}/restart`);
    expect(restart.status).toBe(403);
    expect(restart.body.code).toBe('missing_permission');
    // Outside the scope is unseen, while its holder sees and deploys there.
    expect((await t.http.as(token).post(`/api/v1/environments/${other.id}/deploy`, deploy)).status).toBe(404);
    expect((await t.http.as(member).post(`/api/v1/environments/${other.id}/deploy`, deploy)).status).toBe(202);
    const listed = await t.http.as(token).get('/api/v1/environments');
    expect(listed.body.items.map((env: { id: string }) => env.id)).toEqual([target.id]);
    // Nothing in its holder's own account either.
    expect((await t.http.as(token).get('/api/v1/groups')).status).toBe(200);
    expect((await t.http.as(token).post('/api/v1/groups', { name: 'nope' })).status).toBe(403);

    await endMembership(t, 'suspend', owner, member, member.memberId);
    expect((await t.http.as(token).post(`/api/v1/environments/${target.id}/deploy`, deploy)).status).toBe(404);
    expect((await t.http.as(token).get('/api/v1/environments')).body.items).toEqual([]);
  });

  it('never grants more than its holder holds now: a narrower share or an expired one narrows the token at once', async () => {
    const owner = await createPaidOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const member = await inviteAndAccept(t, owner);
    const expiresAt = new Date(t.clock.now().getTime() + HOUR).toISOString();
    await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer'], { expiresAt });
    const { token } = await scopedToken(member, { ownerId: owner.id, resources: [{ type: 'account' }], permissions: ['env.view', 'env.deploy', 'env.restart'] });
    const seen = await t.http.as(token).get(`/api/v1/environments/${env.id}`);
    expect(seen.body.permissions).toEqual(['env.view']);
    expect((await t.http.as(token).post(`/api/v1/environments/${env.id}/deploy`, deploy)).status).toBe(403);
    t.clock.advance(HOUR);
    expect((await t.http.as(token).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
  });

  it('a group scope reaches the group and its subgroups, and follows an environment filed there later', async () => {
    const owner = await createPaidOwner(t);
    const parent = await createGroup(t, owner);
    const child = await createGroup(t, owner, { parentId: parent.id });
    const inside = await createRunningEnvironment(t, owner, { groupId: child.id });
    const outside = await createRunningEnvironment(t, owner);
    const { token } = await scopedToken(owner, { ownerId: owner.id, resources: [{ type: 'group', id: parent.id }], permissions: ['env.restart'] });
    expect((await t.http.as(token).post(`/api/v1/environments/${inside.id}/restart`)).status).toBe(202);
    expect((await t.http.as(token).post(`/api/v1/environments/${outside.id}/restart`)).status).toBe(404);
    const groupsSeen = await t.http.as(token).get('/api/v1/groups');
    expect(groupsSeen.body.items.map((group: { id: string }) => group.id).sort()).toEqual([parent.id, child.id].sort());
    const filed = await t.http.as(owner).put(`/api/v1/groups/${child.id}/environments/${outside.id}`);
    expect(filed.status, JSON.stringify(filed.body)).toBeLessThan(300);
    expect((await t.http.as(token).post(`/api/v1/environments/${outside.id}/restart`)).status).toBe(202);
  });

  it('an ended trial kills a token of the trial account at once', async () => {
    const owner = await signUpAndIn(t);
    const env = await createRunningEnvironment(t, owner);
    const { token } = await scopedToken(owner, { ownerId: owner.id, resources: [{ type: 'account' }], permissions: ['env.view'] });
    expect((await t.http.as(token).get(`/api/v1/environments/${env.id}`)).status).toBe(200);
    await setTrialEnd(t, owner, new Date(t.clock.now().getTime() - 1000));
    expect((await t.http.as(token).get(`/api/v1/environments/${env.id}`)).body.code).toBe('trial_expired');
  });

  it('no token, scoped or unscoped, manages credentials (tokens, password, two-factor, passkeys, sessions); a signed-in session does', async () => {
    const owner = await createPaidOwner(t);
    const scoped = await scopedToken(owner, { ownerId: owner.id, resources: [{ type: 'account' }], permissions: [...['env.view', 'collaboration.manage']] });
    const unscoped = (await t.http.as(owner).post('/api/v1/tokens', { name: 'everything' })).body;
    await expectNoChange(t, async () => {
      for (const [token, other] of [
        [scoped.token, unscoped.id],
        [unscoped.token, scoped.id],
      ] as const) {
        for (const refused of [
          await t.http.as(token).get('/api/v1/tokens'),
          await t.http.as(token).post('/api/v1/tokens', { name: 'more' }),
          await t.http.as(token).delete(`/api/v1/tokens/${other}`),
          await t.http.as(token).post('/api/v1/auth/password', { currentPassword: owner.password, newPassword: 'a brand new passphrase' }),
          await t.http.as(token).post('/api/v1/me/totp'),
          await t.http.as(token).get('/api/v1/me/passkeys'),
          await t.http.as(token).get('/api/v1/me/sessions'),
        ]) {
          expect(refused.status).toBe(403);
          expect(refused.body.code).toBe('token_cannot_manage_credentials');
        }
      }
    });
    // The signed-in session still manages them all.
    const listed = await t.http.as(owner).get('/api/v1/tokens');
    expect(listed.status).toBe(200);
    expect(listed.body.items.find((token: { id: string }) => token.id === unscoped.id).scope).toBeNull();
  });

  it('a leaked token, scoped or not, can always be killed with itself', async () => {
    const owner = await createPaidOwner(t);
    const scoped = await scopedToken(owner, { ownerId: owner.id, resources: [{ type: 'account' }], permissions: ['env.view'] });
    const unscoped = (await t.http.as(owner).post('/api/v1/tokens', { name: 'everything' })).body;
    for (const token of [scoped, unscoped]) {
      expect((await t.http.as(token.token).delete(`/api/v1/tokens/${token.id}`)).status).toBe(204);
      expect((await t.http.as(token.token).get('/api/v1/me')).status).toBe(401);
    }
    const audit = await t.http.as(owner).get('/api/v1/audit', { query: { action: 'api_token.revoke' } });
    expect(audit.body.items.map((event: { targetId: string }) => event.targetId).sort()).toEqual([scoped.id, unscoped.id].sort());
  });

  it("an owner's scoped token grants only within its scope: shares and custom roles alike", async () => {
    const { owner, member } = await ownerWithDeveloper();
    const manager = await scopedToken(owner, { ownerId: owner.id, resources: [{ type: 'account' }], permissions: ['collaboration.manage', 'env.view', 'env.logs'] });
    const as = t.http.as(manager.token);
    const shares = `/api/v1/collaboration/members/${member.memberId}/shares`;
    const before = await t.http.as(owner).get(shares);
    const tooMuch = await as.post(shares, { resource: { type: 'account' }, roleIds: ['operator'] });
    expect(tooMuch.status).toBe(403);
    expect(tooMuch.body).toMatchObject({ code: 'missing_permission', permission: 'env.start' });
    expect(tooMuch.body.detail).toContain("token's scope");
    const role = await as.post('/api/v1/roles', { name: 'Deployer', permissions: ['env.view', 'env.deploy'] });
    expect(role.status).toBe(403);
    expect(role.body.permission).toBe('env.deploy');
    // A role within the scope is fine.
    const viewerRole = await as.post('/api/v1/roles', { name: 'Log reader', permissions: ['env.view', 'env.logs'] });
    expect(viewerRole.status).toBe(201);
    expect((await t.http.as(owner).get(shares)).body).toEqual(before.body);
    // The owner itself, signed in, grants anything.
    const group = await createGroup(t, owner);
    expect((await t.http.as(owner).post(shares, { resource: { type: 'group', id: group.id }, roleIds: ['operator'] })).status).toBe(201);
  });

  it("an owner's scoped token arranges as anyone but the owner does: never widening a member's access", async () => {
    const { owner } = await ownerWithDeveloper();
    const group = await createGroup(t, owner);
    const env = await createRunningEnvironment(t, owner);
    const viewer = await inviteAndAccept(t, owner);
    await share(t, owner, viewer.memberId, { type: 'group', id: group.id }, ['viewer']);
    const filer = await scopedToken(owner, { ownerId: owner.id, resources: [{ type: 'account' }], permissions: ['env.groups'] });
    const filing = await t.http.as(filer.token).put(`/api/v1/groups/${group.id}/environments/${env.id}`);
    expect(filing.status).toBe(403);
    expect(filing.body.code).toBe('would_widen_access');
    // The owner itself may: the arrangement is its own to make.
    expect((await t.http.as(owner).put(`/api/v1/groups/${group.id}/environments/${env.id}`)).status).toBeLessThan(300);
  });

  it('refuses a scope outside what the holder can reach, as if it did not exist', async () => {
    const { owner, member, target } = await ownerWithDeveloper();
    const stranger = await createPaidOwner(t);
    const strangers = await createRunningEnvironment(t, stranger);
    const strangersGroup = await createGroup(t, stranger);
    await expectNoChange(t, async () => {
      const otherAccount = await t.http.as(member).post('/api/v1/tokens', { name: 'x', scope: { ownerId: stranger.id, resources: [{ type: 'account' }], permissions: ['env.view'] } });
      expect(otherAccount.status).toBe(404);
      const foreignEnv = await t.http.as(member).post('/api/v1/tokens', { name: 'x', scope: { ownerId: owner.id, resources: [{ type: 'environment', id: strangers.id }], permissions: ['env.view'] } });
      expect(foreignEnv.status).toBe(404);
      const foreignGroup = await t.http.as(member).post('/api/v1/tokens', { name: 'x', scope: { ownerId: owner.id, resources: [{ type: 'group', id: strangersGroup.id }], permissions: ['env.view'] } });
      expect(foreignGroup.status).toBe(404);
      const missingId = await t.http.as(member).post('/api/v1/tokens', { name: 'x', scope: { ownerId: owner.id, resources: [{ type: 'environment' }], permissions: ['env.view'] } });
      expect(missingId.status).toBe(400);
      expect(missingId.body.errors[0].path).toBe('scope.resources.0.id');
    });
    expect((await t.http.as(member).post('/api/v1/tokens', { name: 'ok', scope: { ownerId: owner.id, resources: [{ type: 'environment', id: target.id }], permissions: ['env.view'] } })).status).toBe(201);
  });

  it('a forged checksum is refused before the database is asked, and log redaction blanks the secret', async () => {
    const owner = await createPaidOwner(t);
    const { token } = await scopedToken(owner, { ownerId: owner.id, resources: [{ type: 'account' }], permissions: ['env.view'] });
    const last = token.at(-1) === 'A' ? 'B' : 'A';
    const forged = token.slice(0, -1) + last;
    expect(isPersonalToken(forged)).toBe(false);
    expect((await t.http.as(forged).get('/api/v1/me')).status).toBe(401);
    expect(redactSecrets(`GET /api/v1/me?x=${token} Authorization: Bearer ${token}`)).not.toContain(token.slice(7));
  });
});
