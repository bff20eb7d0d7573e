import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { permissions } from '../../src/access/catalog.js';
import { canSee, decide, effectiveAccess } from '../../src/access/decide.js';
import { loopyGroupsArb, worldArb } from './arbitraries.js';
import { modelAccess } from './model.js';
import { questionsOf, snapshotOf, targetOf, type World } from './world.js';

/** At least 10,000 generated owners' worlds per run; each is asked about every environment, destination and the account. */
const RUNS = 10_000;

const sorted = (values: Iterable<string>) => [...values].sort();

/** Where a share id comes from in a world: the subject's own shares (no team), or a team's shares (that team). */
function holdersOf(world: World, shareId: string): Array<{ share: World['shares'][number]; teamId: string | null }> {
  const own = world.shares.filter((s) => s.id === shareId).map((share) => ({ share, teamId: null }));
  const viaTeams = (world.teams ?? []).flatMap((team) => team.shares.filter((s) => s.id === shareId).map((share) => ({ share, teamId: team.id })));
  return [...own, ...viaTeams];
}

/** Checks decide.ts against the model on every question about a world; returns the outcomes seen, for coverage. */
function agreesWithModel(world: World, pick: number): string[] {
  // Half the worlds ask every question of one snapshot, as a listing does (every decision reads the index built
  // for its shares on the first); the other half ask each of a fresh snapshot, as requests do.
  const listing = pick % 2 === 0 ? snapshotOf(world) : null;
  const outcomes: string[] = [];
  questionsOf(world).forEach((question) => {
    const snapshot = listing ?? snapshotOf(world);
    const target = targetOf(world, question);
    const access = effectiveAccess(snapshot, target);
    const model = modelAccess(world, question);
    const got = {
      level: access.level,
      blockedBy: access.blockedBy,
      permissions: sorted(access.permissions),
      shareIds: sorted(access.via.map((g) => g.shareId)),
      grantsMatchShares: access.via.every((g) => holdersOf(world, g.shareId).some((h) => h.share.resource === g.resource && h.share.roleIds === g.roleIds && h.teamId === g.teamId)),
      inCatalogOrder: access.permissions.join() === permissions.filter((p) => access.permissions.includes(p)).join(),
      canSee: canSee(access),
    };
    const want = {
      level: model.level,
      blockedBy: model.blockedBy,
      permissions: sorted(model.permissions),
      shareIds: sorted(model.shareIds),
      grantsMatchShares: true,
      inCatalogOrder: true,
      canSee: model.permissions.has('env.view'),
    };
    // Deep equality through expect() is slow: compare cheaply, and let expect() draw the diff only on a mismatch.
    if (JSON.stringify(got) !== JSON.stringify(want)) expect(got, JSON.stringify(question)).toEqual(want);
    // decide() for every permission: allowed exactly when the model grants it, at the level and block it reports.
    for (const permission of permissions) {
      const decision = decide(snapshot, target, permission);
      const agrees = decision.allowed === model.permissions.has(permission) && decision.level === model.level && decision.blockedBy === model.blockedBy;
      if (!agrees) expect({ ...decision }, `${JSON.stringify(question)} ${permission}`).toEqual({ permission, allowed: model.permissions.has(permission), level: model.level, blockedBy: model.blockedBy });
    }
    outcomes.push(`${question.kind}:${model.level ?? model.blockedBy}`);
    // Which holders decided: the subject alone, a team alone, or both together at one level (issue 13).
    const byTeam = access.via.some((g) => g.teamId !== null);
    const byOwn = access.via.some((g) => g.teamId === null);
    if (byTeam) outcomes.push(`via:${byOwn ? 'own+team' : 'team'}:${model.level}`);
  });
  return outcomes;
}

describe('decide() agrees with the reference model of DESIGN.md section 6', () => {
  it(`on ${RUNS.toLocaleString('en-US')} random owners' worlds, for every environment, creation destination and the account`, () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(worldArb(), fc.nat(), (world, pick) => {
        for (const outcome of agreesWithModel(world, pick)) seen.add(outcome);
      }),
      { numRuns: RUNS },
    );
    // The generators must reach every outcome, or agreeing would prove little.
    const expected = ['owner', 'direct', 'group', 'account', 'not_member', 'suspended', 'trial_expired', 'share_expired', 'no_share', 'token_scope', 'two_factor_required', 'token_lifetime_exceeded'];
    const reached = new Set([...seen].filter((s) => !s.startsWith('via:')).map((s) => s.split(':')[1] ?? ''));
    expect(sorted(reached)).toEqual(sorted(expected));
    expect(seen).toContain('create:group');
    expect(seen).toContain('create:account');
    expect(seen).toContain('environment:group');
    // Team shares decide at every level, alone and together with the subject's own.
    for (const level of ['direct', 'group', 'account']) {
      expect(seen).toContain(`via:team:${level}`);
      expect(seen).toContain(`via:own+team:${level}`);
    }
  });

  it('even when group parents form loops, the walk ends and agrees', () => {
    fc.assert(
      fc.property(worldArb(loopyGroupsArb), fc.nat(), (world, pick) => {
        agreesWithModel(world, pick);
      }),
      { numRuns: 1_000 },
    );
  });
});
