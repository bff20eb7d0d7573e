import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { linkIn, SmtpCapture } from '../support/smtp.js';
import { PASSWORD, signIn, uniqueEmail } from '../factories.js';
import { users } from '../../src/db/schema/index.js';

let smtp: SmtpCapture;
let t: TestApp;

beforeAll(async () => {
  smtp = await new SmtpCapture().start();
  t = await startTestApp({ smtp });
});
afterAll(async () => {
  await t.close();
  await smtp.stop();
});

const countUsers = () => t.ctx.db.$count(users);

describe('sign-up', () => {
  it('creates a trial account, mails a verification link that verifies it once, and signs in', async () => {
    const email = uniqueEmail('new');
    const signup = await t.http.post('/api/v1/auth/signup', { email: email.toUpperCase(), password: PASSWORD, name: 'New Owner' });
    expect(signup.status).toBe(201);
    expect(signup.body.user).toMatchObject({ email, name: 'New Owner', type: 'trial', emailVerified: false, trialExpired: false });
    const trialEnd = new Date(signup.body.user.trialEndsAt).getTime() - t.clock.now().getTime();
    expect(trialEnd).toBe(14 * 24 * 3600 * 1000);

    const mail = await smtp.waitFor(email, (m) => m.subject.includes('Confirm'));
    expect(mail.text).toContain('Confirm my email');
    expect(mail.html).toContain('<a href="http://shareplane.test/verify-email?token=');
    const link = linkIn(mail, 'http://shareplane.test/verify-email?token=');
    const token = new URL(link).searchParams.get('token');
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const verified = await t.http.post('/api/v1/auth/verify', { token });
    expect(verified.status).toBe(200);
    expect(verified.body.user.emailVerified).toBe(true);
    const again = await t.http.post('/api/v1/auth/verify', { token });
    expect(again.status).toBe(400);
    expect(again.body.code).toBe('invalid_token');

    const account = await signIn(t, email);
    const me = await t.http.as(account).get('/api/v1/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: signup.body.user.id, email, type: 'trial', emailVerified: true, isAdmin: false, trialExpired: false });
  });

  it('refuses bad input with a 400 naming each field, and writes nothing', async () => {
    const before = await countUsers();
    const cases: Array<[unknown, string[]]> = [
      [{ email: 'not-an-email', password: PASSWORD, name: 'x' }, ['email']],
      [{ email: uniqueEmail(), password: 'short', name: 'x' }, ['password']],
      [{ email: uniqueEmail(), password: PASSWORD, name: '' }, ['name']],
      [{ email: uniqueEmail(), password: PASSWORD, name: 'x'.repeat(101) }, ['name']],
      [{ email: uniqueEmail(), password: PASSWORD, name: 'x', plan: 'gold' }, ['plan']],
      [{ password: PASSWORD, name: 'x' }, ['email']],
    ];
    for (const [body, paths] of cases) {
      const answer = await t.http.post('/api/v1/auth/signup', body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.headers['content-type']).toContain('application/problem+json');
      expect(answer.body.code).toBe('validation_failed');
      expect(answer.body.errors.map((e: { path: string }) => e.path)).toEqual(paths);
    }
    expect(await countUsers()).toBe(before);
  });

  it('refuses a second account with the same email, whatever its case', async () => {
    const email = uniqueEmail();
    expect((await t.http.post('/api/v1/auth/signup', { email, password: PASSWORD, name: 'A' })).status).toBe(201);
    const before = await countUsers();
    const twin = await t.http.post('/api/v1/auth/signup', { email: email.toUpperCase(), password: PASSWORD, name: 'B' });
    expect(twin.status).toBe(409);
    expect(twin.body.code).toBe('account_exists');
    expect(await countUsers()).toBe(before);
  });

  it('refuses a wrong password and an unknown email alike', async () => {
    const email = uniqueEmail();
    await t.http.post('/api/v1/auth/signup', { email, password: PASSWORD, name: 'A' });
    const wrong = await t.http.post('/api/v1/auth/login', { email, password: 'wrong password!' });
    const unknown = await t.http.post('/api/v1/auth/login', { email: uniqueEmail(), password: PASSWORD });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.code).toBe('invalid_credentials');
  });

  it('answers 401 without a session and with a forged one', async () => {
    expect((await t.http.get('/api/v1/me')).status).toBe(401);
    const forged = await t.http.get('/api/v1/me', { token: 'sps_' + 'A'.repeat(43) });
    expect(forged.status).toBe(401);
    expect(forged.body.code).toBe('unauthenticated');
  });

  it('lets the account change its name, but never its email that way', async () => {
    const email = uniqueEmail();
    await t.http.post('/api/v1/auth/signup', { email, password: PASSWORD, name: 'Before' });
    const account = await signIn(t, email);
    const renamed = await t.http.as(account).patch('/api/v1/me', { name: 'After' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.name).toBe('After');
    const sneaky = await t.http.as(account).patch('/api/v1/me', { name: 'X', email: uniqueEmail() });
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.errors).toEqual([{ path: 'email', message: 'unknown field' }]);
    expect((await t.http.as(account).get('/api/v1/me')).body).toMatchObject({ name: 'After', email });
  });
});
