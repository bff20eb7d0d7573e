import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groups } from '../../src/db/schema/index.js';
import { MAX_GROUPS_PER_OWNER } from '../../src/environments/groups/tree.js';
import { createPaidOwner, signUpAndIn, verifyEmail } from '../factories.js';
import { createEnvironment, createRunningEnvironment, envName } from '../factories/environments.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    config: { maxEnvironmentsPerAccount: 3, maxCloudletsPerAccount: 12 },
    rateLimits: {
      tokenCreatePerUser: { max: 2, windowSeconds: 3600 },
      environmentCreatePerUser: { max: 4, windowSeconds: 3600 },
      execPerUser: { max: 2, windowSeconds: 60 },
    },
  });
});
afterAll(() => t.close());

const node = (cloudlets: number) => [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets }];

describe('limits', () => {
  it('caps environments per account, also under concurrent creates', async () => {
    const owner = await createPaidOwner(t, 'capped');
    const answers = await Promise.all(
      Array.from({ length: 4 }, () => t.http.as(owner).post('/api/v1/environments', { name: envName(), nodes: node(1) })),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 201, 201, 409]);
    expect(answers.find((answer) => answer.status === 409)?.body).toMatchObject({ code: 'limit_reached', limit: 3 });
  });

  it('caps the cloudlets of an account, on create and on topology changes', async () => {
    const owner = await createPaidOwner(t, 'cloudlets');
    const env = await createRunningEnvironment(t, owner, { nodes: node(8) });
    const over = await t.http.as(owner).post('/api/v1/environments', { name: envName(), nodes: node(5) });
    expect(over.status).toBe(409);
    expect(over.body.code).toBe('limit_reached');
    // Resizing counts the environment's new size, not old plus new.
    expect((await t.http.as(owner).put(`/api/v1/environments/${env.id}/topology`, { nodes: node(12) })).status).toBe(200);
    const grown = await t.http.as(owner).put(`/api/v1/environments/${env.id}/topology`, { nodes: node(13) });
    expect(grown.status).toBe(409);
    expect(grown.body.code).toBe('limit_reached');
  });

  it('keeps the groups limit under concurrent creates', async () => {
    const owner = await createPaidOwner(t, 'groups');
    const now = new Date();
    await t.ctx.db.insert(groups).values(Array.from({ length: MAX_GROUPS_PER_OWNER - 2 }, (_, i) => ({ ownerId: owner.id, name: `g${i}`, createdAt: now })));
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => t.http.as(owner).post('/api/v1/groups', { name: `last ${i}` })));
    expect(answers.filter((answer) => answer.status === 201)).toHaveLength(2);
    expect(answers.filter((answer) => answer.body.code === 'limit_reached')).toHaveLength(4);
  });

  it('rate-limits environment creation, exec and token creation per account', async () => {
    const owner = await createPaidOwner(t, 'rates');
    const first = await createRunningEnvironment(t, owner, { nodes: node(1) });
    const statuses: number[] = [];
    for (let i = 0; i < 2; i++) statuses.push((await t.http.as(owner).post(`/api/v1/environments/${first.id}/exec`, { command: 'uptime' })).status);
    const limited = await t.http.as(owner).post(`/api/v1/environments/${first.id}/exec`, { command: 'uptime' });
    expect(statuses).toEqual([200, 200]);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);

    for (let i = 0; i < 2; i++) expect((await t.http.as(owner).post('/api/v1/tokens', { name: `t${i}` })).status).toBe(201);
    expect((await t.http.as(owner).post('/api/v1/tokens', { name: 'one too many' })).status).toBe(429);

    // Four creates an hour: the fourth passes the rate but meets the cap of three, the fifth meets the rate.
    await createEnvironment(t, owner, { nodes: node(1) });
    await createEnvironment(t, owner, { nodes: node(1) });
    expect((await t.http.as(owner).post('/api/v1/environments', { name: envName(), nodes: node(1) })).body.code).toBe('limit_reached');
    const fifth = await t.http.as(owner).post('/api/v1/environments', { name: envName(), nodes: node(1) });
    expect(fifth.status).toBe(429);
    expect(fifth.body.code).toBe('rate_limited');
  });

  it('pages API tokens, and refuses a cursor that is not ours', async () => {
    const owner = await createPaidOwner(t, 'tokens');
    t.clock.advance(3_600_000);
    for (let i = 0; i < 2; i++) await t.http.as(owner).post('/api/v1/tokens', { name: `page ${i}` });
    const first = await t.http.as(owner).get('/api/v1/tokens', { query: { limit: 1 } });
    expect(first.body.items).toHaveLength(1);
    expect(first.body.nextCursor).toEqual(expect.any(String));
    const second = await t.http.as(owner).get('/api/v1/tokens', { query: { limit: 1, cursor: first.body.nextCursor } });
    expect(second.body.items).toHaveLength(1);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
    expect((await t.http.as(owner).get('/api/v1/tokens', { query: { cursor: 'bm90IG91cnM' } })).status).toBe(400);
  });

  it('refuses a group cursor that names no group of the list', async () => {
    const owner = await createPaidOwner(t, 'cursor');
    const answer = await t.http.as(owner).get('/api/v1/groups', { query: { cursor: 'no-such-group' } });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([{ path: 'cursor', message: 'is not a cursor from this list' }]);
  });

  it('sends invitations only from verified accounts', async () => {
    const account = await signUpAndIn(t, { label: 'unverified' });
    const refused = await t.http.as(account).post('/api/v1/collaboration/members', { email: 'someone@example.test' });
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe('email_unverified');
    await verifyEmail(t, account);
    expect((await t.http.as(account).post('/api/v1/collaboration/members', { email: 'someone@example.test' })).status).toBe(201);
  });
});
