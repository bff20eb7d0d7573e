import { systemRoles, type Permission } from '../src/access/catalog.js';
import type { AccessSnapshot, AccessTarget, GroupFacts, ShareFacts } from '../src/access/snapshot.js';

/** A seeded pseudo-random generator (mulberry32), so every run benchmarks the same world. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LargeWorld {
  /** A request's snapshot: a fresh object over the facts as the snapshot cache hands them out (the same lists). */
  snapshot: () => AccessSnapshot;
  /** A snapshot over freshly loaded facts (a new shares list), as a request that misses the cache has. */
  loadedSnapshot: () => AccessSnapshot;
  environments: Extract<AccessTarget, { kind: 'environment' }>[];
  groupIds: string[];
}

/** Groups per depth (6 levels, 2,000 groups): each group's parent is a random group one level up. */
const LEVEL_SIZES = [20, 60, 160, 360, 600, 800];

/**
 * An owner with 2,000 groups nested 6 deep, 20,000 environments in 0–3 groups each, and a member holding 300
 * shares (1 account, 150 group, 149 environment; a fifth of them expired).
 */
export function largeWorld(seed = 42): LargeWorld {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const now = new Date('2025-06-01T12:00:00Z');

  const groups = new Map<string, GroupFacts>();
  let previous: string[] = [];
  LEVEL_SIZES.forEach((size, depth) => {
    const level: string[] = [];
    for (let i = 0; i < size; i += 1) {
      const id = `g${depth}-${i}`;
      groups.set(id, { id, parentId: depth === 0 ? null : pick(previous) });
      level.push(id);
    }
    previous = level;
  });
  const groupIds = [...groups.keys()];

  const environments: LargeWorld['environments'] = [];
  for (let i = 0; i < 20_000; i += 1) {
    const count = Math.floor(rand() * 4);
    const inGroups = new Set<string>();
    while (inGroups.size < count) inGroups.add(pick(groupIds));
    environments.push({ kind: 'environment', environmentId: `e${i}`, groupIds: [...inGroups] });
  }

  const customRoles: [string, readonly Permission[]][] = [
    ['custom-deployer', ['env.deploy', 'env.logs']],
    ['custom-billing', ['billing.view']],
  ];
  const roleIds = [...systemRoles.map((role) => role.id), ...customRoles.map(([id]) => id)];
  const expiresAt = () => (rand() < 0.2 ? new Date(now.getTime() - 60_000) : rand() < 0.5 ? null : new Date(now.getTime() + 86_400_000));
  const shares: ShareFacts[] = [{ id: 's-account', resource: { type: 'account' }, roleIds: ['viewer'], expiresAt: null }];
  const sharedGroups = new Set<string>();
  while (sharedGroups.size < 150) sharedGroups.add(pick(groupIds));
  for (const id of sharedGroups) shares.push({ id: `s-${id}`, resource: { type: 'group', id }, roleIds: [pick(roleIds)], expiresAt: expiresAt() });
  const sharedEnvironments = new Set<string>();
  while (sharedEnvironments.size < 149) sharedEnvironments.add(pick(environments).environmentId);
  for (const id of sharedEnvironments) {
    shares.push({ id: `s-${id}`, resource: { type: 'environment', id }, roleIds: [pick(roleIds), pick(roleIds)], expiresAt: expiresAt() });
  }

  const rolePermissions = new Map<string, readonly Permission[]>([...systemRoles.map((role) => [role.id, role.permissions] as const), ...customRoles]);
  // A fresh object each time, as loadAccessSnapshot builds one per request around the cached facts.
  const snapshot = (): AccessSnapshot => ({
    now,
    subject: { id: 'member', trialExpired: false },
    ownerId: 'owner',
    collaboration: { id: 'c1', status: 'active' },
    shares,
    groups,
    rolePermissions,
  });
  const loadedSnapshot = (): AccessSnapshot => ({ ...snapshot(), shares: shares.map((share) => ({ ...share })) });
  return { snapshot, loadedSnapshot, environments, groupIds };
}
