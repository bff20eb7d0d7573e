import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { expectNoChange } from '../support/db-state.js';
import { createAdmin, signIn, signUpAndIn } from '../factories.js';
import { DAY } from '../../src/clock.js';
import { ensureAdmin } from '../../src/accounts/admin.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('platform admin', () => {
  it('finds users by email, converts accounts and moves trial ends', async () => {
    let admin = await createAdmin(t);
    let user = await signUpAndIn(t, { label: 'findme' });
    const found = await t.http.as(admin).get('/api/v1/admin/users', { query: { email: user.email.slice(0, 12).toUpperCase() } });
    expect(found.status).toBe(200);
    expect(found.body.items.map((u: { id: string }) => u.id)).toContain(user.id);

    t.clock.advance(15 * DAY);
    // Sessions go idle over such jumps; sign in again.
    user = await signIn(t, user.email);
    admin = await signIn(t, admin.email);
    expect((await t.http.as(user).get('/api/v1/me')).body.trialExpired).toBe(true);
    const extended = await t.http.as(admin).post(`/api/v1/admin/users/${user.id}/trial`, {
      endsAt: new Date(t.clock.now().getTime() + 7 * DAY).toISOString(),
    });
    expect(extended.status).toBe(200);
    expect(extended.body).toMatchObject({ type: 'trial', trialExpired: false });
    expect((await t.http.as(user).get('/api/v1/me')).body.trialExpired).toBe(false);

    const converted = await t.http.as(admin).post(`/api/v1/admin/users/${user.id}/convert`, { type: 'collaborator' });
    expect(converted.status).toBe(200);
    expect(converted.body).toMatchObject({ type: 'collaborator', trialEndsAt: null, trialExpired: false });
    t.clock.advance(365 * DAY);
    // Sessions go idle over such jumps; sign in again.
    user = await signIn(t, user.email);
    admin = await signIn(t, admin.email);
    expect((await t.http.as(user).get('/api/v1/me')).body).toMatchObject({ type: 'collaborator', trialExpired: false });

    const paid = await t.http.as(admin).post(`/api/v1/admin/users/${user.id}/convert`, { type: 'paid' });
    expect(paid.body.type).toBe('paid');
  });

  it('refuses non-admins, anonymous callers, bad input and unknown users, changing nothing', async () => {
    const admin = await createAdmin(t);
    const user = await signUpAndIn(t);
    await expectNoChange(t, async () => {
      expect((await t.http.as(user).get('/api/v1/admin/users')).status).toBe(403);
      expect((await t.http.as(user).post(`/api/v1/admin/users/${user.id}/convert`, { type: 'paid' })).status).toBe(403);
      expect((await t.http.post(`/api/v1/admin/users/${user.id}/convert`, { type: 'paid' })).status).toBe(401);
      const bad = await t.http.as(admin).post(`/api/v1/admin/users/${user.id}/convert`, { type: 'trial' });
      expect(bad.status).toBe(400);
      expect(bad.body.errors[0].path).toBe('type');
      const badDate = await t.http.as(admin).post(`/api/v1/admin/users/${user.id}/trial`, { endsAt: 'next tuesday' });
      expect(badDate.body.errors[0].path).toBe('endsAt');
      expect((await t.http.as(admin).post('/api/v1/admin/users/nope/convert', { type: 'paid' })).status).toBe(404);
    });
  });

  it('ensuring the admin twice keeps one account', async () => {
    const admin = await createAdmin(t);
    await ensureAdmin({ ...t.ctx, config: { ...t.ctx.config, adminEmail: admin.email, adminPassword: 'ignored password' } });
    const found = await t.http.as(admin).get('/api/v1/admin/users', { query: { email: admin.email } });
    expect(found.body.items).toHaveLength(1);
    expect(found.body.items[0].isAdmin).toBe(true);
  });
});
