import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visibilityCandidates } from '../../src/access/candidates.js';
import { canSee, effectiveAccess } from '../../src/access/decide.js';
import { loopyGroupsArb, worldArb } from './arbitraries.js';
import { modelAccess } from './model.js';
import { snapshotOf, targetOf, type World } from './world.js';

/** Every environment the subject sees (by decide() and by the reference model) is among the candidates. */
function candidatesHoldEveryVisible(world: World): { visible: number; candidates: number } {
  const snapshot = snapshotOf(world);
  const candidates = visibilityCandidates(snapshot);
  let visible = 0;
  let included = 0;
  for (const environment of world.environments) {
    const question = { kind: 'environment' as const, environmentId: environment.id };
    const sees = canSee(effectiveAccess(snapshot, targetOf(world, question)));
    expect(sees, JSON.stringify(question)).toBe(modelAccess(world, question).permissions.has('env.view'));
    const candidate =
      candidates === 'all' ||
      (candidates !== 'none' && (candidates.environmentIds.includes(environment.id) || environment.groupIds.some((id) => candidates.groupIds.includes(id))));
    if (sees) {
      visible += 1;
      if (!candidate) expect.fail(`${environment.id} is visible but not a candidate: ${JSON.stringify({ world, candidates })}`);
    }
    if (candidate) included += 1;
  }
  return { visible, candidates: included };
}

describe('the visibility candidates a listing loads hold every environment the decision shows', () => {
  it('on 5,000 random owners\' worlds', () => {
    let narrowed = 0;
    fc.assert(
      fc.property(worldArb(), (world) => {
        const { visible, candidates } = candidatesHoldEveryVisible(world);
        if (candidates < world.environments.length && visible > 0) narrowed += 1;
      }),
      { numRuns: 5_000 },
    );
    // The generator must reach worlds where the candidates narrow the list and still hold what is visible.
    expect(narrowed).toBeGreaterThan(50);
  });

  it('even when group parents form loops', () => {
    fc.assert(
      fc.property(worldArb(loopyGroupsArb), (world) => {
        candidatesHoldEveryVisible(world);
      }),
      { numRuns: 1_000 },
    );
  });
});
