import { asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { nodeGroups } from '../../db/schema/index.js';
import type { EnvironmentRow } from '../transitions.js';
import type { NodeSpec, RuntimeTarget } from './driver.js';

/** The topology of an environment, in a stable order. */
export async function loadTopology(db: Db, environmentId: string): Promise<NodeSpec[]> {
  const rows = await db.select().from(nodeGroups).where(eq(nodeGroups.environmentId, environmentId)).orderBy(asc(nodeGroups.role));
  return rows.map((row) => ({ role: row.role, image: row.image, count: row.count, cloudlets: row.cloudlets }));
}

/** What the runtime driver is told about an environment. */
export async function runtimeTarget(db: Db, env: EnvironmentRow): Promise<RuntimeTarget> {
  return { environmentId: env.id, name: env.name, nodes: await loadTopology(db, env.id), variables: env.variables };
}
