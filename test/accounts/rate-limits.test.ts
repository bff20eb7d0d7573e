import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.js';
import { PASSWORD, signUpAndIn, uniqueEmail } from '../factories.js';

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({
    rateLimits: {
      signInFailuresPerEmailAndIp: { max: 3, windowSeconds: 900 },
      signUpPerIp: { max: 4, windowSeconds: 3600 },
      passwordChangePerUser: { max: 3, windowSeconds: 900 },
    },
  });
});
afterAll(() => t.close());

describe('rate limits', () => {
  it('wrong passwords for one email from one address are limited, with Retry-After, until the window ends', async () => {
    const account = await signUpAndIn(t);
    for (let i = 0; i < 3; i++) {
      expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: 'wrong password' })).status).toBe(401);
    }
    const limited = await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    t.clock.advance(900_000);
    expect((await t.http.post('/api/v1/auth/login', { email: account.email, password: PASSWORD })).status).toBe(200);
  });

  it('sign-ups from one address are limited', async () => {
    // Start at the beginning of a fresh window, so earlier tests' sign-ups do not count.
    const hour = 3600_000;
    t.clock.set(new Date(Math.ceil(t.clock.now().getTime() / hour) * hour));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const answer = await t.http.post('/api/v1/auth/signup', { email: uniqueEmail(), password: PASSWORD, name: 'Someone' });
      statuses.push(answer.status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
  });

  it('guessing the current password through a password change is limited per account', async () => {
    // A new sign-up window: the test above used this address's sign-ups up.
    t.clock.advance(3600_000);
    const account = await signUpAndIn(t);
    const change = (currentPassword: string) => t.http.as(account).post('/api/v1/auth/password', { currentPassword, newPassword: 'a brand new secret' });
    expect((await change('guess number one')).status).toBe(400);
    expect((await change('guess number two')).status).toBe(400);
    expect((await change('guess number three')).status).toBe(400);
    const limited = await change(PASSWORD);
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
  });
});
