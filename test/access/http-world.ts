/**
 * Random owners' worlds built through the HTTP API, for checking the API's answers against the reference model
 * (model.ts). A plan is drawn with fast-check; `buildWorld` makes it real with sign-ups, groups, environments,
 * custom roles, invitations, shares, teams of members and their shares (issue 13), suspensions, departures and trial
 * ends; `modelWorldOf` describes the result
 * in the model's terms, with the real ids.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { permissions, systemRoles, type Permission } from '../../src/access/catalog.js';
import type { ShareFacts, ShareResource } from '../../src/access/snapshot.js';
import { HOUR, MINUTE } from '../../src/clock.js';
import { type Account, createOwner, setTrialEnd } from '../factories.js';
import { createRole, createTeam, invite, inviteAndAccept, shareWithTeam } from '../factories/collaboration.js';
import { envName } from '../factories/environments.js';
import type { TestApp } from '../support/app.js';
import type { Membership, TeamFacts, World } from './world.js';

/** How a member ends up: the statuses of DESIGN.md section 4, plus removed (no collaboration at all). */
export type PlannedStatus = 'active' | 'suspended' | 'left' | 'removed' | 'pending' | 'rejected';
export const plannedStatuses: readonly PlannedStatus[] = ['active', 'suspended', 'left', 'removed', 'pending', 'rejected'];

/** When a share stops granting, relative to the moment the world is checked (an hour after it was built). */
export type PlannedExpiry = 'never' | 'expired' | 'endsNow' | 'live';

export interface SharePlan {
  on: 'account' | 'group' | 'environment';
  pick: number;
  roles: number[];
  expiry: PlannedExpiry;
}

export interface MemberPlan {
  status: PlannedStatus;
  /** The member's trial has ended when the world is checked (set through the admin trial route). */
  trialExpired: boolean;
  /** Joins by signing up through the invitation link (a collaborator account), or as an existing trial account. */
  joinsBy: 'link' | 'account';
  shares: SharePlan[];
}

export interface WorldPlan {
  /** Each group's parent: an index taken modulo the groups before it, or null for a root group. */
  groups: (number | null)[];
  /** Each environment's groups, as indexes taken modulo the groups. */
  environments: number[][];
  customRoles: Permission[][];
  members: MemberPlan[];
  teams: TeamPlan[];
}

/** A team of the owner's: the members put in it (indexes taken modulo the members), and its shares. */
export interface TeamPlan {
  members: number[];
  shares: SharePlan[];
}

/** The clock moves this much between building a world and checking it: shares and trials end meanwhile. */
export const CHECK_DELAY_MS = HOUR;

const expiryAt = (builtAt: Date, expiry: PlannedExpiry): Date | null => {
  if (expiry === 'never') return null;
  const offset = { expired: 30 * MINUTE, endsNow: CHECK_DELAY_MS, live: 24 * HOUR }[expiry];
  return new Date(builtAt.getTime() + offset);
};

// Role permission sets leaning towards the interesting ones: a single env permission, none of env.* at all.
const permissionSetArb: fc.Arbitrary<Permission[]> = fc.oneof(
  fc.subarray([...permissions], { minLength: 1 }),
  fc.constantFrom<Permission[]>(['billing.view'], ['env.create'], ['env.logs'], ['env.stop'], ['collaboration.manage', 'billing.view']),
);

const sharePlanArb: fc.Arbitrary<SharePlan> = fc.record({
  on: fc.constantFrom('account', 'group', 'group', 'environment', 'environment'),
  pick: fc.nat(),
  roles: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
  expiry: fc.constantFrom<PlannedExpiry>('never', 'never', 'never', 'expired', 'endsNow', 'live'),
});

const memberPlanArb: fc.Arbitrary<MemberPlan> = fc.record({
  status: fc.oneof({ weight: 5, arbitrary: fc.constant<PlannedStatus>('active') }, { weight: 1, arbitrary: fc.constantFrom(...plannedStatuses) }),
  trialExpired: fc.integer({ min: 1, max: 5 }).map((k) => k === 1),
  joinsBy: fc.constantFrom('link', 'account'),
  shares: fc.array(sharePlanArb, { minLength: 1, maxLength: 5 }),
});

const teamPlanArb: fc.Arbitrary<TeamPlan> = fc.record({
  members: fc.array(fc.nat(), { minLength: 1, maxLength: 2 }),
  shares: fc.array(sharePlanArb, { minLength: 1, maxLength: 3 }),
});

/**
 * A random owner's world: up to six nested groups, two to five environments in zero to three groups each, one or two
 * members, and up to two teams of them.
 */
