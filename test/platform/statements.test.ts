/**
 * Statements per authorized read, counted at the driver: reading one environment takes the session's statement and
 * one more (the row, its presentation and the caller's collaboration version), for the owner and, once its access
 * snapshot is cached, for a collaborator. Every change to what that snapshot holds (a share, a role, the group tree,
 * the membership) moves the version, so the very next read decides on the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOwner } from '../factories.js';
import { createRole, endMembership, inviteAndAccept, share } from '../factories/collaboration.js';
import { createEnvironment, createGroup } from '../factories/environments.js';
import type { Account } from '../factories.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { countQueries, type QueryCounter } from '../support/statements.js';
import { usageWritesSettled } from '../../src/http/authorize/usage.js';

let t: TestApp;
let counter: QueryCounter;
beforeAll(async () => {
  t = await startTestApp({ workers: false });
  counter = countQueries();
});
afterAll(async () => t.close());

/** GETs `path` as `who`; answers the status and the statements the request sent. */
async function counted(who: Account, path: string): Promise<{ status: number; statements: number }> {
  // A request's last-use write (at most one an hour per share and member) runs after its answer: not its cost.
  await usageWritesSettled(t.ctx);
  const before = counter.count;
  const answer = await t.http.as(who).get(path);
  return { status: answer.status, statements: counter.count - before };
}

describe('statements per authorized read', () => {
  it('the owner reads an environment in two statements', async () => {
    const owner = await createOwner(t);
    const group = await createGroup(t, owner);
    const env = await createEnvironment(t, owner, { groupId: group.id });
    await counted(owner, `/api/v1/environments/${env.id}`);
    const read = await counted(owner, `/api/v1/environments/${env.id}`);
    expect(read).toEqual({ status: 200, statements: 2 });
  });

  it('a collaborator reads an environment in two statements once its access is cached, and every change is seen on the next read', async () => {
    const owner = await createOwner(t);
    const parent = await createGroup(t, owner, { name: 'parent' });
    const child = await createGroup(t, owner, { name: 'child', parentId: parent.id });
    const elsewhere = await createGroup(t, owner, { name: 'elsewhere' });
    const env = await createEnvironment(t, owner, { groupId: child.id });
    const member = await inviteAndAccept(t, owner);
    const role = await createRole(t, owner, ['env.view', 'env.start']);
    const shareId = await share(t, owner, member.memberId, { type: 'group', id: parent.id }, [role]);
    const path = `/api/v1/environments/${env.id}`;

    await counted(member, path);
    expect(await counted(member, path)).toEqual({ status: 200, statements: 2 });

    // A role edit: the role no longer grants anything on environments.
    expect((await t.http.as(owner).patch(`/api/v1/roles/${role}`, { name: 'Accountant', permissions: ['billing.view'] })).status).toBe(200);
    expect((await counted(member, path)).status).toBe(404);
    expect((await t.http.as(owner).patch(`/api/v1/roles/${role}`, { name: 'Starter', permissions: ['env.start'] })).status).toBe(200);
    expect((await counted(member, path)).status).toBe(200);

    // A group move: the environment's group leaves the shared parent.
    expect((await t.http.as(owner).patch(`/api/v1/groups/${child.id}`, { parentId: elsewhere.id })).status).toBe(200);
    expect((await counted(member, path)).status).toBe(404);
    expect((await t.http.as(owner).patch(`/api/v1/groups/${child.id}`, { parentId: parent.id })).status).toBe(200);
    expect((await counted(member, path)).status).toBe(200);

    // A new group under the shared one, and the environment filed into it only: still visible through the parent.
    const fresh = await createGroup(t, owner, { name: 'fresh', parentId: parent.id });
    const listed = await t.http.as(member).get('/api/v1/groups', { query: { ownerId: owner.id } });
    expect(listed.body.items.map((group: { id: string }) => group.id)).toContain(fresh.id);
    expect((await t.http.as(owner).put(`/api/v1/groups/${fresh.id}/environments/${env.id}`)).status).toBe(200);
    expect((await t.http.as(owner).delete(`/api/v1/groups/${child.id}/environments/${env.id}`)).status).toBe(200);
    expect((await counted(member, path)).status).toBe(200);
    expect(await counted(member, path)).toEqual({ status: 200, statements: 2 });

    // The share removed, then the membership suspended: each holds on the very next read.
    expect((await t.http.as(owner).delete(`/api/v1/collaboration/members/${member.memberId}/shares/${shareId}`)).status).toBe(204);
    expect((await counted(member, path)).status).toBe(404);
    await share(t, owner, member.memberId, { type: 'environment', id: env.id }, ['viewer']);
    expect((await counted(member, path)).status).toBe(200);
    await endMembership(t, 'suspend', owner, member, member.memberId);
    expect((await counted(member, path)).status).toBe(404);
  });
});
