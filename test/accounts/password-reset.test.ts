import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { linkIn, SmtpCapture } from '../support/smtp.js';
import { PASSWORD, signIn, signUpAndIn, uniqueEmail } from '../factories.js';
import { HOUR } from '../../src/clock.js';

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

const resetMail = (email: string) => smtp.waitFor(email, (mail) => mail.subject.includes('Reset'));
const tokenOf = (link: string) => new URL(link).searchParams.get('token') ?? '';

describe('forgotten password', () => {
  it('mails a single-use link that sets a new password and ends every session', async () => {
    const account = await signUpAndIn(t);
    const forgot = await t.http.post('/api/v1/auth/forgot', { email: account.email });
    expect(forgot.status).toBe(202);
    const mail = await resetMail(account.email);
    expect(mail.html).toContain('Choose a new password');
    const token = tokenOf(linkIn(mail, 'http://shareplane.test/reset-password?token='));

    const weak = await t.http.post('/api/v1/auth/reset', { token, password: 'short' });
    expect(weak.status).toBe(400);
    const reset = await t.http.post('/api/v1/auth/reset', { token, password: 'my new long password' });
    expect(reset.status).toBe(200);
    expect((await t.http.as(account).get('/api/v1/me')).status).toBe(401);
    await signIn(t, account.email, 'my new long password');

    const reuse = await t.http.post('/api/v1/auth/reset', { token, password: 'another long password' });
    expect(reuse.status).toBe(400);
    expect(reuse.body.code).toBe('invalid_token');
  });

  it('answers the same for an unknown email and sends nothing', async () => {
    const known = await signUpAndIn(t);
    const stranger = uniqueEmail('nobody');
    const a = await t.http.post('/api/v1/auth/forgot', { email: known.email });
    const b = await t.http.post('/api/v1/auth/forgot', { email: stranger });
    expect(a.status).toBe(b.status);
    expect(a.body).toEqual(b.body);
    await resetMail(known.email);
    expect(smtp.inbox(stranger)).toHaveLength(0);
  });

  it('a reset link expires after one hour, and a newer link replaces an older one', async () => {
    const account = await signUpAndIn(t);
    await t.http.post('/api/v1/auth/forgot', { email: account.email });
    const first = tokenOf(linkIn(await resetMail(account.email), 'http://shareplane.test/reset-password?token='));
    t.clock.advance(HOUR + 1000);
    expect((await t.http.post('/api/v1/auth/reset', { token: first, password: 'too late password' })).status).toBe(400);

    await t.http.post('/api/v1/auth/forgot', { email: account.email });
    await smtp.waitFor(account.email, () => smtp.inbox(account.email).filter((m) => m.subject.includes('Reset')).length >= 2);
    const mails = smtp.inbox(account.email).filter((m) => m.subject.includes('Reset'));
    const secondMail = mails[1];
    if (!secondMail) throw new Error('second reset mail missing');
    const second = tokenOf(linkIn(secondMail, 'http://shareplane.test/reset-password?token='));
    await t.http.post('/api/v1/auth/forgot', { email: account.email });
    await smtp.waitFor(account.email, () => smtp.inbox(account.email).filter((m) => m.subject.includes('Reset')).length >= 3);
    expect((await t.http.post('/api/v1/auth/reset', { token: second, password: 'replaced link pass' })).status).toBe(400);
    expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD })).status).toBe(200);
  });
});
