import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { expect } from 'vitest';
import { ensureAdmin } from '../src/accounts/admin.js';
import type { TestApp } from './support/app.js';
import { newestMail, tokenFromLink } from './support/mail.js';

export const PASSWORD = 'correct horse battery staple';

export interface Account {
  id: string;
  email: string;
  name: string;
  password: string;
  /** A session token for bearer requests. */
  token: string;
}

let counter = 0;

/** A fresh, unique email: factories never share tenants. */
export function uniqueEmail(label = 'user'): string {
  counter += 1;
  return `${label}-${counter}-${randomBytes(3).toString('hex')}@example.test`;
}

/** Signs a new account up and in through the API. */
export async function signUpAndIn(t: TestApp, options: { email?: string; name?: string; label?: string } = {}): Promise<Account> {
  const email = options.email ?? uniqueEmail(options.label);
  const name = options.name ?? `${options.label ?? 'User'} ${counter}`;
  const signup = await t.http.post('/api/v1/auth/signup', { email, password: PASSWORD, name });
  expect(signup.status, JSON.stringify(signup.body)).toBe(201);
  return signIn(t, email);
}

/** Signs an existing account in and returns a new session token. */
export async function signIn(t: TestApp, email: string, password = PASSWORD): Promise<Account> {
  const login = await t.http.post('/api/v1/auth/login', { email, password });
  expect(login.status, JSON.stringify(login.body)).toBe(200);
  return { id: login.body.user.id, email, name: login.body.user.name, password, token: login.body.token };
}

/** Verifies an account's email by following the link of its verification mail (read from the outbox, so with SMTP too). */
export async function verifyEmail(t: TestApp, account: Account): Promise<void> {
  const text = await newestMail(t, account.email, 'account.verify');
  const token = tokenFromLink(text, `${t.ctx.config.publicUrl}/verify-email?token=`);
  const answer = await t.http.post('/api/v1/auth/verify', { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** A new owner account: signed up, verified and signed in. */
export async function createOwner(t: TestApp, label = 'owner'): Promise<Account> {
  const account = await signUpAndIn(t, { label });
  await verifyEmail(t, account);
  return account;
}

/** A verified owner on a paid account: tests that move the clock by weeks must not end its trial. */
export async function createPaidOwner(t: TestApp, label = 'owner'): Promise<Account> {
  const owner = await createOwner(t, label);
  await convertAccount(t, owner, 'paid');
  return owner;
}

/** A new platform admin, ensured the way ADMIN_EMAIL / ADMIN_PASSWORD are at start. */
export async function createAdmin(t: TestApp): Promise<Account> {
  const email = uniqueEmail('admin');
  await ensureAdmin({ ...t.ctx, config: { ...t.ctx.config, adminEmail: email, adminPassword: PASSWORD } });
  return signIn(t, email);
}

const admins = new WeakMap<TestApp, Promise<Account>>();

/** The platform admin of a test app, made on first use: for the billing team's routes. */
export function adminOf(t: TestApp): Promise<Account> {
  let admin = admins.get(t);
  if (!admin) {
    admin = createAdmin(t);
    admins.set(t, admin);
  }
  return admin;
}

/** Converts an account through the admin API (`paid` or `collaborator`). */
export async function convertAccount(t: TestApp, account: Pick<Account, 'id'>, type: 'paid' | 'collaborator'): Promise<void> {
  const answer = await t.http.as(await adminOf(t)).post(`/api/v1/admin/users/${account.id}/convert`, { type });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** Moves a trial's end through the admin API; the account becomes a trial ending then. */
export async function setTrialEnd(t: TestApp, account: Pick<Account, 'id'>, endsAt: Date): Promise<void> {
  const answer = await t.http.as(await adminOf(t)).post(`/api/v1/admin/users/${account.id}/trial`, { endsAt: endsAt.toISOString() });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** The code an authenticator app shows for `secret` at the test clock's time, `steps` periods of 30 s later. */
export function totpCode(t: TestApp, secret: string, steps = 0): string {
  return new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: t.clock.now().getTime() + steps * 30_000 });
}

/** Turns two-factor sign-in on for an account through the API; answers the secret and the recovery codes. */
export async function enrolSecondFactor(t: TestApp, account: Pick<Account, 'token'>): Promise<{ secret: string; recoveryCodes: string[] }> {
  const enrol = await t.http.as(account).post('/api/v1/me/totp');
  expect(enrol.status, JSON.stringify(enrol.body)).toBe(201);
  const secret = enrol.body.secret as string;
  const confirm = await t.http.as(account).post('/api/v1/me/totp/confirm', { code: totpCode(t, secret) });
  expect(confirm.status, JSON.stringify(confirm.body)).toBe(200);
  return { secret, recoveryCodes: confirm.body.recoveryCodes as string[] };
}
