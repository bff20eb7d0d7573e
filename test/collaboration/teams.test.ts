import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY } from '../../src/clock.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { newestMail } from '../support/mail.js';
import { type Account, createPaidOwner } from '../factories.js';
import { createRole, createTeam, endMembership, invite, inviteAndAccept, share, shareWithTeam } from '../factories/collaboration.js';
import { auditOf, createGroup, createRunningEnvironment } from '../factories/environments.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ config: { sessionIdleSeconds: 365 * 24 * 3600, sessionMaxSeconds: 365 * 24 * 3600 } });
});
afterAll(() => t.close());

/** An owner with a group holding one running environment. */
async function account() {
  const owner = await createPaidOwner(t);
  const group = await createGroup(t, owner);
  const env = await createRunningEnvironment(t, owner, { groupId: group.id });
  return { owner, group, env };
}

const sees = async (who: Account, envId: string) => (await t.http.as(who).get(`/api/v1/environments/${envId}`)).status;
const restart = async (who: Account, envId: string) => (await t.http.as(who).post(`/api/v1/environments/${envId}/restart`)).status;
const notices = async (who: Account, type: string) => (await t.http.as(who).get('/api/v1/notifications')).body.items.filter((n: { type: string }) => n.type === type);

describe('teams', () => {
  it('a team shared on a group gives its members access, says so in explain, and takes it back when a member leaves the team', async () => {
    const { owner, group, env } = await account();
    const member = await inviteAndAccept(t, owner);
    const outsider = await inviteAndAccept(t, owner);
    const teamId = await createTeam(t, owner, [member.memberId], 'Contractors');
    expect(await sees(member, env.id)).toBe(404);
    const shareId = await shareWithTeam(t, owner, teamId, { type: 'group', id: group.id }, ['viewer']);

    expect(await sees(member, env.id)).toBe(200);
    expect(await sees(outsider, env.id)).toBe(404);
    const listed = await t.http.as(member).get('/api/v1/environments', { query: { ownerId: owner.id } });
    expect(listed.body.items.map((e: { id: string }) => e.id)).toContain(env.id);
    const explained = await t.http.as(owner).get('/api/v1/access/explain', { query: { memberId: member.memberId, environmentId: env.id } });
    expect(explained.body).toMatchObject({ allowed: true, level: 'group', via: [{ shareId, team: { id: teamId, name: 'Contractors' } }] });
    expect((await notices(member, 'share.granted'))[0].title).toContain('through the team Contractors');
    expect(await newestMail(t, member.email, 'share.granted')).toContain('through the team Contractors');

    const removed = await t.http.as(owner).delete(`/api/v1/collaboration/teams/${teamId}/members/${member.memberId}`);
    expect(removed.status, JSON.stringify(removed.body)).toBe(204);
    expect(await sees(member, env.id)).toBe(404);
    expect((await notices(member, 'team.left'))[0].title).toContain('took you out of the team Contractors');
    expect((await auditOf(t, owner.id, 'team.member_remove')).map((e) => e.targetId)).toEqual([teamId]);
  });

  it("counts a member's own shares and its teams' together at each level, and keeps the precedence of levels", async () => {
    const { owner, group, env } = await account();
    const member = await inviteAndAccept(t, owner);
    await share(t, owner, member.memberId, { type: 'group', id: group.id }, ['viewer']);
    const teamId = await createTeam(t, owner, [member.memberId]);
    await shareWithTeam(t, owner, teamId, { type: 'group', id: group.id }, ['operator']);
    expect(await restart(member, env.id)).toBe(202);

    // A share on the environment itself decides before any group share, whoever holds it.
    await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);
    expect(await restart(member, env.id)).toBe(403);
    const explained = await t.http.as(owner).get('/api/v1/access/explain', { query: { memberId: member.memberId, environmentId: env.id } });
    expect(explained.body).toMatchObject({ level: 'direct', via: [{ team: null }] });
  });

  it('gives a suspended member nothing through its teams, and gives it back on re-activation', async () => {
    const { owner, env } = await account();
    const member = await inviteAndAccept(t, owner);
    const teamId = await createTeam(t, owner, [member.memberId]);
    await shareWithTeam(t, owner, teamId, { type: 'account' }, ['viewer']);
    expect(await sees(member, env.id)).toBe(200);
    await endMembership(t, 'suspend', owner, member, member.memberId);
    expect(await sees(member, env.id)).toBe(404);
    expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/activate`)).status).toBe(200);
    expect(await sees(member, env.id)).toBe(200);
  });

  it('leaving the account leaves its teams: invited again, the member starts with nothing', async () => {
    const { owner, env } = await account();
    const member = await inviteAndAccept(t, owner);
    const teamId = await createTeam(t, owner, [member.memberId]);
    await shareWithTeam(t, owner, teamId, { type: 'account' }, ['viewer']);
    await endMembership(t, 'leave', owner, member, member.memberId);
    const again = await invite(t, owner, { email: member.email });
    expect((await t.http.as(member).post(`/api/v1/invitations/${again.token}/accept`)).status).toBe(200);
    expect(await sees(member, env.id)).toBe(404);
    expect((await t.http.as(owner).get(`/api/v1/collaboration/teams/${teamId}`)).body.members).toEqual([]);
  });

  it('deleting a team ends its shares, tells its members and audits each share; the members stay', async () => {
    const { owner, group, env } = await account();
    const member = await inviteAndAccept(t, owner);
    const teamId = await createTeam(t, owner, [member.memberId], 'Agency');
    const shareId = await shareWithTeam(t, owner, teamId, { type: 'group', id: group.id }, ['viewer']);
    expect((await t.http.as(owner).delete(`/api/v1/collaboration/teams/${teamId}`)).status).toBe(204);
    expect(await sees(member, env.id)).toBe(404);
    expect((await notices(member, 'team.left'))[0].title).toContain('deleted the team Agency');
    expect(await newestMail(t, member.email, 'team.left')).toContain('deleted the team Agency');
    expect((await auditOf(t, owner.id, 'share.delete')).map((e) => e.targetId)).toContain(shareId);
    expect((await auditOf(t, owner.id, 'team.delete')).map((e) => e.targetId)).toEqual([teamId]);
    expect((await t.http.as(owner).get(`/api/v1/collaboration/teams/${teamId}`)).status).toBe(404);
    expect((await t.http.as(owner).get(`/api/v1/collaboration/members/${member.memberId}`)).status).toBe(200);
  });

  it("deleting a group a team is shared on revokes the team's share, telling each member", async () => {
    const { owner, group } = await account();
    const member = await inviteAndAccept(t, owner);
    const teamId = await createTeam(t, owner, [member.memberId]);
    await shareWithTeam(t, owner, teamId, { type: 'group', id: group.id }, ['viewer']);
    expect((await t.http.as(owner).delete(`/api/v1/groups/${group.id}`)).status).toBe(204);
    expect((await t.http.as(owner).get(`/api/v1/collaboration/teams/${teamId}/shares`)).body.items).toEqual([]);
    expect((await notices(member, 'share.revoked'))[0].body).toContain('was deleted');
  });

  it('previews deleting a team share as the access changes of each member, changing nothing', async () => {
    const { owner, env } = await account();
    const [first, second] = [await inviteAndAccept(t, owner), await inviteAndAccept(t, owner)];
    const teamId = await createTeam(t, owner, [first.memberId, second.memberId]);
    const shareId = await shareWithTeam(t, owner, teamId, { type: 'environment', id: env.id }, ['viewer']);
    const preview = await t.http.as(owner).delete(`/api/v1/collaboration/teams/${teamId}/shares/${shareId}`, { query: { dryRun: 'true' } });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.accessChanges.map((c: { memberId: string }) => c.memberId).sort()).toEqual([first.memberId, second.memberId].sort());
    expect(await sees(first, env.id)).toBe(200);
  });

  it('lists a team share nobody used on the review page', async () => {
    const { owner, group } = await account();
    const member = await inviteAndAccept(t, owner);
    const teamId = await createTeam(t, owner, [member.memberId], 'Night shift');
    const shareId = await shareWithTeam(t, owner, teamId, { type: 'group', id: group.id }, ['viewer']);
    t.clock.advance(31 * DAY);
    const review = await t.http.as(owner).get('/api/v1/collaboration/review');
    expect(review.status, JSON.stringify(review.body)).toBe(200);
    expect(review.body.unusedShares.find((s: { id: string }) => s.id === shareId)).toMatchObject({ teamId, memberId: null, memberLabel: 'Team Night shift' });
    expect(review.body.idleMembers.map((m: { memberId: string }) => m.memberId)).toContain(member.memberId);
  });
});

describe('team rules', () => {
  it('refuses a team share or a role change that would let a team manage the account', async () => {
    const { owner } = await account();
    const teamId = await createTeam(t, owner);
    const refused = await t.http.as(owner).post(`/api/v1/collaboration/teams/${teamId}/shares`, { resource: { type: 'account' }, roleIds: ['admin'] });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'team_share_cannot_manage', errors: [{ path: 'roleIds' }] });
    const role = await createRole(t, owner, ['env.view']);
    await shareWithTeam(t, owner, teamId, { type: 'account' }, [role]);
    const widened = await t.http.as(owner).patch(`/api/v1/roles/${role}`, { permissions: ['env.view', 'collaboration.manage'] });
    expect(widened.status).toBe(400);
    expect(widened.body.code).toBe('team_share_cannot_manage');
  });

  it('keeps names and external ids unique in an account, and only active members join', async () => {
    const { owner } = await account();
    await createTeam(t, owner, [], 'Ops');
    const twice = await t.http.as(owner).post('/api/v1/collaboration/teams', { name: 'ops' });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ code: 'team_name_taken', errors: [{ path: 'name' }] });
    expect((await t.http.as(owner).post('/api/v1/collaboration/teams', { name: 'Dev', externalId: 'grp-1' })).status).toBe(201);
    const sameExternal = await t.http.as(owner).post('/api/v1/collaboration/teams', { name: 'Dev 2', externalId: 'grp-1' });
    expect(sameExternal.body).toMatchObject({ status: 409, code: 'team_external_id_taken', errors: [{ path: 'externalId' }] });
    const other = await createPaidOwner(t);
    expect((await t.http.as(other).post('/api/v1/collaboration/teams', { name: 'Ops', externalId: 'grp-1' })).status).toBe(201);

    const pending = await invite(t, owner);
    const teamId = await createTeam(t, owner);
    const refused = await t.http.as(owner).put(`/api/v1/collaboration/teams/${teamId}/members/${pending.memberId}`);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('invalid_state');
    expect((await t.http.as(owner).post('/api/v1/collaboration/teams', { name: 'x', unknown: 1 })).status).toBe(400);
  });

  it("is the owner's alone: a manager gets 403, a plain member 403, a stranger and another owner's team 404", async () => {
    const { owner } = await account();
    const teamId = await createTeam(t, owner);
    const manager = await inviteAndAccept(t, owner);
    await share(t, owner, manager.memberId, { type: 'account' }, ['admin']);
    const plain = await inviteAndAccept(t, owner);
    await share(t, owner, plain.memberId, { type: 'account' }, ['viewer']);
    const stranger = await createPaidOwner(t);
    const query = { ownerId: owner.id };
    expect((await t.http.as(manager).get('/api/v1/collaboration/teams', { query })).status).toBe(403);
    expect((await t.http.as(manager).post(`/api/v1/collaboration/teams/${teamId}/shares`, { resource: { type: 'account' }, roleIds: ['viewer'] }, { query })).status).toBe(403);
    expect((await t.http.as(plain).get('/api/v1/collaboration/teams', { query })).status).toBe(403);
    expect((await t.http.as(stranger).get('/api/v1/collaboration/teams', { query })).status).toBe(404);
    expect((await t.http.as(stranger).get(`/api/v1/collaboration/teams/${teamId}`)).status).toBe(404);
    const theirs = await createTeam(t, stranger);
    expect((await t.http.as(owner).get(`/api/v1/collaboration/teams/${theirs}`)).status).toBe(404);
    expect((await t.http.as(owner).put(`/api/v1/collaboration/teams/${theirs}/members/${plain.memberId}`)).status).toBe(404);
  });

  it('lists teams a page at a time with their members, and renames them', async () => {
    const { owner } = await account();
    const member = await inviteAndAccept(t, owner);
    const ids: string[] = [];
    for (const [name, members] of [['A', [member.memberId]], ['B', []], ['C', []]] as const) {
      ids.push(await createTeam(t, owner, [...members], name));
      t.clock.advance(1000);
    }
    const first = await t.http.as(owner).get('/api/v1/collaboration/teams', { query: { limit: '2' } });
    expect(first.body.items.map((team: { id: string }) => team.id)).toEqual(ids.slice(0, 2));
    expect(first.body.items[0].members).toMatchObject([{ memberId: member.memberId, status: 'active', user: { id: member.id } }]);
    const second = await t.http.as(owner).get('/api/v1/collaboration/teams', { query: { limit: '2', cursor: first.body.nextCursor } });
    expect(second.body).toMatchObject({ items: [{ id: ids[2] }], nextCursor: null });
    const renamed = await t.http.as(owner).patch(`/api/v1/collaboration/teams/${ids[1]}`, { name: 'Bee', externalId: 'dir-7' });
    expect(renamed.body).toMatchObject({ name: 'Bee', externalId: 'dir-7' });
    expect((await auditOf(t, owner.id, 'team.update')).map((e) => e.targetId)).toEqual([ids[1]]);
  });
});
