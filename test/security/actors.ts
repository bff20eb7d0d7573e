import { randomBytes } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { webhookDeliveries } from '../../src/db/schema/index.js';
import { expect } from 'vitest';
import { HOUR } from '../../src/clock.js';
import type { TestApp } from '../support/app.js';
import { type Account, createOwner, enrolSecondFactor, setTrialEnd, signUpAndIn, uniqueEmail } from '../factories.js';
import { createRole, endMembership, invite, inviteAndAccept, type Member, type Resource, share } from '../factories/collaboration.js';
import { createGroup, createRunningEnvironment, createStoppedEnvironment } from '../factories/environments.js';

/** The system roles of DESIGN.md section 5, in order of power. */
export const ROLES = ['viewer', 'operator', 'developer', 'admin'] as const;
export type SystemRoleId = (typeof ROLES)[number];

/** Every kind of caller the matrix tries on every route. */
export const CALLERS = ['owner', ...ROLES, 'noShare', 'scopedViewer', 'outsideScope', 'noSecondFactor', 'suspended', 'left', 'removed', 'expiredTrial', 'stranger', 'anonymous'] as const;
export type CallerKind = (typeof CALLERS)[number];

/**
 * Where a route is judged, and so where the role members' shares sit: a direct share on the environment, a share on
 * the group, or a share on the whole account.
 */
export type Level = 'environment' | 'group' | 'account';

type Outsider = Exclude<CallerKind, 'owner' | SystemRoleId | 'anonymous'>;

export interface Ref {
  id: string;
}

/** One owner's account as the matrix attacks it: resources, the members who reach them and everyone else. */
export interface World {
  t: TestApp;
  owner: Account;
  /** Running, in no group: direct shares of the environment-level members. */
  env: Ref;
  /** Stopped, with the same direct shares (start needs a stopped environment). */
  stoppedEnv: Ref;
  /** Running, in no group: the one share of the member without a share on the targets. */
  otherEnv: Ref;
  /** A top-level group: group shares of the group-level members. */
  group: Ref;
  /** A subgroup of `group`. */
  subgroup: Ref;
  /** An environment in `group`. */
  groupEnv: Ref;
  /** A custom role of the owner, used by no share. */
  customRole: string;
  /** A plain member (viewer on `otherEnv`) the member routes act on. */
  target: Member;
  /** The target's share on `otherEnv`. */
  targetShare: string;
  /** An active member to suspend, and a suspended one to activate. */
  suspendTarget: Member;
  activateTarget: Member;
  /** A pending invitation (its collaboration id), to resend. */
  pending: string;
  /** The members with each system role, per level. */
  roleMembers: Record<Level, Record<SystemRoleId, Member>>;
  outsiders: Record<Outsider, Account>;
  /** A webhook endpoint of the owner (subscribed to role.create only, so refusals queue nothing). */
  webhook: string;
}

/**
 * Scoped API tokens of a member who holds admin on the whole account: `scopedViewer` is scoped to the account with a
 * viewer's permissions (it must get exactly what a viewer gets), `outsideScope` to `otherEnv` only with a viewer's
 * permissions (exactly what the member without a share on the targets, a viewer there, gets). Their holder's own session is never used.
 */
async function scopedTokens(t: TestApp, owner: Account, otherEnvId: string): Promise<Pick<Record<Outsider, Account>, 'scopedViewer' | 'outsideScope'>> {
  const holder = await inviteAndAccept(t, owner, { name: 'Token holder (admin)' });
  await share(t, owner, holder.memberId, { type: 'account' }, ['admin']);
  // The owner requires two-factor sign-in of its members (see buildWorld): the holder has a second factor.
  await enrolSecondFactor(t, holder);
  const mint = async (resources: Resource[], permissions: string[]) => {
    const answer = await t.http.as(holder).post('/api/v1/tokens', { name: 'matrix', scope: { ownerId: owner.id, resources, permissions } });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return { ...holder, token: answer.body.token as string };
  };
  return {
    scopedViewer: await mint([{ type: 'account' }], ['env.view', 'env.logs']),
    outsideScope: await mint([{ type: 'environment', id: otherEnvId }], ['env.view', 'env.logs']),
  };
}

/** A caller of one case: who it is and the account it signs in with (none when anonymous). */
export interface Actor {
  kind: CallerKind;
  account: Account | null;
  /** Its system role and share, for a role member. */
  role?: SystemRoleId;
  member?: Member;
}

/** The account behind a caller kind, for a route judged at `level`. */
export function actorOf(w: World, kind: CallerKind, level: Level): Actor {
  if (kind === 'anonymous') return { kind, account: null };
  if (kind === 'owner') return { kind, account: w.owner };
  if (kind === 'viewer' || kind === 'operator' || kind === 'developer' || kind === 'admin') {
    const member = w.roleMembers[level][kind];
    return { kind, account: member, role: kind, member };
  }
  return { kind, account: w.outsiders[kind] };
}

