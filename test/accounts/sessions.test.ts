import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { PASSWORD, signIn, signUpAndIn } from '../factories.js';
import { HOUR, DAY } from '../../src/clock.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

function cookiesOf(setCookie: string | string[] | number | undefined): Record<string, string> {
  const list = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [String(setCookie)];
  return Object.fromEntries(list.map((line) => line.split(';')[0]?.split('=') as [string, string]));
}

describe('sessions', () => {
  it('sign-in sets an HttpOnly SameSite=Lax session cookie and answers a fresh token every time', async () => {
    const account = await signUpAndIn(t);
    const login = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body.token).toMatch(/^sps_[A-Za-z0-9_-]{43}$/);
    expect(login.body.token).not.toBe(account.token);
    const header = ([] as string[]).concat(login.headers['set-cookie'] as string[]);
    const session = header.find((line) => line.startsWith('sp_session='));
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toContain(login.body.token);
    // Both sessions work side by side.
    expect((await t.http.as(account).get('/api/v1/me')).status).toBe(200);
    expect((await t.http.as(login.body.token).get('/api/v1/me')).status).toBe(200);
  });

  it('stores only a hash of the session token', async () => {
    const account = await signUpAndIn(t);
    const stored = await t.ctx.db.query.sessions.findMany();
    expect(stored.some((s) => s.tokenHash === account.token)).toBe(false);
    expect(stored.every((s) => /^[0-9a-f]{64}$/.test(s.tokenHash))).toBe(true);
  });

  it('a cookie session must pass the CSRF check to change anything; a bearer request need not', async () => {
    const account = await signUpAndIn(t);
    const login = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
    const cookies = cookiesOf(login.headers['set-cookie']);
    const cookie = `sp_session=${cookies.sp_session}; sp_csrf=${cookies.sp_csrf}`;
    const create = (headers: Record<string, string>) => t.http.post('/api/v1/tokens', { name: 'ci' }, { headers: { cookie, ...headers } });

    const crossSite = await create({ origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    expect(crossSite.body.code).toBe('forbidden');
    const noProof = await create({});
    expect(noProof.status).toBe(403);
    const wrongToken = await create({ 'x-csrf-token': 'nope' });
    expect(wrongToken.status).toBe(403);

    expect((await create({ origin: 'http://shareplane.test' })).status).toBe(201);
    expect((await create({ 'x-csrf-token': cookies.sp_csrf ?? '' })).status).toBe(201);
    // Reads need no CSRF proof.
    expect((await t.http.get('/api/v1/me', { headers: { cookie } })).status).toBe(200);
    expect((await t.http.as(account).post('/api/v1/tokens', { name: 'bearer' })).status).toBe(201);
  });

  it('sign-out ends that session only', async () => {
    const first = await signUpAndIn(t);
    const second = await signIn(t, first.email);
    expect((await t.http.as(first).post('/api/v1/auth/logout')).status).toBe(204);
    expect((await t.http.as(first).get('/api/v1/me')).status).toBe(401);
    expect((await t.http.as(second).get('/api/v1/me')).status).toBe(200);
  });

  it('a session ends after the idle time and after the absolute lifetime', async () => {
    const idle = await signUpAndIn(t);
    t.clock.advance(t.ctx.config.sessionIdleSeconds * 1000 + 1000);
    expect((await t.http.as(idle).get('/api/v1/me')).status).toBe(401);

    const busy = await signUpAndIn(t);
    const lifetime = t.ctx.config.sessionMaxSeconds * 1000;
    // Used every day, it still ends at the absolute limit.
    for (let used = 0; used + DAY < lifetime; used += DAY) {
      t.clock.advance(DAY);
      expect((await t.http.as(busy).get('/api/v1/me')).status).toBe(200);
    }
    t.clock.advance(DAY);
    expect((await t.http.as(busy).get('/api/v1/me')).status).toBe(401);
  });

  it('changing the password ends every other session and needs the current password', async () => {
    const account = await signUpAndIn(t);
    const other = await signIn(t, account.email);
    const wrong = await t.http.as(account).post('/api/v1/auth/password', { currentPassword: 'not it at all', newPassword: 'a brand new secret' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe('currentPassword');
    const weak = await t.http.as(account).post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0].path).toBe('newPassword');

    const changed = await t.http.as(account).post('/api/v1/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new secret' });
    expect(changed.status).toBe(204);
    expect((await t.http.as(account).get('/api/v1/me')).status).toBe(200);
    expect((await t.http.as(other).get('/api/v1/me')).status).toBe(401);
    expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD })).status).toBe(401);
    expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: 'a brand new secret' })).status).toBe(200);
  });

  it('an expired trial can still sign in, and /me says so', async () => {
    const account = await signUpAndIn(t);
    t.clock.advance(14 * DAY + HOUR);
    const again = await signIn(t, account.email);
    const me = await t.http.as(again).get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body.trialExpired).toBe(true);
  });
});

