import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { type EnvironmentStatus, environmentRuns, environments } from '../db/schema/index.js';
import { enqueueWebhookEvent } from '../webhooks/enqueue.js';

export type EnvironmentRow = typeof environments.$inferSelect;

// Statuses during which the environment's nodes run and are billed: a restart keeps the run open.
const RUNNING_LIKE: readonly EnvironmentStatus[] = ['running', 'restarting'];
const runs = (status: EnvironmentStatus) => RUNNING_LIKE.includes(status);

/** The live environment row, locked for the rest of the transaction so status changes never interleave. */
export async function lockEnvironment(tx: Db, environmentId: string): Promise<EnvironmentRow | undefined> {
  const [row] = await tx
    .select()
    .from(environments)
    .where(and(eq(environments.id, environmentId), isNull(environments.deletedAt)))
    .for('update');
  return row;
}

/**
 * Moves an environment from one of `from` to `to` and keeps `environment_runs` exact: a run opens when the
 * environment becomes running and closes when it leaves running (a restart keeps it open). Metering charges
 * from these rows. Returns the updated row, or the unchanged one with `moved: false` when its status was not in `from`.
 */
export async function moveStatus(
  tx: Db,
  environmentId: string,
  from: readonly EnvironmentStatus[],
  to: EnvironmentStatus,
  now: Date,
  statusReason: string | null = null,
): Promise<{ moved: boolean; env: EnvironmentRow } | undefined> {
  const current = await lockEnvironment(tx, environmentId);
  if (!current) return undefined;
  if (!from.includes(current.status)) return { moved: false, env: current };
  const [env] = await tx
    .update(environments)
    .set({ status: to, statusReason, updatedAt: now })
    .where(eq(environments.id, environmentId))
    .returning();
  if (!env) return undefined;
  await enqueueWebhookEvent(tx, {
    ownerId: env.ownerId,
    type: 'environment.status_changed',
    at: now,
    data: { environment: { id: env.id, name: env.name }, from: current.status, to, reason: statusReason },
  });
  if (!runs(current.status) && runs(to)) {
    await tx.insert(environmentRuns).values({ environmentId, startedAt: now });
  } else if (runs(current.status) && !runs(to)) {
    await tx
      .update(environmentRuns)
      .set({ stoppedAt: now })
      .where(and(eq(environmentRuns.environmentId, environmentId), isNull(environmentRuns.stoppedAt)));
  }
  return { moved: true, env };
}
