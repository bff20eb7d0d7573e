import { asc, inArray } from 'drizzle-orm';
import type { Access } from '../access/decide.js';
import type { Db } from '../db/client.js';
import { groups, nodeGroups, nodes, users } from '../db/schema/index.js';
import type { EnvironmentView } from './schemas.js';
import type { EnvironmentRow } from './transitions.js';

/** The domain environments answer on; the simulated runtime names the same one in its logs. */
export const ENVIRONMENT_DOMAIN = 'shareplane.local';

export interface EnvironmentSeen {
  env: EnvironmentRow;
  groupIds: readonly string[];
  access: Access;
}

const byKey = <T, K>(rows: readonly T[], key: (row: T) => K) => {
  const map = new Map<K, T[]>();
  for (const row of rows) map.set(key(row), [...(map.get(key(row)) ?? []), row]);
  return map;
};

/** Environments as the API shows them to one caller, with owner, creator, topology, node states, groups and permissions. */
export async function presentEnvironments(db: Db, seen: readonly EnvironmentSeen[]): Promise<EnvironmentView[]> {
  if (seen.length === 0) return [];
  const ids = seen.map((item) => item.env.id);
  const personIds = [...new Set(seen.flatMap((item) => [item.env.ownerId, ...(item.env.createdBy ? [item.env.createdBy] : [])]))];
  const groupIds = [...new Set(seen.flatMap((item) => item.groupIds))];
  const [people, topology, instances, groupRows] = await Promise.all([
    db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(inArray(users.id, personIds)),
    db.select().from(nodeGroups).where(inArray(nodeGroups.environmentId, ids)).orderBy(asc(nodeGroups.role)),
    db.select().from(nodes).where(inArray(nodes.environmentId, ids)).orderBy(asc(nodes.role), asc(nodes.ordinal)),
    groupIds.length > 0 ? db.select({ id: groups.id, name: groups.name }).from(groups).where(inArray(groups.id, groupIds)) : [],
  ]);
  const personById = new Map(people.map((person) => [person.id, person]));
  const topologyByEnv = byKey(topology, (row) => row.environmentId);
  const instancesByEnvRole = byKey(instances, (row) => `${row.environmentId}/${row.role}`);
  const groupById = new Map(groupRows.map((group) => [group.id, group]));
  return seen.map(({ env, groupIds: envGroups, access }) => {
    const specs = topologyByEnv.get(env.id) ?? [];
    const owner = personById.get(env.ownerId) ?? { id: env.ownerId, name: '', email: '' };
    return {
      id: env.id,
      name: env.name,
      displayName: env.displayName,
      domain: `${env.name}.${ENVIRONMENT_DOMAIN}`,
      status: env.status,
      statusReason: env.statusReason,
      owner,
      createdBy: (env.createdBy && personById.get(env.createdBy)) || null,
      nodes: specs.map((spec) => ({
        role: spec.role,
        image: spec.image,
        count: spec.count,
        cloudlets: spec.cloudlets,
        instances: (instancesByEnvRole.get(`${env.id}/${spec.role}`) ?? []).map((node) => ({
          id: node.id,
          ordinal: node.ordinal,
          status: node.status,
          address: node.address,
        })),
      })),
      cloudlets: specs.reduce((sum, spec) => sum + spec.count * spec.cloudlets, 0),
      deployedSource: env.deployedSource,
      groups: envGroups
        .map((id) => groupById.get(id))
        .filter((group) => group !== undefined)
        .sort((a, b) => a.name.localeCompare(b.name)),
      permissions: access.permissions,
      access: access.level ?? 'account',
      createdAt: env.createdAt.toISOString(),
      updatedAt: env.updatedAt.toISOString(),
    };
  });
}

/** One environment as the API shows it. */
export async function presentEnvironment(db: Db, seen: EnvironmentSeen): Promise<EnvironmentView> {
  const [view] = await presentEnvironments(db, [seen]);
  if (!view) throw new Error('presenting an environment returned nothing');
  return view;
}
