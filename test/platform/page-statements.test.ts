/**
 * Statements per page of a list that decides access per row, counted at the driver: a page of a member's
 * collaborations (each decided in its owner's account) and a page of who can reach an environment (each member
 * decided) take as many statements for one row as for many, cold or with the access snapshots cached.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Account, createOwner } from '../factories.js';
import { createRole, inviteAndAccept, share } from '../factories/collaboration.js';
import { createEnvironment, createGroup } from '../factories/environments.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { countQueries, type QueryCounter } from '../support/statements.js';

let t: TestApp;
let counter: QueryCounter;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
  counter = countQueries();
});
afterAll(async () => t.close());

/** GETs `path` as `who`; answers the body and the statements the request sent. */
async function counted(who: Account, path: string, query: Record<string, string> = {}) {
  const before = counter.count;
  const answer = await t.http.as(who).get(path, { query });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return { body: answer.body, statements: counter.count - before };
}

/** An owner who shares a group, an environment (with a custom role) and the account with `member`. */
async function collaborateWith(member: Account) {
  const owner = await createOwner(t);
  const group = await createGroup(t, owner, { name: 'Shop' });
  const env = await createEnvironment(t, owner, { displayName: 'Shop web' });
  const role = await createRole(t, owner, ['env.view', 'env.logs']);
  const { memberId } = await inviteAndAccept(t, owner, { account: member });
  await share(t, owner, memberId, { type: 'group', id: group.id }, ['developer']);
  await share(t, owner, memberId, { type: 'environment', id: env.id }, [role]);
  await share(t, owner, memberId, { type: 'account' }, ['viewer']);
  return { owner, group, env, role };
}

describe('statements per page', () => {
  it("a member's collaborations: the same for one row as for five, each row decided and named", async () => {
    const one = await createOwner(t, 'member');
    const five = await createOwner(t, 'member');
    await collaborateWith(one);
    const accounts = [];
    for (let i = 0; i < 5; i += 1) accounts.push(await collaborateWith(five));

    const cold = [await counted(one, '/api/v1/collaborations'), await counted(five, '/api/v1/collaborations')];
    expect(cold.map((read) => read.body.items.length)).toEqual([1, 5]);
    expect(cold[1]?.statements).toBe(cold[0]?.statements);
    const warm = [await counted(one, '/api/v1/collaborations'), await counted(five, '/api/v1/collaborations')];
    expect(warm[1]?.statements).toBe(warm[0]?.statements);
    expect(warm[1]?.body).toEqual(cold[1]?.body);

    for (const { owner, group, env, role } of accounts) {
      const item = cold[1]?.body.items.find((row: { owner: { id: string } }) => row.owner.id === owner.id);
      expect(item).toMatchObject({ status: 'active', permissions: ['env.view', 'env.logs'], canCreateEnvironments: true });
      expect(item.shares).toHaveLength(3);
      expect(item.shares).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ resource: { type: 'group', id: group.id, name: group.name }, roles: [{ id: 'developer', name: 'Developer' }] }),
          expect.objectContaining({ resource: { type: 'environment', id: env.id, name: env.name }, roles: [{ id: role, name: expect.stringMatching(/^Role /) }] }),
          expect.objectContaining({ resource: { type: 'account' }, roles: [{ id: 'viewer', name: 'Viewer' }] }),
        ]),
      );
    }
  });

  it("who can reach an environment: one page of members is read, in the same statements for 2 members as for 8", async () => {
    const small = await createOwner(t);
    const large = await createOwner(t);
    const worlds = [];
    for (const [owner, count] of [
      [small, 2],
      [large, 8],
    ] as const) {
      const env = await createEnvironment(t, owner);
      for (let i = 0; i < count; i += 1) {
        const member = await inviteAndAccept(t, owner);
        await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['operator']);
      }
      worlds.push({ owner, env });
    }
    const pages = [];
    for (const { owner, env } of worlds) pages.push(await counted(owner, `/api/v1/environments/${env.id}/access`, { limit: '2' }));
    expect(pages.map((read) => read.body.items.length)).toEqual([2, 2]);
    expect(pages[0]?.body.nextCursor).toBeNull();
    expect(pages[1]?.body.nextCursor).toEqual(expect.any(String));
    expect(pages[1]?.statements).toBe(pages[0]?.statements);
  });

  it("a collaborator's environment list: the same for one environment as for five, each presented with its row", async () => {
    const counts = [];
    for (const count of [1, 5]) {
      const owner = await createOwner(t);
      const group = await createGroup(t, owner);
      const member = await inviteAndAccept(t, owner);
      await share(t, owner, member.memberId, { type: 'group', id: group.id }, ['operator']);
      for (let i = 0; i < count; i += 1) await createEnvironment(t, owner, { groupId: group.id });
      await counted(member, '/api/v1/environments');
      const read = await counted(member, '/api/v1/environments');
      expect(read.body.items).toHaveLength(count);
      expect(read.body.items[0]).toMatchObject({ owner: { id: owner.id }, groups: [{ id: group.id, name: group.name }], heldThrough: [expect.objectContaining({ roles: [{ id: 'operator', name: 'Operator' }] })] });
      counts.push(read.statements);
    }
    expect(counts[1]).toBe(counts[0]);
    // The session, the reachable owners, the collaboration's version, the page of rows with their presentation.
    expect(counts[0]).toBeLessThanOrEqual(4);
  });
});
