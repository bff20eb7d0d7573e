import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { signUpAndIn } from '../factories.js';
import { HOUR, MINUTE } from '../../src/clock.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('API tokens', () => {
  it('shows the secret once, lists tokens without it, records last use, and stops working when revoked', async () => {
    const account = await signUpAndIn(t);
    const created = await t.http.as(account).post('/api/v1/tokens', { name: 'deploy bot' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'deploy bot', lastUsedAt: null, scope: null });
    // No expiry asked: 90 days.
    expect(created.body.expiresAt).toBe(new Date(t.clock.now().getTime() + 90 * 24 * HOUR).toISOString());
    expect(created.body.token).toMatch(/^sp_pat_[A-Za-z0-9]{36}$/);

    const stored = await t.ctx.db.query.apiTokens.findMany();
    expect(stored.some((row) => row.tokenHash === created.body.token)).toBe(false);

    t.clock.advance(2 * MINUTE);
    const me = await t.http.as(created.body.token).get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.id).toBe(account.id);

    const list = await t.http.as(account).get('/api/v1/tokens');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0].token).toBeUndefined();
    expect(list.body.items[0].lastUsedAt).toBe(t.clock.now().toISOString());
    expect(list.body.items[0].lastUsedIp).toBe('127.0.0.1');

    expect((await t.http.as(account).delete(`/api/v1/tokens/${created.body.id}`)).status).toBe(204);
    expect((await t.http.as(created.body.token).get('/api/v1/me')).status).toBe(401);
    expect((await t.http.as(account).get('/api/v1/tokens')).body.items).toHaveLength(0);
  });

  it('an expiring token stops working at its expiry', async () => {
    const account = await signUpAndIn(t);
    const expiresAt = new Date(t.clock.now().getTime() + HOUR).toISOString();
    const created = await t.http.as(account).post('/api/v1/tokens', { name: 'short', expiresAt });
    expect(created.status).toBe(201);
    expect((await t.http.as(created.body.token).get('/api/v1/me')).status).toBe(200);
    t.clock.advance(HOUR);
    expect((await t.http.as(created.body.token).get('/api/v1/me')).status).toBe(401);
  });

  it('refuses bad input and another account’s token, changing nothing', async () => {
    const owner = await signUpAndIn(t);
    const stranger = await signUpAndIn(t);
    const token = await t.http.as(owner).post('/api/v1/tokens', { name: 'mine' });
    await expectNoChange(t, async () => {
      const past = await t.http.as(owner).post('/api/v1/tokens', { name: 'x', expiresAt: '2001-01-01T00:00:00Z' });
      expect(past.status).toBe(400);
      expect(past.body.errors[0].path).toBe('expiresAt');
      const empty = await t.http.as(owner).post('/api/v1/tokens', { name: '' });
      expect(empty.body.errors[0].path).toBe('name');
      const extra = await t.http.as(owner).post('/api/v1/tokens', { name: 'x', scopes: ['all'] });
      const unknownPermission = await t.http.as(owner).post('/api/v1/tokens', { name: 'x', scope: { ownerId: owner.id, resources: [{ type: 'account' }], permissions: ['env.fly'] } });
      expect(unknownPermission.status).toBe(400);
      const noResources = await t.http.as(owner).post('/api/v1/tokens', { name: 'x', scope: { ownerId: owner.id, resources: [], permissions: ['env.view'] } });
      expect(noResources.status).toBe(400);
      const strangersAccount = await t.http.as(owner).post('/api/v1/tokens', { name: 'x', scope: { ownerId: stranger.id, resources: [{ type: 'account' }], permissions: ['env.view'] } });
      expect(strangersAccount.status).toBe(404);
      expect(extra.status).toBe(400);
      expect(extra.body.errors[0]).toEqual({ path: 'scopes', message: 'unknown field' });
      const foreign = await t.http.as(stranger).delete(`/api/v1/tokens/${token.body.id}`);
      expect(foreign.status).toBe(404);
      expect((await t.http.delete(`/api/v1/tokens/${token.body.id}`)).status).toBe(401);
    });
    expect((await t.http.as(token.body.token).get('/api/v1/me')).status).toBe(200);
  });
});