export const worldPlanArb: fc.Arbitrary<WorldPlan> = fc.record({
  groups: fc.array(fc.option(fc.nat(), { nil: null, freq: 3 }), { maxLength: 6 }),
  environments: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 2, maxLength: 5 }),
  customRoles: fc.array(permissionSetArb, { maxLength: 2 }),
  members: fc.array(memberPlanArb, { minLength: 1, maxLength: 2 }),
  teams: fc.array(teamPlanArb, { maxLength: 2 }),
});

export interface BuiltMember {
  plan: MemberPlan;
  account: Account;
  /** The collaboration id (gone when removed). */
  memberId: string;
  /** The shares that still exist, as the model reads them. */
  shares: ShareFacts[];
}

export interface BuiltWorld {
  owner: Account;
  groups: { id: string; parentId: string | null }[];
  environments: { id: string; groupIds: string[] }[];
  customRoles: { id: string; permissions: Permission[] }[];
  members: BuiltMember[];
  /** The teams as they stand once built: members by user id (a left or removed one is out), their shares. */
  teams: TeamFacts[];
}

const nodes = [{ role: 'app', image: 'nginx:1.27', count: 1, cloudlets: 1 }];

async function ok<T>(answer: Promise<{ status: number; body: T }>, status: number): Promise<T> {
  const { status: got, body } = await answer;
  expect(got, JSON.stringify(body)).toBe(status);
  return body;
}

/** Brings a member in as planned: invited and (unless pending or rejected) accepted, by link or as an existing account. */
async function join(t: TestApp, owner: Account, plan: MemberPlan): Promise<{ account: Account; memberId: string }> {
  const joinsBy = plan.status === 'pending' || plan.status === 'rejected' ? 'account' : plan.joinsBy;
  if (joinsBy === 'link') {
    const member = await inviteAndAccept(t, owner);
    return { account: member, memberId: member.memberId };
  }
  const account = await createOwner(t, 'member');
  if (plan.status === 'pending') return { account, memberId: (await invite(t, owner, { email: account.email })).memberId };
  if (plan.status === 'rejected') {
    const { memberId } = await invite(t, owner, { email: account.email });
    await ok(t.http.as(account).post(`/api/v1/collaborations/${memberId}/reject`), 200);
    return { account, memberId };
  }
  const member = await inviteAndAccept(t, owner, { account });
  return { account, memberId: member.memberId };
}

function resourceOf(plan: SharePlan, world: Pick<BuiltWorld, 'groups' | 'environments'>): ShareResource | undefined {
  if (plan.on === 'account') return { type: 'account' };
  const list = plan.on === 'group' ? world.groups : world.environments;
  const chosen = list[plan.pick % Math.max(list.length, 1)];
  return chosen ? { type: plan.on, id: chosen.id } : undefined;
}

const resourceKey = (resource: ShareResource) => (resource.type === 'account' ? 'account' : `${resource.type}:${resource.id}`);

/**
 * Builds a planned world through the API at the clock's current time, then moves the clock CHECK_DELAY_MS on, so
 * that shares planned to expire have expired and planned trial ends have passed.
 */
