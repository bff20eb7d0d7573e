import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { type Account, PASSWORD, uniqueEmail } from '../factories.js';
import type { TestApp } from '../support/app.js';
import { newestMail, tokenFromLink } from '../support/mail.js';

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

/** The token of the newest invitation link in the outbox for `email` (works with or without SMTP). */
export async function invitationToken(t: TestApp, email: string): Promise<string> {
  return tokenFromLink(await newestMail(t, email, 'collaboration.invited'), `${t.ctx.config.publicUrl}/invitations/`);
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

/** A custom role of the owner, through POST /api/v1/roles. Returns its id. */
export async function createRole(t: TestApp, owner: Account, permissions: string[], receiveAlerts = false): Promise<string> {
  const name = `Role ${randomBytes(3).toString('hex')}`;
  const answer = await t.http.as(owner).post('/api/v1/roles', { name, permissions, receiveAlerts });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}

/** Suspends a member (the owner's side) or leaves (the member's side) through the API. */
export async function endMembership(t: TestApp, how: 'suspend' | 'leave', owner: Account, member: Account, memberId: string): Promise<void> {
  const answer =
    how === 'suspend'
      ? await t.http.as(owner).post(`/api/v1/collaboration/members/${memberId}/suspend`)
      : await t.http.as(member).post(`/api/v1/collaborations/${memberId}/leave`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** A team of the owner with these members, through the API. Answers its id. */
export async function createTeam(t: TestApp, owner: Account, memberIds: string[] = [], name = `Team ${randomBytes(3).toString('hex')}`): Promise<string> {
  const created = await t.http.as(owner).post('/api/v1/collaboration/teams', { name });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  for (const memberId of memberIds) {
    const added = await t.http.as(owner).put(`/api/v1/collaboration/teams/${created.body.id}/members/${memberId}`);
    expect(added.status, JSON.stringify(added.body)).toBe(200);
  }
  return created.body.id;
}

/** Shares a resource with a team as the owner, until `expiresAt` (none: for good). Answers the share id. */
export async function shareWithTeam(t: TestApp, owner: Account, teamId: string, resource: Resource, roleIds: string[], expiresAt: Date | null = null): Promise<string> {
  const answer = await t.http.as(owner).post(`/api/v1/collaboration/teams/${teamId}/shares`, { resource, roleIds, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}
