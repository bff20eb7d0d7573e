/**
 * DESIGN.md section 6b through HTTP: access grows only through a grant. Arranging the owner's account (moving groups,
 * filing, deleting, removing or narrowing shares, cloning) never widens anyone's access unless the owner does it,
 * every such change can be previewed with ?dryRun=true, and deleting what a share points at is a revocation.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/clock.js';
import { type Account, createOwner } from '../factories.js';
import { inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { auditOf, createEnvironment, createGroup, createRunningEnvironment, envName, settleRuntime } from '../factories/environments.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { newestMail } from '../support/mail.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const permissionsOf = async (who: Account, environmentId: string): Promise<string[]> => {
  const answer = await t.http.as(who).get(`/api/v1/environments/${environmentId}`);
  return answer.status === 200 ? answer.body.permissions : [];
};

/**
 * The account of the issue: a member with `developer` on the whole account (so env.groups everywhere) and `admin`
 * on a group *sandbox*, and a group *production* with its environment where the account share decides.
 */
async function sandboxAndProduction() {
  const owner = await createOwner(t);
  const sandbox = await createGroup(t, owner, { name: 'sandbox' });
  const production = await createGroup(t, owner, { name: 'production' });
  const prodWeb = await createEnvironment(t, owner, { name: envName('prod-web'), groupId: production.id });
  const loose = await createEnvironment(t, owner, { name: envName('loose') });
  const member = await inviteAndAccept(t, owner);
  await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
  await share(t, owner, member.memberId, { type: 'group', id: sandbox.id }, ['admin']);
  await t.http.as(owner).patch(`/api/v1/collaboration/members/${member.memberId}`, { displayName: 'contractor' });
  return { owner, member, sandbox, production, prodWeb, loose };
}

describe('a member cannot widen access by arranging the account', () => {
  it('a member with env.groups cannot move production under a group where it is admin (regrouping escalation)', async () => {
    const { member, sandbox, production, prodWeb, owner } = await sandboxAndProduction();
    expect(await permissionsOf(member, prodWeb.id)).not.toContain('env.delete');
    await expectNoChange(t, async () => {
      const moved = await t.http.as(member).patch(`/api/v1/groups/${production.id}`, { parentId: sandbox.id });
      expect(moved.status, JSON.stringify(moved.body)).toBe(403);
      expect(moved.body.code).toBe('would_widen_access');
      // The problem names the environment the member sees and what it would gain, not who (it manages nobody).
      expect(moved.body.accessChanges).toContainEqual(expect.objectContaining({ environmentId: prodWeb.id, gained: expect.arrayContaining(['env.delete']) }));
      expect(moved.body.accessChanges.every((change: object) => !('memberId' in change))).toBe(true);
    });
    expect(await permissionsOf(member, prodWeb.id)).not.toContain('env.delete');
    const [refusal] = await auditOf(t, owner.id, 'group.update');
    expect(refusal).toMatchObject({ outcome: 'denied', actorId: member.id, targetId: production.id, details: expect.objectContaining({ code: 'would_widen_access' }) });
  });

  it("a member's dry run of a widening move says the change would be refused, and why", async () => {
    const { member, sandbox, production, prodWeb } = await sandboxAndProduction();
    await expectNoChange(t, async () => {
      const preview = await t.http.as(member).patch(`/api/v1/groups/${production.id}`, { parentId: sandbox.id }, { query: { dryRun: 'true' } });
      expect(preview.status).toBe(200);
      expect(preview.body.accessChanges).toContainEqual(expect.objectContaining({ environmentId: prodWeb.id, gained: expect.arrayContaining(['env.delete']) }));
      expect(preview.body.refusal).toEqual({ code: 'would_widen_access', detail: expect.stringContaining('env.delete') });
    });
  });

  it('a member cannot file an environment into a group where it is admin (filing escalation)', async () => {
    const { member, sandbox, loose } = await sandboxAndProduction();
    await expectNoChange(t, async () => {
      const filed = await t.http.as(member).put(`/api/v1/groups/${sandbox.id}/environments/${loose.id}`);
      expect(filed.status, JSON.stringify(filed.body)).toBe(403);
      expect(filed.body.code).toBe('would_widen_access');
    });
    expect(await permissionsOf(member, loose.id)).not.toContain('env.delete');
  });

  it('the same changes by the owner go through, and their preview names the member by its alias', async () => {
    const { owner, member, sandbox, production, prodWeb } = await sandboxAndProduction();
    const path = `/api/v1/groups/${production.id}`;
    await expectNoChange(t, async () => {
      const preview = await t.http.as(owner).patch(path, { parentId: sandbox.id }, { query: { dryRun: 'true' } });
      expect(preview.status).toBe(200);
      expect(preview.body).toEqual({
        dryRun: true,
        accessChanges: [
          {
            memberId: member.memberId,
            memberLabel: 'contractor',
            environmentId: prodWeb.id,
            environmentName: prodWeb.name,
            gained: ['env.delete', 'billing.view'],
            lost: [],
          },
        ],
        refusal: null,
      });
    });
    const moved = await t.http.as(owner).patch(path, { parentId: sandbox.id });
    expect(moved.status).toBe(200);
    expect(moved.body.parentId).toBe(sandbox.id);
    expect(await permissionsOf(member, prodWeb.id)).toContain('env.delete');
  });

  it('a member may arrange what widens nobody, and a dry run of it changes nothing and shows no gain', async () => {
    const { member, sandbox, loose } = await sandboxAndProduction();
    const inner = await createGroup(t, member, { name: 'inner', parentId: sandbox.id, ownerId: (await ownerOf(member)).id });
    const env = await createEnvironment(t, member, { ownerId: (await ownerOf(member)).id, groupId: inner.id });
    // Taking the environment out of `inner` leaves it in no group: the account's developer share decides, it loses.
    const preview = await t.http.as(member).delete(`/api/v1/groups/${inner.id}/environments/${env.id}`, { query: { dryRun: 'true' } });
    expect(preview.status).toBe(200);
    expect(preview.body.accessChanges).toEqual([expect.objectContaining({ environmentId: env.id, gained: [], lost: expect.arrayContaining(['env.delete']) })]);
    const unfiled = await t.http.as(member).delete(`/api/v1/groups/${inner.id}/environments/${env.id}`);
    expect(unfiled.status).toBe(200);
    expect(await permissionsOf(member, env.id)).not.toContain('env.delete');
    expect(await permissionsOf(member, loose.id)).not.toContain('env.delete');
  });
});

