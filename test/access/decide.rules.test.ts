import { describe, expect, it } from 'vitest';
import { canSee } from '../../src/access/decide.js';
import { systemRole } from '../../src/access/catalog.js';
import { accessIn, at, createIn, environment, HOUR, onAccount, onEnvironment, onGroup, role, share, theAccount, world } from './builders.js';

// Each example checks decide.ts, and (inside accessIn) that the reference model answers the same.

const prod = { id: 'prod', groupIds: ['backend'] };
const staging = { id: 'staging', groupIds: ['backend'] };
const tree = [
  { id: 'company', parentId: null },
  { id: 'team', parentId: 'company' },
  { id: 'backend', parentId: 'team' },
  { id: 'frontend', parentId: 'team' },
];

describe('levels: only the highest level with a live share counts', () => {
  it('a direct viewer share beats an account developer share', () => {
    const w = world({ environments: [prod, staging], shares: [share(onAccount, ['developer']), share(onEnvironment('prod'), ['viewer'])] });
    const onProd = accessIn(w, environment('prod'));
    expect(onProd.level).toBe('direct');
    expect(onProd.permissions).toEqual(['env.view', 'env.logs']);
    expect(accessIn(w, environment('staging')).permissions).toContain('env.deploy');
  });

  it('the nearest shared ancestor group decides, not the root', () => {
    const root = share(onGroup('company'), ['admin']);
    const team = share(onGroup('team'), ['viewer']);
    const w = world({ groups: tree, environments: [prod], shares: [root, team] });
    const access = accessIn(w, environment('prod'));
    expect(access.level).toBe('group');
    expect(access.via.map((g) => g.shareId)).toEqual([team.id]);
    expect(access.permissions).toEqual(['env.view', 'env.logs']);
  });

  it('shares of two groups of one environment unite', () => {
    const w = world({
      groups: tree,
      environments: [{ id: 'shop', groupIds: ['backend', 'frontend'] }],
      customRoles: [role('deployer', ['env.deploy'])],
      shares: [share(onGroup('backend'), ['viewer']), share(onGroup('frontend'), ['deployer'])],
    });
    expect(accessIn(w, environment('shop')).permissions).toEqual(['env.view', 'env.deploy', 'env.logs']);
  });

  it('two groups that lead to the same shared ancestor count its share once', () => {
    const team = share(onGroup('team'), ['operator']);
    const w = world({ groups: tree, environments: [{ id: 'shop', groupIds: ['backend', 'frontend'] }], shares: [team] });
    expect(accessIn(w, environment('shop')).via).toEqual([{ shareId: team.id, resource: onGroup('team'), roleIds: ['operator'], teamId: null }]);
  });

  it('a group share beats the account share, even when it grants less', () => {
    const w = world({ groups: tree, environments: [prod], shares: [share(onAccount, ['admin']), share(onGroup('company'), ['viewer'])] });
    expect(accessIn(w, environment('prod')).permissions).toEqual(['env.view', 'env.logs']);
  });

  it('an environment in no group is decided by the account share when it has no direct share', () => {
    const w = world({ environments: [{ id: 'loose', groupIds: [] }], shares: [share(onAccount, ['operator']), share(onGroup('team'), ['admin'])] });
    expect(accessIn(w, environment('loose')).level).toBe('account');
  });
});

describe('expiry: an expired share counts as absent', () => {
  it('an expired direct share falls through to the group level', () => {
    const w = world({
      groups: tree,
      environments: [prod],
      shares: [share(onEnvironment('prod'), ['admin'], at(-HOUR)), share(onGroup('backend'), ['operator'])],
    });
    const access = accessIn(w, environment('prod'));
    expect(access.level).toBe('group');
    expect(new Set(access.permissions)).toEqual(new Set(systemRole('operator')?.permissions));
  });

  it('an expired group share lets the walk go on to the next ancestor', () => {
    const w = world({ groups: tree, environments: [prod], shares: [share(onGroup('backend'), ['admin'], at(-1)), share(onGroup('company'), ['viewer'])] });
    expect(accessIn(w, environment('prod')).via[0]?.resource).toEqual(onGroup('company'));
  });

  it('only expired shares → share_expired, and the environment is hidden', () => {
    const w = world({ groups: tree, environments: [prod], shares: [share(onGroup('team'), ['admin'], at(-HOUR)), share(onAccount, ['viewer'], at(-1))] });
    const access = accessIn(w, environment('prod'));
    expect(access).toEqual({ level: null, permissions: [], via: [], blockedBy: 'share_expired' });
    expect(canSee(access)).toBe(false);
  });

  it('a share expires at its expiresAt instant, and grants until then', () => {
    const at0 = world({ environments: [prod], shares: [share(onEnvironment('prod'), ['viewer'], at(0))] });
    expect(accessIn(at0, environment('prod')).blockedBy).toBe('share_expired');
    const before = world({ environments: [prod], shares: [share(onEnvironment('prod'), ['viewer'], at(1))] });
    expect(accessIn(before, environment('prod')).level).toBe('direct');
  });

  it('expired shares elsewhere do not make a no_share into share_expired', () => {
    const w = world({ groups: tree, environments: [prod, { id: 'other', groupIds: ['frontend'] }], shares: [share(onEnvironment('other'), ['admin'], at(-1)), share(onGroup('frontend'), ['admin'], at(-1))] });
    expect(accessIn(w, environment('prod')).blockedBy).toBe('no_share');
  });
});

