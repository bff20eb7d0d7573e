import { getTableName, sql } from 'drizzle-orm';
import type { Access } from '../access/decide.js';
import { anyOf } from '../db/any.js';
import type { Db } from '../db/client.js';
import { collaborations, environments, groupEnvironments, groups, nodeGroups, nodes, roles, users } from '../db/schema/index.js';
import { outerEnvironmentId, outerEnvironmentOwnerId } from '../access/load/environments.js';
import { aliasesAcross, aliasKey } from '../access/load/people.js';
import type { AccessSnapshot } from '../access/snapshot.js';
import { type HeldShare, heldFrom, heldShares } from './held.js';
import type { EnvironmentView } from './schemas.js';
import type { EnvironmentRow } from './transitions.js';
import { readsOn } from '../db/reads.js';

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
interface Person {
  id: string;
  name: string;
  email: string;
}

/** What a view shows beyond the row: its people (owner, creator), topology, node states and group names. */
export interface Presentation {
  specs: SpecTuple[] | null;
  instances: InstanceTuple[] | null;
  people: Person[] | null;
  groups: Array<{ id: string; name: string }> | null;
  /** The owner's alias for the creator (shown only to the owner and its managers). */
  creatorAlias?: string | null;
  /** The caller's shares that decide its access, named (empty for the owner). */
  held?: HeldShare[];
}

/** For one environment read: names of the groups its shares may sit on (its groups and their ancestors), and of the owner's custom roles. */
export interface HeldNames {
  chainGroups: Array<{ id: string; name: string }> | null;
  customRoles: Array<{ id: string; name: string }> | null;
}

const createdByColumn = sql`${sql.identifier(getTableName(environments))}.${sql.identifier(environments.createdBy.name)}`;

// Each environment's node roles (by role) and instances (by role, then ordinal), built as JSON by the database.
const specsColumn = sql<SpecTuple[] | null>`(select json_agg(json_build_array(ng.role, ng.image, ng.count, ng.cloudlets) order by ng.role) from ${nodeGroups} ng where ng.environment_id = ${outerEnvironmentId})`;
const instancesColumn = sql<InstanceTuple[] | null>`(select json_agg(json_build_array(n.role, n.id, n.ordinal, n.status, n.address) order by n.role, n.ordinal) from ${nodes} n where n.environment_id = ${outerEnvironmentId})`;

/**
 * The presentation of the environment a query is at, as columns of that query: a single environment is read and
 * presented in one statement (the route's rule reads these with the row).
 */
export const presentationColumns = {
  specs: specsColumn,
  instances: instancesColumn,
  people: sql<Person[] | null>`(select json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email)) from ${users} u where u.id = ${outerEnvironmentOwnerId} or u.id = ${sql.identifier(getTableName(environments))}.${sql.identifier(environments.createdBy.name)})`,
  groups: sql<Array<{ id: string; name: string }> | null>`(select json_agg(json_build_object('id', g.id, 'name', g.name)) from ${groupEnvironments} ge join ${groups} g on g.id = ge.group_id where ge.environment_id = ${outerEnvironmentId})`,
  creatorAlias: sql<string | null>`(select c.display_name from ${collaborations} c where c.owner_id = ${outerEnvironmentOwnerId} and c.member_id = ${createdByColumn})`,
  chainGroups: sql<Array<{ id: string; name: string }> | null>`(with recursive chain(id, parent_id, name) as (select g.id, g.parent_id, g.name from ${groupEnvironments} ge join ${groups} g on g.id = ge.group_id where ge.environment_id = ${outerEnvironmentId} union select p.id, p.parent_id, p.name from ${groups} p join chain on p.id = chain.parent_id) select json_agg(json_build_object('id', chain.id, 'name', chain.name)) from chain)`,
  customRoles: sql<Array<{ id: string; name: string }> | null>`(select json_agg(json_build_object('id', r.id, 'name', r.name)) from ${roles} r where r.owner_id = ${outerEnvironmentOwnerId})`,
};

