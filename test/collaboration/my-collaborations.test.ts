import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createOwner } from '../factories.js';
import { inviteAndAccept, share } from '../factories/collaboration.js';
import { createGroup } from '../factories/environments.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const mine = async (member: { token: string }, ownerId: string) => {
  const answer = await t.http.as(member.token).get('/api/v1/collaborations');
  expect(answer.status).toBe(200);
  return answer.body.items.find((item: { owner: { id: string } }) => item.owner.id === ownerId);
};

describe("a member's list of collaborations", () => {
  it("says what the member may do in each owner's account, and whether it may create environments there", async () => {
    const owner = await createOwner(t);
    const member = await inviteAndAccept(t, owner);
    expect(await mine(member, owner.id)).toMatchObject({ status: 'active', permissions: [], canCreateEnvironments: false });

    const group = await createGroup(t, owner);
    const groupShare = await share(t, owner, member.memberId, { type: 'group', id: group.id }, ['developer']);
    // env.create on a group only: nothing at the account level, but creating is possible (in that group).
    expect(await mine(member, owner.id)).toMatchObject({ permissions: [], canCreateEnvironments: true });

    await t.http.as(owner).delete(`/api/v1/collaboration/members/${member.memberId}/shares/${groupShare}`);
    await share(t, owner, member.memberId, { type: 'account' }, ['operator']);
    const operator = await mine(member, owner.id);
    expect(operator.permissions).toEqual(['env.view', 'env.start', 'env.stop', 'env.restart', 'env.logs']);
    expect(operator.canCreateEnvironments).toBe(false);

    await t.http.as(owner).post(`/api/v1/collaboration/members/${member.memberId}/suspend`);
    expect(await mine(member, owner.id)).toMatchObject({ status: 'suspended', permissions: [], canCreateEnvironments: false });
  });
});
