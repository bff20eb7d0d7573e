import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, recoveryCodes, totpFactors } from '../../src/db/schema/index.js';
import { enrolSecondFactor, PASSWORD, signUpAndIn, totpCode, type Account } from '../factories.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { newestMail } from '../support/mail.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ rateLimits: { secondFactorFailuresPerUser: { max: 6, windowSeconds: 900 } } });
});
afterAll(() => t.close());

const codeAt = (secret: string, steps = 0) => totpCode(t, secret, steps);

const nextStep = () => t.clock.advance(30_000);

async function enrolled(account: Account) {
  const factor = await enrolSecondFactor(t, account);
  nextStep();
  return factor;
}

async function passwordStep(account: Account) {
  const login = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return login.body.challenge as string;
}

describe('two-factor sign-in (TOTP, RFC 6238)', () => {
  it('enrols with a secret and an otpauth:// URI, confirms with a code and answers ten recovery codes', async () => {
    const account = await signUpAndIn(t);
    expect((await t.http.as(account).get('/api/v1/me/totp')).body).toMatchObject({ enabled: false, pending: false });
    const enrol = await t.http.as(account).post('/api/v1/me/totp');
    expect(enrol.status).toBe(201);
    expect(enrol.body.secret).toMatch(/^[A-Z2-7]{32}$/);
    const uri = new URL(enrol.body.otpauthUrl);
    expect(uri.protocol).toBe('otpauth:');
    expect(uri.searchParams.get('secret')).toBe(enrol.body.secret);
    expect(uri.searchParams.get('issuer')).toBe('Shareplane');
    expect(decodeURIComponent(uri.pathname)).toContain(account.email);
    expect((await t.http.as(account).get('/api/v1/me/totp')).body).toMatchObject({ enabled: false, pending: true });

    const wrong = await t.http.as(account).post('/api/v1/me/totp/confirm', { code: codeAt(enrol.body.secret, 10) });
    expect(wrong.status).toBe(400);
    expect(wrong.body.code).toBe('invalid_code');
    const confirm = await t.http.as(account).post('/api/v1/me/totp/confirm', { code: codeAt(enrol.body.secret) });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recoveryCodes).toHaveLength(10);
    expect(new Set(confirm.body.recoveryCodes).size).toBe(10);
    expect((await t.http.as(account).get('/api/v1/me/totp')).body).toMatchObject({ enabled: true, pending: false, recoveryCodesLeft: 10 });
    expect(await newestMail(t, account.email, 'account.two_factor_on')).toContain('authenticator app');
    // A second enrolment needs the first turned off.
    expect((await t.http.as(account).post('/api/v1/me/totp')).body.code).toBe('invalid_state');
  });

  it('stores the secret sealed under the server key and the recovery codes as keyed digests, never in clear', async () => {
    const account = await signUpAndIn(t);
    const { secret, recoveryCodes: codes } = await enrolled(account);
    const [row] = await t.ctx.db.select().from(totpFactors).where(eq(totpFactors.userId, account.id));
    expect(row?.secretCipher).toMatch(/^v1\./);
    expect(row?.secretCipher).not.toContain(secret);
    const stored = await t.ctx.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, account.id));
    expect(stored).toHaveLength(10);
    for (const code of codes) expect(stored.some((r) => r.codeHash.includes(code))).toBe(false);
    // The events name the changes and carry no secret.
    const events = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.actorId, account.id));
    expect(events.map((e) => e.action)).toEqual(expect.arrayContaining(['account.two_factor.enrol', 'account.two_factor.confirm']));
    expect(JSON.stringify(events)).not.toContain(secret);
  });

  it('sign-in answers a challenge, not a session, and the second step with a code starts the session', async () => {
    const account = await signUpAndIn(t);
    const { secret } = await enrolled(account);
    const login = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ twoFactorRequired: true, methods: ['totp', 'recovery'], passkeyOptions: null });
    expect(login.body.token).toBeUndefined();
    expect(login.headers['set-cookie']).toBeUndefined();
    // The challenge is no session.
    expect((await t.http.as(login.body.challenge).get('/api/v1/me')).status).toBe(401);

    const second = await t.http.post('/api/v1/auth/login/second-factor', { challenge: login.body.challenge, code: codeAt(secret) });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    expect(second.body.user.id).toBe(account.id);
    expect(String(second.headers['set-cookie'])).toContain('sp_session=');
    expect((await t.http.as(second.body.token).get('/api/v1/me')).status).toBe(200);
    // Single-use: the spent challenge is refused, even with the next code.
    nextStep();
    const again = await t.http.post('/api/v1/auth/login/second-factor', { challenge: login.body.challenge, code: codeAt(secret) });
    expect(again.status).toBe(401);
    expect(again.body.code).toBe('invalid_challenge');
  });

  it('accepts a code once per time step: the same code cannot sign in twice', async () => {
    const account = await signUpAndIn(t);
    const { secret } = await enrolled(account);
    const code = codeAt(secret);
    const first = await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code });
    expect(first.status).toBe(200);
    const replay = await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('invalid_code');
    // An earlier step's code is no good once a later one was used.
    nextStep();
    expect((await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code: codeAt(secret, -2) })).status).toBe(401);
    expect((await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code: codeAt(secret) })).status).toBe(200);
  });

  it('a challenge expires after five minutes', async () => {
    const account = await signUpAndIn(t);
    const { secret } = await enrolled(account);
    const challenge = await passwordStep(account);
    t.clock.advance(5 * 60_000 + 1000);
    const late = await t.http.post('/api/v1/auth/login/second-factor', { challenge, code: codeAt(secret) });
    expect(late.status).toBe(401);
    expect(late.body.code).toBe('invalid_challenge');
  });

  it('a recovery code signs in once; regenerating ends the old ones', async () => {
    const account = await signUpAndIn(t);
    const { recoveryCodes: codes } = await enrolled(account);
    const [first = '', second = ''] = codes;
    const used = await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code: ` ${first.toUpperCase()} ` });
    expect(used.status).toBe(200);
    expect((await t.http.as(used.body.token).get('/api/v1/me/totp')).body.recoveryCodesLeft).toBe(9);
    expect((await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code: first })).status).toBe(401);

    const regenerated = await t.http.as(account).post('/api/v1/me/recovery-codes', { password: PASSWORD });
    expect(regenerated.status).toBe(200);
    expect(regenerated.body.recoveryCodes).toHaveLength(10);
    expect(regenerated.body.recoveryCodes).not.toContain(second);
    expect((await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code: second })).body.code).toBe('invalid_code');
    expect((await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code: regenerated.body.recoveryCodes[0] })).status).toBe(200);
  });

  it('wrong codes kill the challenge after five and are limited per account (429)', async () => {
    const account = await signUpAndIn(t);
    const { secret } = await enrolled(account);
    const challenge = await passwordStep(account);
    for (let i = 0; i < 5; i += 1) {
      expect((await t.http.post('/api/v1/auth/login/second-factor', { challenge, code: '000000' })).body.code).toBe('invalid_code');
    }
    expect((await t.http.post('/api/v1/auth/login/second-factor', { challenge, code: codeAt(secret) })).body.code).toBe('invalid_challenge');
    // One more wrong code reaches the account's limit (6 here): then even the right code waits.
    expect((await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code: '000000' })).status).toBe(401);
    const limited = await t.http.post('/api/v1/auth/login/second-factor', { challenge: await passwordStep(account), code: codeAt(secret) });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    const denied = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.actorId, account.id));
    expect(denied.filter((e) => e.action === 'account.login' && e.outcome === 'denied')).toHaveLength(6);
    t.clock.advance(15 * 60_000);
  });

  it('disabling takes the password and a code, mails the account, and sign-in is one step again', async () => {
    const account = await signUpAndIn(t);
    const { secret, recoveryCodes: codes } = await enrolled(account);
    const wrongPassword = await t.http.as(account).request('DELETE', '/api/v1/me/totp', { password: 'not the password', code: codeAt(secret) });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.body.errors[0].path).toBe('password');
    const wrongCode = await t.http.as(account).request('DELETE', '/api/v1/me/totp', { password: PASSWORD, code: '123456' });
    expect(wrongCode.body.code).toBe('invalid_code');
    const off = await t.http.as(account).request('DELETE', '/api/v1/me/totp', { password: PASSWORD, code: codes[3] });
    expect(off.status).toBe(204);
    expect(await newestMail(t, account.email, 'account.two_factor_off')).toContain('takes only the password again');
    expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD })).status).toBe(200);
    expect(await t.ctx.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, account.id))).toHaveLength(0);
    const events = await t.ctx.db.select().from(auditEvents).where(eq(auditEvents.actorId, account.id));
    expect(events.filter((e) => e.action === 'account.two_factor.disable').map((e) => e.outcome).sort()).toEqual(['denied', 'denied', 'ok']);
  });

  it('API tokens never manage the second factor', async () => {
    const account = await signUpAndIn(t);
    const token = (await t.http.as(account).post('/api/v1/tokens', { name: 'script' })).body.token as string;
    for (const [method, path] of [
      ['get', '/api/v1/me/totp'],
      ['post', '/api/v1/me/totp'],
      ['post', '/api/v1/me/totp/confirm'],
      ['delete', '/api/v1/me/totp'],
    ] as const) {
      const client = t.http.as(token);
      const answer = method === 'post' ? await client.post(path, { code: '123456', password: PASSWORD }) : await client.get(path);
      expect(answer.status, path).toBe(403);
      expect(answer.body.code).toBe('token_cannot_manage_credentials');
    }
  });
});
