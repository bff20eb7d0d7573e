import type { AccessLevel, Environment, EnvironmentStatus, Group, Permission } from '../api/types';

/** Whether the API says the caller holds this permission on the environment (the dashboard never decides it). */
export function can(env: Pick<Environment, 'permissions'>, permission: Permission): boolean {
  return env.permissions.includes(permission);
}

/** Statuses during which the runtime is at work: the page polls until they settle. */
export const TRANSITIONAL: ReadonlySet<EnvironmentStatus> = new Set(['creating', 'stopping', 'starting', 'restarting', 'deleting']);

export const statusColor: Record<EnvironmentStatus, string> = {
  creating: 'blue',
  running: 'green',
  stopping: 'orange',
  stopped: 'gray',
  starting: 'blue',
  restarting: 'blue',
  deleting: 'red',
  failed: 'red',
};

export const accessLabel: Record<AccessLevel, string> = {
  owner: 'yours',
  direct: 'shared directly',
  group: 'shared through a group',
  account: 'shared: all environments',
};

/** "app ×2 · db ×1" and the total cloudlets. */
export function topologySummary(env: Pick<Environment, 'nodes' | 'cloudlets'>): string {
  const nodes = env.nodes.map((node) => `${node.role} ×${node.count}`).join(' · ');
  return `${nodes || 'no nodes'} · ${env.cloudlets} cloudlets`;
}

export interface GroupNode {
  group: Group;
  depth: number;
  /** "Parent / Child", for selects and screen readers. */
  path: string;
  children: GroupNode[];
}

/** The groups as a tree (siblings by name), and flattened depth-first for lists and selects. */
export function groupTree(groups: readonly Group[]): { roots: GroupNode[]; flat: GroupNode[] } {
  const byParent = new Map<string | null, Group[]>();
  const ids = new Set(groups.map((group) => group.id));
  for (const group of groups) {
    // A parent the caller cannot see puts the group at the top of what it can see.
    const parent = group.parentId && ids.has(group.parentId) ? group.parentId : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), group]);
  }
  const flat: GroupNode[] = [];
  const build = (parent: string | null, depth: number, prefix: string): GroupNode[] =>
    (byParent.get(parent) ?? [])
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((group) => {
        const path = prefix ? `${prefix} / ${group.name}` : group.name;
        const node: GroupNode = { group, depth, path, children: [] };
        flat.push(node);
        node.children = build(group.id, depth + 1, path);
        return node;
      });
  const roots = build(null, 0, '');
  return { roots, flat };
}

/** A group and every group below it. */
export function descendantIds(groups: readonly Group[], id: string): Set<string> {
  const found = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const group of groups) {
      if (group.parentId && found.has(group.parentId) && !found.has(group.id)) {
        found.add(group.id);
        grew = true;
      }
    }
  }
  return found;
}

/** A DNS label as the API wants environment names: 3–40 of a-z, 0-9, -, starting with a letter. */
export function environmentNameError(value: string): string | null {
  if (value.length < 3 || value.length > 40) return 'Use 3 to 40 characters';
  if (!/^[a-z][a-z0-9-]*$/.test(value)) return 'Use lowercase letters, digits and dashes, starting with a letter';
  return null;
}

/** "Shop (staging) (shop-staging)", or just the name when the display name says nothing more. */
export function environmentLabel(env: Pick<Environment, 'name' | 'displayName'>): string {
  return env.displayName && env.displayName !== env.name ? `${env.displayName} (${env.name})` : env.name;
}

/** What taking an environment out of a group does, for the confirmation. */
export function leaveGroupNote(environment: string, group: string): string {
  return `${environment} itself stays as it is. Members who reach it only through a share of ${group} (or of a group above it) lose access to it at once.`;
}
