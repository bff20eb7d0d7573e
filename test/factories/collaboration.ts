import { and, desc, eq, sql } from 'drizzle-orm';
import { expect } from 'vitest';
import { environments, groupEnvironments, groups, outbox } from '../../src/db/schema/index.js';
import { type Account, PASSWORD, signUpAndIn, tokenFromLink, uniqueEmail } from '../factories.js';
import type { TestApp } from '../support/app.js';

export interface Invited {
  /** The collaboration id: `/collaboration/members/:id`. */
  memberId: string;
  email: string;
  /** The token of the newest invitation link mailed to `email` by this owner. */
  token: string;
}

export interface Member extends Account {
  memberId: string;
}

export type Resource = { type: 'account' } | { type: 'group'; id: string } | { type: 'environment'; id: string };

async function newestMail(t: TestApp, email: string, kind: string): Promise<string> {
  const [mail] = await t.ctx.db
    .select({ text: outbox.textBody })
    .from(outbox)
    .where(and(sql`lower(${outbox.toAddress}) = ${email.toLowerCase()}`, eq(outbox.kind, kind)))
    .orderBy(desc(outbox.id))
    .limit(1);
  if (!mail) throw new Error(`no ${kind} mail to ${email}`);
  return mail.text;
}

/** A new owner, signed up, verified (by the link in its mail, read from the outbox: works with SMTP too) and signed in. */
export async function createVerifiedOwner(t: TestApp, label = 'owner'): Promise<Account> {
  const account = await signUpAndIn(t, { label });
  const text = await newestMail(t, account.email, 'account.verify');
  const verified = await t.http.post('/api/v1/auth/verify', { token: tokenFromLink(text, `${t.ctx.config.publicUrl}/verify-email?token=`) });
  expect(verified.status, JSON.stringify(verified.body)).toBe(200);
  return account;
}

/**
 * Waits until the mail worker has handed every queued mail to SMTP: with a worker running, a refusal test must not
 * mistake a mail sent meanwhile for a change made by the refused request.
 */
export async function mailSettled(t: TestApp, timeoutMs = 10_000): Promise<void> {
  if (!t.workers) return;
  const deadline = Date.now() + timeoutMs;
  while ((await t.ctx.db.$count(outbox, eq(outbox.status, 'pending'))) > 0) {
    if (Date.now() > deadline) throw new Error('mail still pending in the outbox');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The token of the newest invitation link in the outbox for `email` (works with or without SMTP). */
export async function invitationToken(t: TestApp, email: string): Promise<string> {
  const text = await newestMail(t, email, 'collaboration.invited');
  const prefix = `${t.ctx.config.publicUrl}/invitations/`;
  const link = text.match(/https?:\/\/\S+/g)?.find((candidate) => candidate.startsWith(prefix));
  if (!link) throw new Error(`no invitation link in:\n${text}`);
  return link.slice(prefix.length);
}

/** Invites an email (a fresh one by default) into the owner's account through the API. */
export async function invite(t: TestApp, by: Account, options: { email?: string; displayName?: string; ownerId?: string } = {}): Promise<Invited> {
  const email = options.email ?? uniqueEmail('invitee');
  const answer = await t.http
    .as(by)
    .post('/api/v1/collaboration/members', { email, ...(options.displayName ? { displayName: options.displayName } : {}) }, { query: { ownerId: options.ownerId } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return { memberId: answer.body.id, email, token: await invitationToken(t, email) };
}

/**
 * Invites and accepts: as `account` when given (it must be verified), otherwise by signing up through the link,
 * which creates a collaborator account.
 */
export async function inviteAndAccept(t: TestApp, owner: Account, options: { email?: string; account?: Account; name?: string } = {}): Promise<Member> {
  const invited = await invite(t, owner, { email: options.account?.email ?? options.email });
  if (options.account) {
    const accepted = await t.http.as(options.account).post(`/api/v1/invitations/${invited.token}/accept`);
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    return { ...options.account, memberId: invited.memberId };
  }
  const name = options.name ?? `Member ${invited.email.split('@')[0]}`;
  const signup = await t.http.post(`/api/v1/invitations/${invited.token}/signup`, { name, password: PASSWORD });
  expect(signup.status, JSON.stringify(signup.body)).toBe(201);
  return { id: signup.body.user.id, email: invited.email, name, password: PASSWORD, token: signup.body.token, memberId: invited.memberId };
}

/** Shares a resource with a member (as the owner, or as a manager with `ownerId`). Returns the share id. */
export async function share(
  t: TestApp,
  by: Account,
  memberId: string,
  resource: Resource,
  roleIds: string[],
  options: { ownerId?: string; expiresAt?: string } = {},
): Promise<string> {
  const answer = await t.http
    .as(by)
    .post(`/api/v1/collaboration/members/${memberId}/shares`, { resource, roleIds, ...(options.expiresAt ? { expiresAt: options.expiresAt } : {}) }, { query: { ownerId: options.ownerId } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}

let envCounter = 0;

/** An environment of the owner: through POST /api/v1/environments once that route exists, else written directly. */
export async function createEnvironment(t: TestApp, owner: Account, options: { displayName?: string; groupId?: string } = {}): Promise<{ id: string; name: string }> {
  envCounter += 1;
  const name = `env-${envCounter}-${Math.random().toString(36).slice(2, 8)}`;
  const displayName = options.displayName ?? `Environment ${envCounter}`;
  if (t.app.hasRoute({ method: 'POST', url: '/api/v1/environments' })) {
    const nodes = [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 2 }];
    const answer = await t.http.as(owner).post('/api/v1/environments', { name, displayName, nodes, ...(options.groupId ? { groupId: options.groupId } : {}) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return { id: answer.body.id, name };
  }
  const now = t.clock.now();
  const [row] = await t.ctx.db
    .insert(environments)
    .values({ ownerId: owner.id, name, displayName, status: 'running', createdBy: owner.id, createdAt: now, updatedAt: now })
    .returning({ id: environments.id });
  if (!row) throw new Error('environment insert returned nothing');
  if (options.groupId) await t.ctx.db.insert(groupEnvironments).values({ groupId: options.groupId, environmentId: row.id });
  return { id: row.id, name };
}

/** A group of the owner: through POST /api/v1/groups once that route exists, else written directly. */
export async function createGroup(t: TestApp, owner: Account, options: { name?: string; parentId?: string } = {}): Promise<{ id: string; name: string }> {
  envCounter += 1;
  const name = options.name ?? `Group ${envCounter}`;
  if (t.app.hasRoute({ method: 'POST', url: '/api/v1/groups' })) {
    const answer = await t.http.as(owner).post('/api/v1/groups', { name, ...(options.parentId ? { parentId: options.parentId } : {}) });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return { id: answer.body.id, name };
  }
  const [row] = await t.ctx.db
    .insert(groups)
    .values({ ownerId: owner.id, name, parentId: options.parentId ?? null, createdAt: t.clock.now() })
    .returning({ id: groups.id });
  if (!row) throw new Error('group insert returned nothing');
  return { id: row.id, name };
}
