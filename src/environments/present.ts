import { sql } from 'drizzle-orm';
import type { Access } from '../access/decide.js';
import { anyOf } from '../db/any.js';
import type { Db } from '../db/client.js';
import { environments, groups, nodeGroups, nodes, users } from '../db/schema/index.js';
import { outerEnvironmentId } from '../access/load/environments.js';
import { aliasesAcross, aliasKey } from '../access/load/people.js';
import { heldShares } from './held.js';
import type { EnvironmentView } from './schemas.js';
import type { EnvironmentRow } from './transitions.js';

/** The domain environments answer on; the simulated runtime names the same one in its logs. */
export const ENVIRONMENT_DOMAIN = 'shareplane.local';

/** The columns of an environment its view shows (not its variables): what a listing selects. */
export const presentedColumns = {
  id: environments.id,
  ownerId: environments.ownerId,
  name: environments.name,
  displayName: environments.displayName,
  status: environments.status,
  statusReason: environments.statusReason,
  createdBy: environments.createdBy,
  deployedSource: environments.deployedSource,
  createdAt: environments.createdAt,
  updatedAt: environments.updatedAt,
};

export type PresentedRow = Pick<EnvironmentRow, keyof typeof presentedColumns>;

export interface EnvironmentSeen {
  env: PresentedRow;
  groupIds: readonly string[];
  access: Access;
}

type SpecTuple = [role: string, image: string, count: number, cloudlets: number];
type InstanceTuple = [role: string, id: string, ordinal: number, status: string, address: string | null];

/**
 * Each environment's node roles (by role) and instances (by role, then ordinal), one row per environment with the
 * lists built as JSON by the database: far fewer rows to read than one per node.
 */
async function topologyOf(db: Db, ids: readonly string[]) {
  const rows = await db
    .select({
      id: environments.id,
      specs: sql<SpecTuple[] | null>`(select json_agg(json_build_array(ng.role, ng.image, ng.count, ng.cloudlets) order by ng.role) from ${nodeGroups} ng where ng.environment_id = ${outerEnvironmentId})`,
      instances: sql<InstanceTuple[] | null>`(select json_agg(json_build_array(n.role, n.id, n.ordinal, n.status, n.address) order by n.role, n.ordinal) from ${nodes} n where n.environment_id = ${outerEnvironmentId})`,
    })
    .from(environments)
    .where(anyOf(environments.id, ids));
  return new Map(rows.map((row) => [row.id, { specs: row.specs ?? [], instances: row.instances ?? [] }]));
}

/** Environments as the API shows them to one caller, with owner, creator, topology, node states, groups and permissions. */
export async function presentEnvironments(db: Db, seen: readonly EnvironmentSeen[]): Promise<EnvironmentView[]> {
  if (seen.length === 0) return [];
  const ids = seen.map((item) => item.env.id);
  const personIds = [...new Set(seen.flatMap((item) => [item.env.ownerId, ...(item.env.createdBy ? [item.env.createdBy] : [])]))];
  const groupIds = [...new Set(seen.flatMap((item) => item.groupIds))];
  const [people, aliases, topology, groupRows, heldOf] = await Promise.all([
    db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(anyOf(users.id, personIds)),
    aliasesAcross(
      db,
      seen.filter((item) => seesAliases(item.access)).map((item) => item.env.ownerId),
      seen.filter((item) => seesAliases(item.access)).map((item) => item.env.createdBy),
    ),
    topologyOf(db, ids),
    groupIds.length > 0 ? db.select({ id: groups.id, name: groups.name }).from(groups).where(anyOf(groups.id, groupIds)) : [],
    heldShares(
      db,
      seen.map((item) => item.access),
    ),
  ]);
  const personById = new Map(people.map((person) => [person.id, person]));
  const groupById = new Map(groupRows.map((group) => [group.id, group]));
  return seen.map(({ env, groupIds: envGroups, access }) => {
    const { specs, instances } = topology.get(env.id) ?? { specs: [], instances: [] };
    const owner = personById.get(env.ownerId) ?? { id: env.ownerId, name: '', email: '' };
    return {
      id: env.id,
      name: env.name,
      displayName: env.displayName,
      domain: `${env.name}.${ENVIRONMENT_DOMAIN}`,
      status: env.status,
      statusReason: env.statusReason,
      owner,
      createdBy: creatorAsSeen(env.createdBy ? personById.get(env.createdBy) : undefined, access, (id) => aliases.get(aliasKey(env.ownerId, id))),
      nodes: specs.map(([role, image, count, cloudlets]) => ({
        role,
        image,
        count,
        cloudlets,
        instances: instances.filter((node) => node[0] === role).map(([, id, ordinal, status, address]) => ({ id, ordinal, status, address })),
      })),
      cloudlets: specs.reduce((sum, [, , count, cloudlets]) => sum + count * cloudlets, 0),
      deployedSource: env.deployedSource,
      groups: envGroups
        .map((id) => groupById.get(id))
        .filter((group) => group !== undefined)
        .sort((a, b) => a.name.localeCompare(b.name)),
      permissions: access.permissions,
      access: access.level ?? 'account',
      heldThrough: heldOf(access),
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

/**
 * Who created an environment, as the caller may see it: members see the creator's name, and only the owner and
 * those who manage its members see the email (one member never learns another's address this way).
 */
const seesAliases = (access: Access) => access.level === 'owner' || access.permissions.includes('collaboration.manage');

function creatorAsSeen(creator: { id: string; name: string; email: string } | undefined, access: Access, aliasOf: (id: string) => string | undefined) {
  if (!creator) return null;
  // The owner and its managers name a member by the owner's alias, with the account name and email beside it.
  if (seesAliases(access)) return { ...creator, label: aliasOf(creator.id) ?? creator.name };
  return { id: creator.id, name: creator.name, label: creator.name };
}
