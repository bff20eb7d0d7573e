import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { createOwner } from '../factories.js';
import { createEnvironment, createGroup, settleRuntime } from '../factories/environments.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => t.close());

describe('GET /api/v1/environments/:id', () => {
  it('answers the environment with owner, creator, nodes, groups and the caller\'s permissions', async () => {
    const owner = await createOwner(t);
    const env = await createEnvironment(t, owner, { displayName: 'Blog' });
    await settleRuntime(t);
    const answer = await t.http.as(owner).get(`/api/v1/environments/${env.id}`);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      id: env.id,
      displayName: 'Blog',
      status: 'running',
      statusReason: null,
      owner: { id: owner.id, name: owner.name, email: owner.email },
      createdBy: { id: owner.id, name: owner.name, email: owner.email },
      access: 'owner',
      groups: [],
    });
    expect(answer.body.permissions).toEqual(expect.arrayContaining(['env.view', 'env.start', 'env.exec', 'env.delete']));
    expect(Date.parse(answer.body.createdAt)).not.toBeNaN();
  });

  it('answers the same 404 for a missing id and for another account\'s environment; 401 without a session', async () => {
    const owner = await createOwner(t);
    const stranger = await createOwner(t);
    const env = await createEnvironment(t, owner);
    const theirs = await t.http.as(stranger).get(`/api/v1/environments/${env.id}`);
    const missing = await t.http.as(stranger).get('/api/v1/environments/does-not-exist');
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect({ ...theirs.body }).toEqual({ ...missing.body });
    expect((await t.http.get(`/api/v1/environments/${env.id}`)).status).toBe(401);
    await settleRuntime(t);
  });
});

describe('GET /api/v1/environments', () => {
  it('lists only the caller\'s environments, by name, a page at a time', async () => {
    const owner = await createOwner(t);
    const other = await createOwner(t);
    const suffix = Math.random().toString(36).slice(2, 7);
    for (const name of ['delta', 'alpha', 'charlie', 'bravo', 'echo']) await createEnvironment(t, owner, { name: `${name}-${suffix}` });
    await createEnvironment(t, other, { name: `alpha2-${suffix}` });

    const names: string[] = [];
    let cursor: string | undefined;
    for (let pageNo = 0; pageNo < 5; pageNo++) {
      const answer = await t.http.as(owner).get('/api/v1/environments', { query: { limit: 2, cursor } });
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(2);
      names.push(...answer.body.items.map((item: any) => item.name));
      cursor = answer.body.nextCursor ?? undefined;
      if (!cursor) break;
    }
    expect(names).toEqual(['alpha', 'bravo', 'charlie', 'delta', 'echo'].map((name) => `${name}-${suffix}`));
    const all = await t.http.as(owner).get('/api/v1/environments');
    expect(all.body.nextCursor).toBeNull();
    expect(all.body.items.every((item: any) => item.owner.id === owner.id && item.access === 'owner')).toBe(true);
    await settleRuntime(t);
  });

  it('filters by group, and answers 404 for a group or owner the caller cannot see', async () => {
    const owner = await createOwner(t);
    const stranger = await createOwner(t);
    const group = await createGroup(t, owner);
    const inside = await createEnvironment(t, owner, { groupId: group.id });
    await createEnvironment(t, owner);
    const filtered = await t.http.as(owner).get('/api/v1/environments', { query: { groupId: group.id } });
    expect(filtered.body.items.map((item: any) => item.id)).toEqual([inside.id]);
    const own = await t.http.as(owner).get('/api/v1/environments', { query: { ownerId: owner.id } });
    expect(own.body.items).toHaveLength(2);
    for (const query of [{ groupId: group.id }, { ownerId: owner.id }, { groupId: 'nope' }]) {
      const answer = await t.http.as(stranger).get('/api/v1/environments', { query });
      expect(answer.status, JSON.stringify(query)).toBe(404);
    }
    await settleRuntime(t);
  });

  it('refuses a bad page size and answers 401 without a session', async () => {
    const owner = await createOwner(t);
    for (const limit of [0, 501, 'many']) {
      const answer = await t.http.as(owner).get('/api/v1/environments', { query: { limit } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].path).toBe('querystring.limit');
    }
    expect((await t.http.as(owner).get('/api/v1/environments', { query: { limit: 500 } })).status).toBe(200);
    expect((await t.http.as(owner).get('/api/v1/environments', { query: { colour: 'red' } })).body.errors[0].path).toBe('querystring.colour');
    expect((await t.http.get('/api/v1/environments')).status).toBe(401);
  });
});
