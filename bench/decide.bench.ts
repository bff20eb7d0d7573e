import { canSee, decide, effectiveAccess } from '../src/access/decide.js';
import { measure, report } from './harness.js';
import { largeWorld } from './large-world.js';

/** effectiveAccess on a large owner's world: one decision per request, and listing every environment. */
export default function run(): void {
  const world = largeWorld();
  const { environments } = world;
  const shared = world.snapshot();
  console.log(`decide: 2,000 groups 6 deep, ${environments.length.toLocaleString('en-US')} environments, a member with 300 shares`);

  let i = 0;
  const next = () => environments[(i += 7919) % environments.length] ?? { kind: 'account' as const };
  // A request loads a fresh snapshot and decides once: this includes any per-snapshot preparation.
  measure('one decision on a fresh snapshot (a request)', () => decide(world.snapshot(), next(), 'env.deploy'));
  measure('one decision on a reused snapshot', () => effectiveAccess(shared, next()));
  measure('create in a deep group (fresh snapshot)', () => decide(world.snapshot(), { kind: 'create', groupId: 'g5-17' }, 'env.create'));

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