async function ownerOf(member: Member): Promise<{ id: string }> {
  const mine = await t.http.as(member).get('/api/v1/collaborations');
  const [first] = mine.body.items;
  return first.owner;
}

describe('removing or narrowing a share never lets a broader one show through, except by the owner', () => {
  async function managedAccount() {
    const owner = await createOwner(t);
    const env = await createEnvironment(t, owner);
    const manager = await inviteAndAccept(t, owner);
    await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'account' }, ['developer']);
    const narrow = await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);
    return { owner, env, manager, member, narrow };
  }

  it('a manager cannot delete the narrower share: the member would fall back to developer', async () => {
    const { owner, env, manager, member, narrow } = await managedAccount();
    const path = `/api/v1/collaboration/members/${member.memberId}/shares/${narrow}`;
    await expectNoChange(t, async () => {
      const preview = await t.http.as(manager).delete(path, { query: { ownerId: owner.id, dryRun: 'true' } });
      expect(preview.status).toBe(200);
      // A manager reads members: the preview names them.
      expect(preview.body.accessChanges).toEqual([expect.objectContaining({ memberId: member.memberId, environmentId: env.id, gained: expect.arrayContaining(['env.deploy']) })]);
      const refused = await t.http.as(manager).delete(path, { query: { ownerId: owner.id } });
      expect(refused.status).toBe(403);
      expect(refused.body).toMatchObject({ code: 'would_widen_access', accessChanges: [expect.objectContaining({ memberId: member.memberId })] });
    });
    expect(await permissionsOf(member, env.id)).toEqual(['env.view', 'env.logs']);
    expect((await t.http.as(owner).delete(path)).status).toBe(204);
    expect(await permissionsOf(member, env.id)).toContain('env.deploy');
  });

  it('a manager cannot make the narrower share end sooner, but may widen it within its own limits (a grant)', async () => {
    const { owner, env, manager, member, narrow } = await managedAccount();
    const path = `/api/v1/collaboration/members/${member.memberId}/shares/${narrow}`;
    const soon = new Date(t.clock.now().getTime() + HOUR).toISOString();
    const sooner = await t.http.as(manager).patch(path, { expiresAt: soon }, { query: { ownerId: owner.id } });
    expect(sooner.status).toBe(403);
    expect(sooner.body.code).toBe('would_widen_access');
    const wider = await t.http.as(manager).patch(path, { roleIds: ['operator'] }, { query: { ownerId: owner.id } });
    expect(wider.status, JSON.stringify(wider.body)).toBe(200);
    expect(await permissionsOf(member, env.id)).toContain('env.start');
  });
});

