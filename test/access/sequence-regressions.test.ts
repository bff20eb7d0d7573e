/**
 * Counter-examples the sequence test (sequence.test.ts) found, each kept as a named test of its smallest form.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOUR } from '../../src/clock.js';
import { type Account, createOwner, setTrialEnd } from '../factories.js';
import { inviteAndAccept, type Member, share } from '../factories/collaboration.js';
import { createEnvironment, createGroup, type TestEnvironment } from '../factories/environments.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';

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
 * An arranger with env.groups on the whole account (developer), and a sleeper holding viewer on the account and
 * admin on *sandbox*: moving *production* under *sandbox* would give the sleeper env.delete on prod-web once woken.
 */
async function sleeperAccount(): Promise<{ owner: Account; arranger: Member; sleeper: Member; sandbox: { id: string }; production: { id: string }; prodWeb: TestEnvironment }> {
  const owner = await createOwner(t);
  const sandbox = await createGroup(t, owner, { name: 'sandbox' });
  const production = await createGroup(t, owner, { name: 'production' });
  const prodWeb = await createEnvironment(t, owner, { groupId: production.id });
  const arranger = await inviteAndAccept(t, owner);
  await share(t, owner, arranger.memberId, { type: 'account' }, ['developer']);
  const sleeper = await inviteAndAccept(t, owner, { account: await createOwner(t, 'sleeper') });
  await share(t, owner, sleeper.memberId, { type: 'account' }, ['viewer']);
  await share(t, owner, sleeper.memberId, { type: 'group', id: sandbox.id }, ['admin']);
  return { owner, arranger, sleeper, sandbox, production, prodWeb };
}

describe('arranging never widens the access of a member who sleeps', () => {
  it('a member cannot move a group so that a suspended member wakes up with more (dormant regrouping escalation)', async () => {
    const { owner, arranger, sleeper, sandbox, production, prodWeb } = await sleeperAccount();
    expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${sleeper.memberId}/suspend`)).status).toBe(200);
    await expectNoChange(t, async () => {
      const moved = await t.http.as(arranger).patch(`/api/v1/groups/${production.id}`, { parentId: sandbox.id });
      expect(moved.status, JSON.stringify(moved.body)).toBe(403);
      expect(moved.body.code).toBe('would_widen_access');
    });
    expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${sleeper.memberId}/activate`)).status).toBe(200);
    expect(await permissionsOf(sleeper, prodWeb.id)).toEqual(['env.view', 'env.logs']);
  });

  it('a member cannot file an environment so that a member whose trial ended gets more once it is extended (dormant filing escalation)', async () => {
    const { arranger, sleeper, sandbox, prodWeb } = await sleeperAccount();
    await setTrialEnd(t, sleeper, t.clock.now());
    await expectNoChange(t, async () => {
      const filed = await t.http.as(arranger).put(`/api/v1/groups/${sandbox.id}/environments/${prodWeb.id}`);
      expect(filed.status, JSON.stringify(filed.body)).toBe(403);
      expect(filed.body.code).toBe('would_widen_access');
    });
    await setTrialEnd(t, sleeper, new Date(t.clock.now().getTime() + 24 * HOUR));
    expect(await permissionsOf(sleeper, prodWeb.id)).toEqual(['env.view', 'env.logs']);
  });

  it('the owner may still arrange so, and its preview names the sleeping member', async () => {
    const { owner, sleeper, sandbox, production, prodWeb } = await sleeperAccount();
    expect((await t.http.as(owner).post(`/api/v1/collaboration/members/${sleeper.memberId}/suspend`)).status).toBe(200);
    const preview = await t.http.as(owner).patch(`/api/v1/groups/${production.id}`, { parentId: sandbox.id }, { query: { dryRun: 'true' } });
    expect(preview.status).toBe(200);
    expect(preview.body.accessChanges).toContainEqual(expect.objectContaining({ memberId: sleeper.memberId, environmentId: prodWeb.id, gained: expect.arrayContaining(['env.delete']) }));
    expect((await t.http.as(owner).patch(`/api/v1/groups/${production.id}`, { parentId: sandbox.id })).status).toBe(200);
  });
});