describe('who: the owner, members and everyone else', () => {
  const everything = world({ environments: [prod], shares: [share(onAccount, ['admin']), share(onEnvironment('prod'), ['admin'])] });

  it('the owner may do everything without any share', () => {
    const access = accessIn(world({ subjectId: 'owner', membership: 'none', environments: [prod] }), environment('prod'));
    expect(access.level).toBe('owner');
    expect(access.permissions).toContain('collaboration.manage');
  });

  it('a suspended member gets nothing, whatever the shares', () => {
    const w = { ...everything, membership: 'suspended' as const };
    for (const question of [environment('prod'), createIn(null), theAccount]) expect(accessIn(w, question).blockedBy).toBe('suspended');
  });

  it.each([
    ['a pending invitee', 'pending'],
    ['a member who rejected', 'rejected'],
    ['a member who left', 'left'],
    ['someone with no collaboration', 'none'],
  ] as const)('%s gets nothing, whatever the shares: not_member', (_who, membership) => {
    expect(accessIn({ ...everything, membership }, environment('prod'))).toEqual({ level: null, permissions: [], via: [], blockedBy: 'not_member' });
  });

  it('an expired trial gets trial_expired, as a member and on its own environments', () => {
    expect(accessIn({ ...everything, trialExpired: true }, environment('prod')).blockedBy).toBe('trial_expired');
    expect(accessIn({ ...everything, trialExpired: true, subjectId: 'owner' }, environment('prod')).blockedBy).toBe('trial_expired');
  });
});

describe('creating environments', () => {
  it('creating in a group with no share up the chain falls back to the account share', () => {
    const w = world({ groups: tree, shares: [share(onAccount, ['developer']), share(onGroup('frontend'), ['viewer'])] });
    const access = accessIn(w, createIn('backend'));
    expect(access.level).toBe('account');
    expect(access.permissions).toContain('env.create');
  });

  it('a share up the chain decides creation in a group, even one without env.create', () => {
    const w = world({ groups: tree, shares: [share(onAccount, ['developer']), share(onGroup('team'), ['operator'])] });
    expect(accessIn(w, createIn('backend')).permissions).not.toContain('env.create');
    expect(accessIn(w, createIn(null)).permissions).toContain('env.create');
  });

  it('at the account root only the account share decides', () => {
    const w = world({ groups: tree, shares: [share(onGroup('company'), ['admin'])] });
    expect(accessIn(w, createIn(null)).blockedBy).toBe('no_share');
  });
});

describe('permissions', () => {
  it('env.view is implied by any env permission', () => {
    const w = world({ environments: [prod], customRoles: [role('restarter', ['env.restart'])], shares: [share(onEnvironment('prod'), ['restarter'])] });
    const access = accessIn(w, environment('prod'));
    expect(access.permissions).toEqual(['env.view', 'env.restart']);
    expect(canSee(access)).toBe(true);
  });

  it('billing.view alone does not make an environment visible', () => {
    const w = world({ environments: [prod], customRoles: [role('accountant', ['billing.view'])], shares: [share(onAccount, ['accountant'])] });
    const access = accessIn(w, environment('prod'));
    expect(access.permissions).toEqual(['billing.view']);
    expect(canSee(access)).toBe(false);
  });

  it('a share naming a role that does not exist still decides its level, and grants nothing', () => {
    const w = world({ environments: [prod], shares: [share(onAccount, ['admin']), share(onEnvironment('prod'), ['gone'])] });
    expect(accessIn(w, environment('prod'))).toMatchObject({ level: 'direct', permissions: [], blockedBy: null });
  });

  it('collaboration.manage is read at account level only: a direct or group admin share grants nothing by it', () => {
    const w = world({ groups: tree, environments: [prod], shares: [share(onEnvironment('prod'), ['admin']), share(onGroup('team'), ['admin']), share(onAccount, ['developer'])] });
    expect(accessIn(w, environment('prod')).permissions).not.toContain('collaboration.manage');
    expect(accessIn(w, createIn('team')).permissions).not.toContain('collaboration.manage');
    expect(accessIn(w, theAccount).permissions).not.toContain('collaboration.manage');
    const onAccountOnly = world({ environments: [prod], shares: [share(onAccount, ['admin'])] });
    expect(accessIn(onAccountOnly, theAccount).permissions).toContain('collaboration.manage');
    expect(accessIn(onAccountOnly, environment('prod')).permissions).toContain('collaboration.manage');
  });

  it('env.create means where to create: a group share grants it there, an environment share grants nothing by it', () => {
    const w = world({ groups: tree, environments: [prod], shares: [share(onEnvironment('prod'), ['developer']), share(onGroup('team'), ['developer'])] });
    expect(accessIn(w, environment('prod')).permissions).not.toContain('env.create');
    expect(accessIn(w, environment('prod')).permissions).toContain('env.deploy');
    expect(accessIn(w, createIn('backend')).permissions).toContain('env.create');
  });

  it('a direct share whose roles hold only place permissions still decides its level, and hides the environment', () => {
    const w = world({ environments: [prod], customRoles: [role('creator', ['env.create'])], shares: [share(onAccount, ['admin']), share(onEnvironment('prod'), ['creator'])] });
    const access = accessIn(w, environment('prod'));
    expect(access).toMatchObject({ level: 'direct', permissions: [], blockedBy: null });
    expect(canSee(access)).toBe(false);
  });
});