export async function buildWorld(t: TestApp, plan: WorldPlan): Promise<BuiltWorld> {
  const builtAt = t.clock.now();
  const owner = await createOwner(t, 'owner');
  const asOwner = t.http.as(owner);

  const groups: BuiltWorld['groups'] = [];
  for (const [i, parentPick] of plan.groups.entries()) {
    const parent = parentPick === null || groups.length === 0 ? undefined : groups[parentPick % groups.length];
    const body = await ok(asOwner.post('/api/v1/groups', { name: `G${i}`, ...(parent ? { parentId: parent.id } : {}) }), 201);
    groups.push({ id: body.id, parentId: parent?.id ?? null });
  }

  const environments: BuiltWorld['environments'] = [];
  for (const picks of plan.environments) {
    const groupIds = [...new Set(picks.flatMap((p) => groups[p % Math.max(groups.length, 1)]?.id ?? []))];
    const [first, ...others] = groupIds;
    const body = await ok(asOwner.post('/api/v1/environments', { name: envName(), nodes, ...(first ? { groupId: first } : {}) }), 201);
    for (const groupId of others) await ok(asOwner.put(`/api/v1/groups/${groupId}/environments/${body.id}`), 200);
    environments.push({ id: body.id, groupIds });
  }

  const customRoles: BuiltWorld['customRoles'] = [];
  for (const set of plan.customRoles) customRoles.push({ id: await createRole(t, owner, set), permissions: permissions.filter((p) => set.includes(p)) });
  const roleIds = [...systemRoles.map((role) => role.id), ...customRoles.map((role) => role.id)];

  const members: BuiltMember[] = [];
  for (const memberPlan of plan.members) {
    const { account, memberId } = await join(t, owner, memberPlan);
    const shares: ShareFacts[] = [];
    if (memberPlan.status !== 'pending' && memberPlan.status !== 'rejected') {
      const taken = new Set<string>();
      for (const sharePlan of memberPlan.shares) {
        const resource = resourceOf(sharePlan, { groups, environments });
        if (!resource || taken.has(resourceKey(resource))) continue;
        taken.add(resourceKey(resource));
        const shareRoles = [...new Set(sharePlan.roles.map((r) => roleIds[r % roleIds.length] ?? 'viewer'))];
        const expiresAt = expiryAt(builtAt, sharePlan.expiry);
        const body = await ok(
          asOwner.post(`/api/v1/collaboration/members/${memberId}/shares`, { resource, roleIds: shareRoles, ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}) }),
          201,
        );
        shares.push({ id: body.id, resource, roleIds: shareRoles, expiresAt });
      }
    }
    members.push({ plan: memberPlan, account, memberId, shares });
  }

  // Teams, while every member who joined is still active: a suspended one stays in its teams, one who leaves or is
  // removed goes out of them. A team share never holds collaboration.manage, so its roles are drawn without it.
  const teamRoleIds = roleIds.filter((id) => !(systemRoles.find((r) => r.id === id)?.permissions ?? customRoles.find((r) => r.id === id)?.permissions ?? []).includes('collaboration.manage'));
  const teams: TeamFacts[] = [];
  for (const teamPlan of plan.teams) {
    const joined = [...new Set(teamPlan.members.map((m) => members[m % members.length] as BuiltMember))].filter((m) => m.plan.status !== 'pending' && m.plan.status !== 'rejected');
    const id = await createTeam(t, owner, joined.map((m) => m.memberId));
    const shares: ShareFacts[] = [];
    const taken = new Set<string>();
    for (const sharePlan of teamPlan.shares) {
      const resource = resourceOf(sharePlan, { groups, environments });
      if (!resource || taken.has(resourceKey(resource))) continue;
      taken.add(resourceKey(resource));
      const shareRoles = [...new Set(sharePlan.roles.map((r) => teamRoleIds[r % teamRoleIds.length] ?? 'viewer'))];
      const expiresAt = expiryAt(builtAt, sharePlan.expiry);
      shares.push({ id: await shareWithTeam(t, owner, id, resource, shareRoles, expiresAt), resource, roleIds: shareRoles, expiresAt });
    }
    teams.push({ id, memberIds: joined.map((m) => m.account.id), shares });
  }

  for (const member of members) {
    const { plan: memberPlan, account, memberId } = member;
    if (memberPlan.status === 'suspended') await ok(asOwner.post(`/api/v1/collaboration/members/${memberId}/suspend`), 200);
    if (memberPlan.status === 'left') await ok(t.http.as(account).post(`/api/v1/collaborations/${memberId}/leave`), 200);
    if (memberPlan.status === 'removed') await ok(asOwner.delete(`/api/v1/collaboration/members/${memberId}`), 204);
    if (memberPlan.status === 'left' || memberPlan.status === 'removed') {
      member.shares = [];
      for (const team of teams) team.memberIds = team.memberIds.filter((id) => id !== account.id);
    }
    // Half the ended trials end exactly when the world is checked: an end that is now has passed.
    if (memberPlan.trialExpired) await setTrialEnd(t, account, new Date(builtAt.getTime() + (memberPlan.shares.length % 2 === 0 ? 30 * MINUTE : CHECK_DELAY_MS)));
  }

  t.clock.advance(CHECK_DELAY_MS);
  return { owner, groups, environments, customRoles, members, teams };
}

const membershipOf: Record<PlannedStatus, Membership> = {
  active: 'active',
  suspended: 'suspended',
  left: 'left',
  removed: 'none',
  pending: 'pending',
  rejected: 'rejected',
};

/** The built world as the reference model sees it, with `member` as the subject, at `now`. */
export function modelWorldOf(world: BuiltWorld, member: BuiltMember, now: Date): World {
  return {
    now,
    ownerId: world.owner.id,
    subjectId: member.account.id,
    trialExpired: member.plan.trialExpired,
    membership: membershipOf[member.plan.status],
    groups: world.groups,
    environments: world.environments,
    customRoles: world.customRoles,
    shares: member.shares,
    teams: world.teams,
  };
}
