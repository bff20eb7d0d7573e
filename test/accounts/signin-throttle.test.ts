import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outbox } from '../../src/db/schema/index.js';
import { PASSWORD, signUpAndIn } from '../factories.js';
import { startTestApp, type TestApp } from '../support/app.js';

let t: TestApp;
const WINDOW = 900;

beforeAll(async () => {
  t = await startTestApp({
    rateLimits: {
      signInFailuresPerIp: { max: 8, windowSeconds: WINDOW },
      signInFailuresPerEmailAndIp: { max: 3, windowSeconds: WINDOW },
      signInFailuresPerEmail: { max: 4, windowSeconds: WINDOW },
    },
  });
});
afterAll(() => t.close());

/** Starts a fresh window, so earlier tests' failures do not count. */
function freshWindow(): void {
  const windowMs = WINDOW * 1000;
  t.clock.set(new Date(Math.ceil((t.clock.now().getTime() + 1) / windowMs) * windowMs));
}

async function login(email: string, password: string, ip: string) {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/auth/login', remoteAddress: ip, payload: { email, password } });
  return { status: response.statusCode, body: response.json() as { code?: string }, retryAfter: response.headers['retry-after'] };
}

const attackNotices = (email: string) =>
  t.ctx.db.select().from(outbox).where(and(eq(outbox.toAddress, email), eq(outbox.kind, 'account.signin_attack')));

describe('sign-in throttling', () => {
  it('a guessing attack spread over many addresses never locks the owner out: a right password from a clean address signs in', async () => {
    freshWindow();
    const owner = await signUpAndIn(t, { label: 'attacked' });
    // Twice the account-wide threshold, each from its own address (past the threshold every failure is answered
    // after a growing real delay, so more would only make the test slow).
    for (let i = 0; i < 8; i++) expect((await login(owner.email, 'wrong password', `198.51.100.${i}`)).status).toBe(401);
    expect((await login(owner.email, PASSWORD, '203.0.113.7')).status).toBe(200);
  });

  it('while an account is under attack, an address that failed on it waits, and the owner is mailed once', async () => {
    freshWindow();
    const owner = await signUpAndIn(t, { label: 'notice' });
    for (let i = 0; i < 4; i++) expect((await login(owner.email, 'wrong password', `192.0.2.${i}`)).status).toBe(401);
    const held = await login(owner.email, 'wrong password', '192.0.2.1');
    expect(held.status).toBe(429);
    expect(held.body.code).toBe('rate_limited');
    expect(Number(held.retryAfter)).toBeGreaterThan(0);
    // Even the right password waits there: that address has been guessing.
    expect((await login(owner.email, PASSWORD, '192.0.2.1')).status).toBe(429);
    // More failures from new addresses: still only one notice this window.
    expect((await login(owner.email, 'wrong password', '192.0.2.50')).status).toBe(401);
    const notices = await attackNotices(owner.email);
    expect(notices).toHaveLength(1);
    expect(notices[0]?.textBody).toMatch(/4 sign-ins to your account failed/);
    expect(notices[0]?.textBody).toMatch(/not locked/);

    // The next window starts clean for everyone.
    freshWindow();
    expect((await login(owner.email, PASSWORD, '192.0.2.1')).status).toBe(200);
  });

  it('one address is held back on one email after its own failures, while others go on', async () => {
    freshWindow();
    const owner = await signUpAndIn(t, { label: 'typo' });
    for (let i = 0; i < 3; i++) expect((await login(owner.email, 'wrong password', '10.9.0.1')).status).toBe(401);
    expect((await login(owner.email, PASSWORD, '10.9.0.1')).status).toBe(429);
    expect((await login(owner.email, PASSWORD, '10.9.0.2')).status).toBe(200);
  });

  it('a success clears the failures of its address, and successes are never counted', async () => {
    freshWindow();
    const owner = await signUpAndIn(t, { label: 'clears' });
    expect((await login(owner.email, 'wrong password', '10.8.0.1')).status).toBe(401);
    expect((await login(owner.email, 'wrong password', '10.8.0.1')).status).toBe(401);
    expect((await login(owner.email, PASSWORD, '10.8.0.1')).status).toBe(200);
    // Without the clearing, this would be the address's third failure and the sign-in after it a 429.
    expect((await login(owner.email, 'wrong password', '10.8.0.1')).status).toBe(401);
    expect((await login(owner.email, PASSWORD, '10.8.0.1')).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await login(owner.email, PASSWORD, '10.8.0.1')).status).toBe(200);
  });

  it('an address guessing many accounts is stopped, for every account', async () => {
    freshWindow();
    const victims = await Promise.all([1, 2, 3].map(() => signUpAndIn(t, { label: 'stuffed' })));
    const statuses: number[] = [];
    for (let i = 0; i < 9; i++) statuses.push((await login(victims[i % 3]?.email ?? '', 'wrong password', '10.7.0.1')).status);
    expect(statuses.slice(0, 8).every((status) => status === 401)).toBe(true);
    expect(statuses[8]).toBe(429);
    // The accounts themselves are fine from anywhere else.
    expect((await login(victims[0]?.email ?? '', PASSWORD, '10.7.0.2')).status).toBe(200);
  });
});