describe('deleting what a share points at is a revocation', () => {
  it('deleting a group ends the shares on it and its subgroups: a notice and a mail to each member, an audit event per share', async () => {
    const owner = await createOwner(t);
    const team = await createGroup(t, owner, { name: 'team' });
    const sub = await createGroup(t, owner, { name: 'sub', parentId: team.id });
    const env = await createEnvironment(t, owner, { groupId: sub.id });
    const member = await inviteAndAccept(t, owner);
    const onTeam = await share(t, owner, member.memberId, { type: 'group', id: team.id }, ['operator']);
    const onSub = await share(t, owner, member.memberId, { type: 'group', id: sub.id }, ['viewer']);

    const preview = await t.http.as(owner).delete(`/api/v1/groups/${team.id}`, { query: { recursive: 'true', dryRun: 'true' } });
    expect(preview.status).toBe(200);
    expect(preview.body.accessChanges).toEqual([expect.objectContaining({ environmentId: env.id, gained: [], lost: ['env.view', 'env.logs'] })]);
    expect((await t.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(200);

    expect((await t.http.as(owner).delete(`/api/v1/groups/${team.id}`, { query: { recursive: 'true' } })).status).toBe(204);
    expect((await t.http.as(member).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
    const revoked = (await auditOf(t, owner.id, 'share.delete')).map((event) => event.targetId);
    expect(revoked.sort()).toEqual([onTeam, onSub].sort());
    const notices = (await t.http.as(member).get('/api/v1/notifications')).body.items.filter((n: { type: string }) => n.type === 'share.revoked');
    expect(notices).toHaveLength(2);
    expect(await newestMail(t, member.email, 'share.revoked')).toContain('was deleted');
  });

  it('deleting an environment ends the shares on it with notices, and its preview says who loses what', async () => {
    const owner = await createOwner(t);
    const env = await createRunningEnvironment(t, owner);
    const member = await inviteAndAccept(t, owner);
    const direct = await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['developer']);
    const preview = await t.http.as(owner).delete(`/api/v1/environments/${env.id}`, { query: { dryRun: 'true' } });
    expect(preview.status).toBe(200);
    expect(preview.body.accessChanges).toEqual([expect.objectContaining({ memberId: member.memberId, environmentId: env.id, gained: [] })]);
    expect((await t.http.as(owner).delete(`/api/v1/environments/${env.id}`)).status).toBe(202);
    expect((await auditOf(t, owner.id, 'share.delete')).map((event) => event.targetId)).toEqual([direct]);
    const shares = await t.http.as(owner).get(`/api/v1/collaboration/members/${member.memberId}/shares`);
    expect(shares.body.items).toEqual([]);
    await settleRuntime(t);
  });
});

describe('a clone is a copy of its source', () => {
  it('a member cannot clone an environment into groups where another member holds more than on the source', async () => {
    const owner = await createOwner(t);
    const group = await createGroup(t, owner, { name: 'shared' });
    const source = await createRunningEnvironment(t, owner, { groupId: group.id });
    const cloner = await inviteAndAccept(t, owner);
    await share(t, owner, cloner.memberId, { type: 'group', id: group.id }, ['developer']);
    const other = await inviteAndAccept(t, owner);
    await share(t, owner, other.memberId, { type: 'group', id: group.id }, ['admin']);
    // The other member is held to viewer on the source by a direct share; on a clone, the group's admin would decide.
    await share(t, owner, other.memberId, { type: 'environment', id: source.id }, ['viewer']);
    await expectNoChange(t, async () => {
      const preview = await t.http.as(cloner).post(`/api/v1/environments/${source.id}/clone`, { name: envName('copy') }, { query: { dryRun: 'true' } });
      expect(preview.status).toBe(200);
      expect(preview.body.accessChanges).toContainEqual(expect.objectContaining({ environmentId: expect.any(String), gained: expect.arrayContaining(['env.delete']) }));
      const refused = await t.http.as(cloner).post(`/api/v1/environments/${source.id}/clone`, { name: envName('copy') });
      expect(refused.status).toBe(403);
      expect(refused.body.code).toBe('would_widen_access');
    });
    const byOwner = await t.http.as(owner).post(`/api/v1/environments/${source.id}/clone`, { name: envName('copy') });
    expect(byOwner.status).toBe(201);
    await settleRuntime(t);
  });
});

describe('collaboration.manage is an account-level permission', () => {
  it('admin on one environment grants nothing by it: no manager rights, no other members’ emails, a flag on the share', async () => {
    const owner = await createOwner(t);
    const env = await createEnvironment(t, owner);
    const creator = await inviteAndAccept(t, owner);
    await share(t, owner, creator.memberId, { type: 'account' }, ['developer']);
    const created = await createEnvironment(t, creator, { ownerId: owner.id });
    const admin = await inviteAndAccept(t, owner);
    const shareAnswer = await t.http.as(owner).post(`/api/v1/collaboration/members/${admin.memberId}/shares`, {
      resource: { type: 'environment', id: created.id },
      roleIds: ['admin'],
    });
    expect(shareAnswer.body.ineffectivePermissions).toEqual(['env.create', 'collaboration.manage']);
    const seen = await t.http.as(admin).get(`/api/v1/environments/${created.id}`);
    expect(seen.body.permissions).not.toContain('collaboration.manage');
    expect(seen.body.createdBy).toEqual({ id: creator.id, name: creator.name, label: creator.name });
    const members = await t.http.as(admin).get('/api/v1/collaboration/members', { query: { ownerId: owner.id } });
    expect(members.status).toBe(403);
    expect(members.body.permission).toBe('collaboration.manage');
    expect((await t.http.as(admin).get(`/api/v1/environments/${env.id}`)).status).toBe(404);
  });
});