/** The resource a role member's share sits on, per level (the stopped environment gets the same direct shares). */
function sharedAt(w: Pick<World, 'env' | 'group'>, level: Level): Resource {
  if (level === 'environment') return { type: 'environment', id: w.env.id };
  if (level === 'group') return { type: 'group', id: w.group.id };
  return { type: 'account' };
}

/** Developer shares on every level, for the members whose status (not their roles) must refuse them. */
async function developerEverywhere(t: TestApp, w: Pick<World, 'owner' | 'env' | 'stoppedEnv' | 'group'>, memberId: string): Promise<void> {
  for (const resource of [sharedAt(w, 'environment'), { type: 'environment', id: w.stoppedEnv.id } as const, sharedAt(w, 'group'), sharedAt(w, 'account')]) {
    await share(t, w.owner, memberId, resource, ['developer']);
  }
}

/** Proves a fixture reaches the environment before its status changes, so its later refusals come from the status alone. */
async function expectReaches(t: TestApp, account: Account, environmentId: string): Promise<void> {
  const answer = await t.http.as(account).get(`/api/v1/environments/${environmentId}`);
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

/** Builds the owner's world once: resources, a member per role and level, and every kind of outsider. */
export async function buildWorld(t: TestApp): Promise<World> {
  const owner = await createOwner(t, 'owner');
  const env = await createRunningEnvironment(t, owner);
  const stoppedEnv = await createStoppedEnvironment(t, owner);
  const otherEnv = await createRunningEnvironment(t, owner);
  const group = await createGroup(t, owner, { name: `Shared ${randomBytes(3).toString('hex')}` });
  const subgroup = await createGroup(t, owner, { name: 'Sub', parentId: group.id });
  const groupEnv = await createRunningEnvironment(t, owner, { groupId: group.id });
  const customRole = await createRole(t, owner, ['env.view']);
  const base = { owner, env, stoppedEnv, group };

  const roleMembers = {} as World['roleMembers'];
  for (const level of ['environment', 'group', 'account'] as const) {
    roleMembers[level] = {} as Record<SystemRoleId, Member>;
    for (const roleId of ROLES) {
      const member = await inviteAndAccept(t, owner, { name: `${roleId} on ${level}` });
      await share(t, owner, member.memberId, sharedAt(base, level), [roleId]);
      if (level === 'environment') await share(t, owner, member.memberId, { type: 'environment', id: stoppedEnv.id }, [roleId]);
      roleMembers[level][roleId] = member;
    }
  }

  const noShare = await inviteAndAccept(t, owner, { name: 'No share on the targets' });
  await share(t, owner, noShare.memberId, { type: 'environment', id: otherEnv.id }, ['viewer']);
  await expectReaches(t, noShare, otherEnv.id);

  const suspended = await inviteAndAccept(t, owner, { name: 'Suspended' });
  await developerEverywhere(t, base, suspended.memberId);
  await expectReaches(t, suspended, env.id);
  await endMembership(t, 'suspend', owner, suspended, suspended.memberId);

  const left = await inviteAndAccept(t, owner, { name: 'Left' });
  await developerEverywhere(t, base, left.memberId);
  await expectReaches(t, left, env.id);
  await endMembership(t, 'leave', owner, left, left.memberId);

  const removed = await inviteAndAccept(t, owner, { name: 'Removed' });
  await developerEverywhere(t, base, removed.memberId);
  await expectReaches(t, removed, env.id);
  const unlink = await t.http.as(owner).delete(`/api/v1/collaboration/members/${removed.memberId}`);
  expect(unlink.status, JSON.stringify(unlink.body)).toBe(204);

  // A trial account of its own (verified, so it accepts as itself), whose trial ended after it joined.
  const trialAccount = await createOwner(t, 'trial-member');
  const expiredTrial = await inviteAndAccept(t, owner, { account: trialAccount });
  await developerEverywhere(t, base, expiredTrial.memberId);
  await expectReaches(t, expiredTrial, env.id);
  await setTrialEnd(t, expiredTrial, new Date(t.clock.now().getTime() - HOUR));

  const stranger = await signUpAndIn(t, { label: 'stranger' });
  const tokens = await scopedTokens(t, owner, otherEnv.id);

  // The owner requires two-factor sign-in (issue 12): every member who calls has a second factor but one, a
  // developer everywhere, who must get 403 two_factor_required on everything in the account.
  for (const member of [...Object.values(roleMembers).flatMap((byRole) => Object.values(byRole)), noShare]) {
    await enrolSecondFactor(t, member);
  }
  const noSecondFactor = await inviteAndAccept(t, owner, { name: 'Without a second factor' });
  await developerEverywhere(t, base, noSecondFactor.memberId);
  await expectReaches(t, noSecondFactor, env.id);
  const policy = await t.http.as(owner).patch('/api/v1/account/policy', { requireTwoFactor: true });
  expect(policy.status, JSON.stringify(policy.body)).toBe(200);

  const target = await inviteAndAccept(t, owner, { name: 'Target' });
  // The target asks for access itself (access requests): it signs in with a second factor like every caller.
  await enrolSecondFactor(t, target);
  const targetShare = await share(t, owner, target.memberId, { type: 'environment', id: otherEnv.id }, ['viewer']);
  const suspendTarget = await inviteAndAccept(t, owner, { name: 'To suspend' });
  const activateTarget = await inviteAndAccept(t, owner, { name: 'To activate' });
  await endMembership(t, 'suspend', owner, activateTarget, activateTarget.memberId);
  const pending = await invite(t, owner);
  const webhook = await t.http.as(owner).post('/api/v1/webhooks', { url: 'https://hooks.example.test/bola', events: ['role.create'] });
  expect(webhook.status, JSON.stringify(webhook.body)).toBe(201);

  return {
    t,
    owner,
    env,
    stoppedEnv,
    otherEnv,
    group,
    subgroup,
    groupEnv,
    customRole,
    target,
    targetShare,
    suspendTarget,
    activateTarget,
    pending: pending.memberId,
    roleMembers,
    outsiders: { noShare, suspended, left, removed, expiredTrial, stranger, noSecondFactor, ...tokens },
    webhook: webhook.body.id,
  };
}

/**
 * A new environment for one successful case of a route that consumes its target (delete, start, stop, restart),
 * shared directly with the caller's role when the caller is a role member.
 */
export async function freshEnvironment(w: World, who: Actor, status: 'running' | 'stopped'): Promise<string> {
  const env = status === 'running' ? await createRunningEnvironment(w.t, w.owner) : await createStoppedEnvironment(w.t, w.owner);
  if (who.member && who.role) await share(w.t, w.owner, who.member.memberId, { type: 'environment', id: env.id }, [who.role]);
  return env.id;
}

/** A new subgroup of the shared group, to delete. */
export async function freshSubgroup(w: World): Promise<string> {
  return (await createGroup(w.t, w.owner, { name: `Doomed ${randomBytes(3).toString('hex')}`, parentId: w.group.id })).id;
}

/** A new top-level group of the owner (a fresh resource to share). */
export async function freshGroup(w: World): Promise<string> {
  return (await createGroup(w.t, w.owner, { name: `Fresh ${randomBytes(3).toString('hex')}` })).id;
}

/** A new share of the target member (on a new group), to delete. */
export async function freshShare(w: World): Promise<string> {
  return share(w.t, w.owner, w.target.memberId, { type: 'group', id: await freshGroup(w) }, ['viewer']);
}

/** A new pending invitation (its collaboration id), to remove. */
export async function freshInvitation(w: World): Promise<string> {
  return (await invite(w.t, w.owner, { email: uniqueEmail('doomed') })).memberId;
}

/** A new custom role no share uses, to delete. */
export async function freshRole(w: World): Promise<string> {
  return createRole(w.t, w.owner, ['env.view']);
}

/** Puts a member in `status` through the owner's API (idempotent), so each case starts from the state it needs. */
export async function ensureMemberStatus(w: World, member: Member, status: 'active' | 'suspended'): Promise<void> {
  const action = status === 'active' ? 'activate' : 'suspend';
  const path = `/api/v1/collaboration/members/${member.memberId}/${action}`;
  const answer = await w.t.http.as(w.owner).post(path);
  // 409: it already is.
  expect([200, 409], `${path}: ${JSON.stringify(answer.body)}`).toContain(answer.status);
}

/** A new webhook endpoint of the owner, to delete. */
export async function freshWebhook(w: World): Promise<string> {
  const answer = await w.t.http.as(w.owner).post('/api/v1/webhooks', { url: 'https://hooks.example.test/doomed', events: ['role.create'] });
  expect(answer.status, JSON.stringify(answer.body)).toBe(201);
  return answer.body.id;
}

/** A delivery to the owner's endpoint that has run out of retries (the matrix runs no workers), to redeliver. */
export async function freshFailedDelivery(w: World): Promise<string> {
  await createRole(w.t, w.owner, ['env.view']);
  const [row] = await w.t.ctx.db
    .update(webhookDeliveries)
    .set({ status: 'failed' })
    .where(and(eq(webhookDeliveries.endpointId, w.webhook), eq(webhookDeliveries.status, 'pending')))
    .returning({ id: webhookDeliveries.id });
  if (!row) throw new Error('no delivery was queued for the role');
  return String(row.id);
}