describe('my sessions', () => {
  const firefox = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
  const iphone = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
  const signInWith = async (email: string, userAgent: string) => {
    const login = await t.http.post('/api/v1/auth/login', { email, password: PASSWORD }, { headers: { 'user-agent': userAgent } });
    expect(login.status).toBe(200);
    return login.body.token as string;
  };

  it('lists each session with its device, address, start and last use, and which one is asking', async () => {
    const account = await signUpAndIn(t);
    t.clock.advance(1000);
    const laptop = await signInWith(account.email, firefox);
    t.clock.advance(5 * 60_000);
    const phone = await signInWith(account.email, iphone);
    const list = await t.http.as(laptop).get('/api/v1/me/sessions');
    expect(list.status).toBe(200);
    expect(list.body.items).toHaveLength(3);
    const [newest, middle] = list.body.items;
    expect(newest).toMatchObject({ device: 'Safari on iOS', current: false, ip: '127.0.0.1' });
    expect(middle).toMatchObject({ device: 'Firefox on Linux', current: true });
    expect(Date.parse(middle.lastSeenAt)).toBe(Date.parse(middle.createdAt) + 5 * 60_000);
    // Last seen is written at most once a minute: a request within the minute changes nothing.
    t.clock.advance(30_000);
    await t.http.as(phone).get('/api/v1/me');
    const seen = (await t.http.as(laptop).get('/api/v1/me/sessions')).body.items[0];
    expect(seen.lastSeenAt).toBe(newest.lastSeenAt);
    t.clock.advance(31_000);
    await t.http.as(phone).get('/api/v1/me');
    expect((await t.http.as(laptop).get('/api/v1/me/sessions')).body.items[0].lastSeenAt).not.toBe(newest.lastSeenAt);
  });

  it('ends one session, or all others; another account\'s session is a 404', async () => {
    const account = await signUpAndIn(t);
    const laptop = await signInWith(account.email, firefox);
    const phone = await signInWith(account.email, iphone);
    const stranger = await signUpAndIn(t);
    const phoneId = (await t.http.as(laptop).get('/api/v1/me/sessions')).body.items.find((s: { device: string }) => s.device === 'Safari on iOS').id;
    const foreign = await t.http.as(stranger).delete(`/api/v1/me/sessions/${phoneId}`);
    expect(foreign.status).toBe(404);
    expect((await t.http.as(phone).get('/api/v1/me')).status).toBe(200);
    expect((await t.http.as(laptop).delete(`/api/v1/me/sessions/${phoneId}`)).status).toBe(204);
    expect((await t.http.as(phone).get('/api/v1/me')).status).toBe(401);

    const ended = await t.http.as(laptop).delete('/api/v1/me/sessions', { query: { others: 'true' } });
    expect(ended.body).toEqual({ ended: 1 });
    expect((await t.http.as(account).get('/api/v1/me')).status).toBe(401);
    expect((await t.http.as(laptop).get('/api/v1/me/sessions')).body.items).toHaveLength(1);
    const events = await t.ctx.db.query.auditEvents.findMany({ where: (e, { and, eq }) => and(eq(e.actorId, account.id), eq(e.action, 'account.session.end')) });
    expect(events).toHaveLength(2);
  });

  it('API tokens neither list nor end sessions', async () => {
    const account = await signUpAndIn(t);
    const token = (await t.http.as(account).post('/api/v1/tokens', { name: 'script' })).body.token as string;
    expect((await t.http.as(token).get('/api/v1/me/sessions')).body.code).toBe('token_cannot_manage_credentials');
    expect((await t.http.as(token).delete('/api/v1/me/sessions', { query: { others: 'true' } })).body.code).toBe('token_cannot_manage_credentials');
  });
});
