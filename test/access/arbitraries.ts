import fc from 'fast-check';
import { permissions, systemRoles, type Permission } from '../../src/access/catalog.js';
import type { ShareFacts, ShareResource } from '../../src/access/snapshot.js';
import type { Membership, TeamFacts, World } from './world.js';

const MAX_DEPTH = 5;

/** True about once in `n` draws. */
const oneIn = (n: number) => fc.integer({ min: 1, max: n }).map((k) => k === 1);
const OWNER = 'owner';
const MEMBER = 'member';

/** Group forests: each group's parent is an earlier group (so no cycles) no deeper than MAX_DEPTH, or none. */
const groupsArb = fc.array(fc.record({ root: oneIn(3), parent: fc.nat() }), { maxLength: 12 }).map((picks) => {
  const groups: { id: string; parentId: string | null; depth: number }[] = [];
  picks.forEach(({ root, parent }, i) => {
    const eligible = groups.filter((g) => g.depth < MAX_DEPTH);
    const chosen = root ? undefined : eligible[parent % Math.max(eligible.length, 1)];
    groups.push({ id: `g${i}`, parentId: chosen?.id ?? null, depth: chosen ? chosen.depth + 1 : 1 });
  });
  return groups.map(({ id, parentId }) => ({ id, parentId }));
});

/** Any parent pointers at all, loops included: the walk must still end, and agree with the model. */
export const loopyGroupsArb = fc
  .array(fc.option(fc.nat(), { nil: null }), { minLength: 1, maxLength: 8 })
  .map((parents) => parents.map((parent, i) => ({ id: `g${i}`, parentId: parent === null ? null : `g${parent % parents.length}` })));

/** Role permission sets, biased towards the interesting ones: empty, no env.* at all, a single env permission. */
const permissionSetArb: fc.Arbitrary<Permission[]> = fc.oneof(
  fc.subarray([...permissions]),
  fc.constantFrom<Permission[]>([], ['billing.view'], ['collaboration.manage'], ['billing.view', 'collaboration.manage'], ['env.logs'], ['env.create']),
);

/** Expiry around `now`: never, long ago, a millisecond ago, exactly now, a millisecond ahead, far ahead. */
const expiryOffsetArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(null) },
  { weight: 3, arbitrary: fc.constantFrom(-86_400_000, -1, 0, 1, 86_400_000) },
  { weight: 1, arbitrary: fc.integer({ min: -1e10, max: 1e10 }) },
);

const membershipArb: fc.Arbitrary<Membership> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('active' as const) },
  { weight: 1, arbitrary: fc.constantFrom<Membership>('pending', 'suspended', 'rejected', 'left', 'none') },
);

const nowArb = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });

interface ShareDraft {
  on: 'account' | 'group' | 'environment';
  pick: number;
  roles: number[];
  expiresIn: number | null;
}

const shareDraftArb: fc.Arbitrary<ShareDraft> = fc.record({
  on: fc.constantFrom('account', 'group', 'group', 'environment', 'environment'),
  pick: fc.nat(),
  roles: fc.array(fc.nat(), { minLength: 0, maxLength: 3 }),
  expiresIn: expiryOffsetArb,
});

/** Builds a world from drawn parts; picks are taken modulo the list they index, so shrinking stays meaningful. */
function assemble(parts: {
  now: Date;
  ownerIsSubject: boolean;
  trialExpired: boolean;
  membership: Membership;
  groups: World['groups'];
  environments: number[][];
  customRoles: Permission[][];
  shares: ShareDraft[];
  teams: TeamDraft[];
  scope: ScopeDraft | null;
  ownerRequiresTwoFactor: boolean;
  subjectHasSecondFactor: boolean;
  tokenLifetimeDays: number | null;
  ownerTokenMaxLifetimeDays: number | null;
}): World {
  const { groups, now } = parts;
  const environments = parts.environments.map((picks, i) => ({
    id: `e${i}`,
    groupIds: [...new Set(picks.flatMap((p) => groups[p % Math.max(groups.length, 1)]?.id ?? []))],
  }));
  const customRoles = parts.customRoles.map((perms, i) => ({ id: `custom${i}`, permissions: perms }));
  // System roles, the owner's custom roles, and one id no role answers to.
  const roleIds = [...systemRoles.map((r) => r.id), ...customRoles.map((r) => r.id), 'deleted-role'];
  const shares: ShareFacts[] = [];
  parts.shares.forEach((draft, i) => {
    const resource = resourceOf(draft, groups, environments);
    if (!resource) return;
    const expiresAt = draft.expiresIn === null ? null : new Date(now.getTime() + draft.expiresIn);
    shares.push({ id: `s${i}`, resource, roleIds: [...new Set(draft.roles.map((r) => roleIds[r % roleIds.length] ?? 'viewer'))], expiresAt });
  });
  // A team share never holds collaboration.manage (the server refuses it, 400 team_share_cannot_manage, on the share
  // and on the role it uses): its roles are drawn among those without it.
  const teamRoleIds = roleIds.filter((id) => !(systemRoles.find((r) => r.id === id)?.permissions ?? customRoles.find((r) => r.id === id)?.permissions ?? []).includes('collaboration.manage'));
  const teams: TeamFacts[] = parts.teams.map((team, t) => ({
    id: `team${t}`,
    memberIds: team.withSubject ? [MEMBER, 'another-member'] : ['another-member'],
    shares: team.shares.flatMap((draft, i) => {
      const resource = resourceOf(draft, groups, environments);
      if (!resource) return [];
      const expiresAt = draft.expiresIn === null ? null : new Date(now.getTime() + draft.expiresIn);
      return [{ id: `t${t}s${i}`, resource, roleIds: [...new Set(draft.roles.map((r) => teamRoleIds[r % teamRoleIds.length] ?? 'viewer'))], expiresAt }];
    }),
  }));
  const subjectId = parts.ownerIsSubject ? OWNER : MEMBER;
  const tokenScope = parts.scope && scopeOf(parts.scope, groups, environments);
  const { ownerRequiresTwoFactor, subjectHasSecondFactor } = parts;
  const lifetimes = {
    ...(parts.tokenLifetimeDays === null ? {} : { tokenLifetimeDays: parts.tokenLifetimeDays }),
    ...(parts.ownerTokenMaxLifetimeDays === null ? {} : { ownerTokenMaxLifetimeDays: parts.ownerTokenMaxLifetimeDays }),
  };
  return { now, ownerId: OWNER, subjectId, trialExpired: parts.trialExpired, membership: parts.membership, groups, environments, customRoles, shares, teams, tokenScope, ownerRequiresTwoFactor, subjectHasSecondFactor, ...lifetimes };
}