describe('an owner who requires two-factor sign-in (issue 12)', () => {
  const shared = { environments: [prod], shares: [share(onAccount, ['developer'])], ownerRequiresTwoFactor: true };

  it('gives an active member without a second factor nothing, on every question, and says why', () => {
    const w = world(shared);
    for (const question of [environment('prod'), createIn(null), theAccount]) {
      expect(accessIn(w, question)).toMatchObject({ level: null, permissions: [], via: [], blockedBy: 'two_factor_required' });
    }
  });

  it('a member with a second factor keeps its shares; the owner itself is never blocked', () => {
    expect(accessIn(world({ ...shared, subjectHasSecondFactor: true }), environment('prod')).permissions).toContain('env.deploy');
    expect(accessIn(world({ ...shared, subjectId: 'owner' }), environment('prod')).level).toBe('owner');
  });

  it('a token of such a member is blocked the same; a suspension or an ended trial still names itself first', () => {
    const scope = { ownerId: 'owner', resources: [{ type: 'account' as const }], permissions: ['env.deploy' as const] };
    expect(accessIn(world({ ...shared, tokenScope: scope }), environment('prod')).blockedBy).toBe('two_factor_required');
    expect(accessIn(world({ ...shared, membership: 'suspended' }), environment('prod')).blockedBy).toBe('suspended');
    expect(accessIn(world({ ...shared, trialExpired: true }), environment('prod')).blockedBy).toBe('trial_expired');
  });
});

describe("teams (issue 13): a member's own shares and its teams' count together at each level", () => {
  const inTeam = (id: string, shares: ReturnType<typeof share>[], memberIds = ['member']) => ({ id, memberIds, shares });

  it("unites the member's own group share and its team's share on the same group", () => {
    const own = share(onGroup('team'), ['viewer']);
    const theirs = share(onGroup('team'), ['operator']);
    const w = world({ groups: tree, environments: [prod], shares: [own], teams: [inTeam('contractors', [theirs])] });
    const access = accessIn(w, environment('prod'));
    expect(access.level).toBe('group');
    expect(access.permissions).toContain('env.restart');
    expect(access.via.map((g) => g.teamId).sort()).toEqual(['contractors', null].sort());
  });

  it('keeps the precedence of levels: the member\'s own direct share beats its team\'s group share', () => {
    const w = world({ groups: tree, environments: [prod], shares: [share(onEnvironment('prod'), ['viewer'])], teams: [inTeam('ops', [share(onGroup('team'), ['admin'])])] });
    expect(accessIn(w, environment('prod'))).toMatchObject({ level: 'direct', permissions: ['env.view', 'env.logs'] });
  });

  it("a team's direct share beats the member's own account share", () => {
    const w = world({ environments: [prod], shares: [share(onAccount, ['admin'])], teams: [inTeam('ops', [share(onEnvironment('prod'), ['viewer'])])] });
    expect(accessIn(w, environment('prod'))).toMatchObject({ level: 'direct', permissions: ['env.view', 'env.logs'] });
  });

  it("gives nothing through a team the member is not in, nor to a suspended member through its team", () => {
    const theirs = inTeam('others', [share(onAccount, ['operator'])], ['someone-else']);
    expect(accessIn(world({ environments: [prod], teams: [theirs] }), environment('prod')).blockedBy).toBe('no_share');
    const mine = inTeam('mine', [share(onAccount, ['operator'])]);
    expect(accessIn(world({ environments: [prod], teams: [mine], membership: 'suspended' }), environment('prod')).blockedBy).toBe('suspended');
  });

  it("an expired team share counts as absent, and says share_expired when nothing else decides", () => {
    const w = world({ environments: [prod], teams: [inTeam('ops', [share(onEnvironment('prod'), ['viewer'], at(-1))])] });
    expect(accessIn(w, environment('prod')).blockedBy).toBe('share_expired');
  });
});
