import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { ensureAdmin } from '../src/accounts/admin.js';
import type { TestApp } from './support/app.js';

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

/** The newest mail to `email` in the dev mailbox (apps without SMTP). */
export async function devMail(t: TestApp, email: string, kind?: string) {
  const answer = await t.http.get('/api/v1/dev/mail', { query: { to: email } });
  expect(answer.status).toBe(200);
  const mail = (answer.body.items as Array<{ kind: string; text: string; subject: string }>).find((m) => !kind || m.kind === kind);
  if (!mail) throw new Error(`no ${kind ?? ''} mail to ${email} in the dev mailbox`);
  return mail;
}

/** The token of the first link in a mail text starting with `prefix`. */
export function tokenFromLink(text: string, prefix: string): string {
  const link = text.match(/https?:\/\/\S+/g)?.find((candidate) => candidate.startsWith(prefix));
  if (!link) throw new Error(`no link ${prefix} in:\n${text}`);
  const url = new URL(link);
  return url.searchParams.get('token') ?? url.pathname.split('/').pop() ?? '';
}

/** Verifies an account's email by following the link of its verification mail (dev mailbox). */
export async function verifyEmail(t: TestApp, account: Account): Promise<void> {
  const mail = await devMail(t, account.email, 'account.verify');
  const token = tokenFromLink(mail.text, `${t.ctx.config.publicUrl}/verify-email?token=`);
  const answer = await t.http.post('/api/v1/auth/verify', { token });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** A new owner account: signed up, verified and signed in. */
export async function createOwner(t: TestApp, label = 'owner'): Promise<Account> {
  const account = await signUpAndIn(t, { label });
  await verifyEmail(t, account);
  return account;
}

/** A platform admin, ensured the way ADMIN_EMAIL / ADMIN_PASSWORD are at start. */
export async function createAdmin(t: TestApp): Promise<Account> {
  const email = uniqueEmail('admin');
  await ensureAdmin({ ...t.ctx, config: { ...t.ctx.config, adminEmail: email, adminPassword: PASSWORD } });
  return signIn(t, email);
}
