import { and, eq, isNull, ne, sql } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Db } from '../db/client.js';
import { environments, nodeGroups } from '../db/schema/index.js';
import { limitReached } from '../http/errors.js';
import { lockOwner } from './owner-lock.js';

export type AccountCaps = Pick<Config, 'maxEnvironmentsPerAccount' | 'maxCloudletsPerAccount'>;

/** Cloudlets a topology adds up to: nodes × cloudlets per node. */
export const cloudletsOf = (nodes: ReadonlyArray<{ count: number; cloudlets: number }>) =>
  nodes.reduce((sum, node) => sum + node.count * node.cloudlets, 0);

/**
 * Refuses (409 `limit_reached`) a change that would take the owner's account past its caps: `environments` new
 * environments, and an environment (`replacing` one, or a new one) of `cloudlets` cloudlets. Locks the owner first,
 * in the caller's transaction, so concurrent creates are counted one after the other.
 */
export async function assertWithinCaps(
  tx: Db,
  caps: AccountCaps,
  ownerId: string,
  change: { environments: number; cloudlets: number; replacing?: string },
): Promise<void> {
  await lockOwner(tx, ownerId);
  const live = and(eq(environments.ownerId, ownerId), isNull(environments.deletedAt), change.replacing ? ne(environments.id, change.replacing) : undefined);
  const [count] = await tx.select({ environments: sql<number>`count(*)::int` }).from(environments).where(live);
  const [sum] = await tx
    .select({ cloudlets: sql<number>`coalesce(sum(${nodeGroups.count} * ${nodeGroups.cloudlets}), 0)::int` })
    .from(nodeGroups)
    .innerJoin(environments, eq(environments.id, nodeGroups.environmentId))
    .where(live);
  const environmentsAfter = (count?.environments ?? 0) + change.environments + (change.replacing ? 1 : 0);
  if (change.environments > 0 && environmentsAfter > caps.maxEnvironmentsPerAccount) {
    throw limitReached(`This account may have at most ${caps.maxEnvironmentsPerAccount} environments; delete one first.`, {
      limit: caps.maxEnvironmentsPerAccount,
    });
  }
  const cloudletsAfter = (sum?.cloudlets ?? 0) + change.cloudlets;
  if (cloudletsAfter > caps.maxCloudletsPerAccount) {
    throw limitReached(
      `This account's environments may use at most ${caps.maxCloudletsPerAccount} cloudlets together; this change would make ${cloudletsAfter}.`,
      { limit: caps.maxCloudletsPerAccount },
    );
  }
}
