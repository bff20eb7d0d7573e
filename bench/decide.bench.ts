import { canSee, decide, effectiveAccess } from '../src/access/decide.js';
import { measure, report } from './harness.js';
import { largeWorld } from './large-world.js';

/** decide() and effectiveAccess() on a large owner's world: one decision per request, and listing every environment. */
export default function run(): void {
  const world = largeWorld();
  const { environments } = world;
  const shared = world.snapshot();
  console.log(`decide: 2,000 groups 6 deep, ${environments.length.toLocaleString('en-US')} environments, a member with 300 shares`);

  let i = 0;
  const next = () => environments[(i += 7919) % environments.length] ?? { kind: 'account' as const };
  measure('decide() on a reused snapshot', () => decide(shared, next(), 'env.deploy'));
  // A request builds a fresh snapshot object around the cached facts and decides once: per-request preparation included.
  measure('decide() on a request’s snapshot (cached facts)', () => decide(world.snapshot(), next(), 'env.deploy'));
  measure('decide() on freshly loaded facts (a cache miss)', () => decide(world.loadedSnapshot(), next(), 'env.deploy'));
  measure('create in a deep group (request’s snapshot)', () => decide(world.snapshot(), { kind: 'create', groupId: 'g5-17' }, 'env.create'));
  measure('effectiveAccess() with every permission (reused)', () => effectiveAccess(shared, next()));

  // Listing: one snapshot, a decision per environment, keep the visible ones.
  const rounds = 5;
  let visible = 0;
  const start = performance.now();
  for (let round = 0; round < rounds; round += 1) {
    const snapshot = world.snapshot();
    visible = environments.filter((target) => canSee(effectiveAccess(snapshot, target))).length;
  }
  const seconds = (performance.now() - start) / 1000;
  report({ name: `list ${environments.length.toLocaleString('en-US')} environments (per decision)`, ops: rounds * environments.length, seconds });
  console.log(`  one listing of ${environments.length.toLocaleString('en-US')} environments: ${((seconds / rounds) * 1000).toFixed(1)} ms, ${visible.toLocaleString('en-US')} visible`);
}