interface TeamDraft {
  /** Whether the subject is in the team (another member always is). */
  withSubject: boolean;
  shares: ShareDraft[];
}

/** Teams: mostly with the subject in them, each with a few shares of its own. */
const teamDraftArb: fc.Arbitrary<TeamDraft> = fc.record({
  withSubject: fc.integer({ min: 1, max: 4 }).map((k) => k > 1),
  shares: fc.array(shareDraftArb, { maxLength: 4 }),
});

interface ScopeDraft {
  elsewhere: boolean;
  resources: Array<Pick<ShareDraft, 'on' | 'pick'>>;
  permissions: Permission[];
}

/** A token scope: mostly in this account, on drawn resources, with a drawn permission set (empty included). */
const scopeDraftArb: fc.Arbitrary<ScopeDraft> = fc.record({
  elsewhere: oneIn(8),
  resources: fc.array(fc.record({ on: fc.constantFrom('account', 'group', 'group', 'environment', 'environment'), pick: fc.nat() }), { minLength: 1, maxLength: 3 }),
  permissions: permissionSetArb,
});

function scopeOf(draft: ScopeDraft, groups: World['groups'], environments: World['environments']): World['tokenScope'] {
  const resources = draft.resources.flatMap((r) => resourceOf({ ...r, roles: [], expiresIn: null }, groups, environments) ?? []);
  return { ownerId: draft.elsewhere ? 'another-owner' : OWNER, resources, permissions: draft.permissions };
}

function resourceOf(draft: ShareDraft, groups: World['groups'], environments: World['environments']): ShareResource | undefined {
  if (draft.on === 'account') return { type: 'account' };
  const list = draft.on === 'group' ? groups : environments;
  const chosen = list[draft.pick % Math.max(list.length, 1)];
  return chosen ? { type: draft.on, id: chosen.id } : undefined;
}

/** A random owner's world with one subject; `groups` may be swapped for loopy parents. */
export function worldArb(groups: fc.Arbitrary<World['groups']> = groupsArb): fc.Arbitrary<World> {
  return fc
    .record({
      now: nowArb,
      ownerIsSubject: oneIn(10),
      trialExpired: oneIn(10),
      membership: membershipArb,
      groups,
      environments: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 6 }),
      customRoles: fc.array(permissionSetArb, { maxLength: 4 }),
      shares: fc.array(shareDraftArb, { maxLength: 9 }),
      // Teams the subject may be in (issue 13): their shares count with its own at each level.
      teams: fc.array(teamDraftArb, { maxLength: 3 }),
      // Half the subjects act through a scoped API token.
      scope: fc.option(scopeDraftArb, { freq: 2 }),
      // Some owners require two-factor sign-in; half the subjects have a second factor.
      ownerRequiresTwoFactor: oneIn(5),
      subjectHasSecondFactor: fc.boolean(),
      // Some subjects act through a token of some lifetime; some owners cap lifetimes (equal values included).
      tokenLifetimeDays: fc.option(fc.constantFrom(1, 30, 90, 365), { freq: 2 }),
      ownerTokenMaxLifetimeDays: fc.option(fc.constantFrom(1, 30, 90), { freq: 4 }),
    })
    .map(assemble);
}