/** The presentation of a single read, from its columns and the caller's snapshot (share expiries): no queries. */
export function presentationOf(columns: Record<string, unknown>, snapshot: AccessSnapshot, access: Access): Presentation {
  const presentation = columns as unknown as Presentation & HeldNames;
  return { ...presentation, held: heldFrom(access, snapshot.shares, presentation.chainGroups ?? [], presentation.customRoles ?? []) };
}

/** Each environment's topology, one row per environment: far fewer rows to read than one per node. */
async function topologyOf(db: Db, ids: readonly string[]) {
  const rows = await db.select({ id: environments.id, specs: specsColumn, instances: instancesColumn }).from(environments).where(anyOf(environments.id, ids));
  return new Map(rows.map((row) => [row.id, { specs: row.specs ?? [], instances: row.instances ?? [] }]));
}

/** One environment as the API shows it to one caller, from its row and its presentation: no queries. */
export function presentSeen({ env, groupIds: envGroups, access }: EnvironmentSeen, presentation: Presentation): EnvironmentView {
  const specs = presentation.specs ?? [];
  const instances = presentation.instances ?? [];
  const personById = new Map((presentation.people ?? []).map((person) => [person.id, person]));
  const groupById = new Map((presentation.groups ?? []).map((group) => [group.id, group]));
  const owner = personById.get(env.ownerId) ?? { id: env.ownerId, name: '', email: '' };
  return {
    id: env.id,
    name: env.name,
    displayName: env.displayName,
    domain: `${env.name}.${ENVIRONMENT_DOMAIN}`,
    status: env.status,
    statusReason: env.statusReason,
    owner,
    createdBy: creatorAsSeen(env.createdBy ? personById.get(env.createdBy) : undefined, access, presentation.creatorAlias ?? null),
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
    heldThrough: presentation.held ?? [],
    createdAt: env.createdAt.toISOString(),
    updatedAt: env.updatedAt.toISOString(),
  };
}

/** Environments as the API shows them to one caller, with owner, creator, topology, node states, groups and permissions. */
export async function presentEnvironments(db: Db, seen: readonly EnvironmentSeen[]): Promise<EnvironmentView[]> {
  if (seen.length === 0) return [];
  const ids = seen.map((item) => item.env.id);
  const personIds = [...new Set(seen.flatMap((item) => [item.env.ownerId, ...(item.env.createdBy ? [item.env.createdBy] : [])]))];
  const groupIds = [...new Set(seen.flatMap((item) => item.groupIds))];
  const aliased = seen.filter((item) => seesAliases(item.access));
  const [people, topology, groupRows, aliases, heldOf] = await readsOn(
    db,
    () => db.select({ id: users.id, name: users.name, email: users.email }).from(users).where(anyOf(users.id, personIds)),
    () => topologyOf(db, ids),
    () => (groupIds.length > 0 ? db.select({ id: groups.id, name: groups.name }).from(groups).where(anyOf(groups.id, groupIds)) : []),
    () =>
      aliasesAcross(
        db,
        aliased.map((item) => item.env.ownerId),
        aliased.map((item) => item.env.createdBy),
      ),
    () =>
      heldShares(
        db,
        seen.map((item) => item.access),
      ),
  );
  return seen.map((item) => {
    const { specs, instances } = topology.get(item.env.id) ?? { specs: [], instances: [] };
    const creatorAlias = item.env.createdBy ? (aliases.get(aliasKey(item.env.ownerId, item.env.createdBy)) ?? null) : null;
    return presentSeen(item, { specs, instances, people, groups: groupRows, creatorAlias, held: heldOf(item.access) });
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

function creatorAsSeen(creator: { id: string; name: string; email: string } | undefined, access: Access, alias: string | null) {
  if (!creator) return null;
  // The owner and its managers name a member by the owner's alias, with the account name and email beside it.
  if (seesAliases(access)) return { ...creator, label: alias ?? creator.name };
  return { id: creator.id, name: creator.name, label: creator.name };
}
