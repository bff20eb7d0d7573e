/** The levels of DESIGN.md section 6 a share can sit at: one environment, a group, the whole account. */
export type ShareLevel = 'direct' | 'group' | 'account';

const EVERY_LEVEL = ['direct', 'group', 'account'] as const;

/**
 * The one permission catalog: typed ids, what each allows, the category the dashboard groups them by, and the
 * share levels where it means something (`levels`). The server, the OpenAPI document and the dashboard all read it
 * from here.
 *
 * Two permissions are about a place rather than one environment, so a share below that place grants nothing by them:
 * - `collaboration.manage` is about the account's members: only an account share grants it (DESIGN.md section 6).
 * - `env.create` is about where a new environment goes: an account share (the root and every group) or a group share
 *   (that group and its subgroups). On an environment share there is nowhere to create, so it grants nothing there.
 * `billing.view` stays meaningful at every level: it shows the usage of the environments the share reaches.
 */
export const permissionCatalog = [
  { id: 'env.view', category: 'Environments', description: 'See the environment, its topology and status (implied by any other env permission)' },
  { id: 'env.start', category: 'Lifecycle', description: 'Start the environment' },
  { id: 'env.stop', category: 'Lifecycle', description: 'Stop the environment' },
  { id: 'env.restart', category: 'Lifecycle', description: 'Restart the environment' },
  { id: 'env.rename', category: 'Environments', description: 'Change the display name' },
  { id: 'env.topology', category: 'Environments', description: 'Add or remove nodes, change node counts and cloudlets' },
  { id: 'env.deploy', category: 'Development', description: 'Deploy an application archive or repository' },
  { id: 'env.config', category: 'Development', description: 'Read and change environment variables and config files' },
  { id: 'env.logs', category: 'Development', description: 'Read logs' },
  { id: 'env.exec', category: 'Development', description: "Run a command on the environment's nodes" },
  { id: 'env.clone', category: 'Environments', description: "Clone; the clone joins the source's groups, so it also needs env.create there" },
  { id: 'env.groups', category: 'Environments', description: "Put the environment into or out of the owner's groups" },
  { id: 'env.delete', category: 'Environments', description: 'Delete the environment' },
  { id: 'env.create', category: 'Environments', description: "Create environments in the owner's account (account share) or in a group (group share)", levels: ['group', 'account'] },
  { id: 'billing.view', category: 'Billing', description: 'See prices and usage of the environments it can see' },
  { id: 'collaboration.manage', category: 'Collaboration', description: 'Manage the other members (only on an all-environments share)', levels: ['account'] },
] as const;

export type Permission = (typeof permissionCatalog)[number]['id'];

export const permissions: readonly Permission[] = permissionCatalog.map((entry) => entry.id);

/** Where each permission means something: every level unless the catalog narrows it. */
export function levelsOf(permission: Permission): readonly ShareLevel[] {
  const entry = permissionCatalog.find((candidate) => candidate.id === permission);
  return entry && 'levels' in entry ? entry.levels : EVERY_LEVEL;
}

/** The permissions a share at `level` can grant at all, in catalog order. */
export const grantableAt: Readonly<Record<ShareLevel, ReadonlySet<Permission>>> = {
  direct: new Set(permissions.filter((p) => levelsOf(p).includes('direct'))),
  group: new Set(permissions.filter((p) => levelsOf(p).includes('group'))),
  account: new Set(permissions),
};

/** Permissions of `held` that a share at `level` does not grant: the share dialog flags them. */
export function ineffectiveAt(level: ShareLevel, held: Iterable<Permission>): Permission[] {
  const grantable = grantableAt[level];
  return [...new Set(held)].filter((p) => !grantable.has(p));
}

export function isPermission(value: string): value is Permission {
  return (permissions as readonly string[]).includes(value);
}

const viewer: Permission[] = ['env.view', 'env.logs'];
const operator: Permission[] = [...viewer, 'env.start', 'env.stop', 'env.restart'];
const developer: Permission[] = [
  ...operator,
  'env.rename',
  'env.topology',
  'env.deploy',
  'env.config',
  'env.exec',
  'env.clone',
  'env.groups',
  'env.create',
];

export interface SystemRole {
  id: 'viewer' | 'operator' | 'developer' | 'admin';
  name: string;
  description: string;
  permissions: readonly Permission[];
  receiveAlerts: boolean;
}

/** The read-only built-in roles; their ids are their names. */
export const systemRoles: readonly SystemRole[] = [
  { id: 'viewer', name: 'Viewer', description: 'See environments and read their logs', permissions: viewer, receiveAlerts: false },
  { id: 'operator', name: 'Operator', description: 'Viewer, plus start, stop and restart', permissions: operator, receiveAlerts: false },
  {
    id: 'developer',
    name: 'Developer',
    description: 'Operator, plus rename, topology, deploy, config, exec, clone, groups and create',
    permissions: developer,
    receiveAlerts: false,
  },
  { id: 'admin', name: 'Admin', description: 'Every permission, including billing and managing members', permissions, receiveAlerts: true },
];

export function systemRole(id: string): SystemRole | undefined {
  return systemRoles.find((role) => role.id === id);
}
