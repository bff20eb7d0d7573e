import { and, inArray, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.js';
import { runtimeJobs } from '../../db/schema/index.js';

export const runtimeActions = ['provision', 'start', 'stop', 'restart', 'scale', 'deploy', 'destroy'] as const;
export type RuntimeAction = (typeof runtimeActions)[number];

/** What a job carries beyond its action; parsed again when a worker claims it. */
export const jobPayloadSchema = z.object({
  source: z.string().nullable().optional(),
  clonedFrom: z.string().nullable().optional(),
  running: z.boolean().optional(),
});
export type JobPayload = z.infer<typeof jobPayloadSchema>;

/** Queues an action for the runtime worker in the caller's transaction; wake the worker after the commit. */
export async function enqueueRuntimeJob(tx: Db, environmentId: string, action: RuntimeAction, payload: JobPayload, now: Date): Promise<void> {
  await tx.insert(runtimeJobs).values({ environmentId, action, payload, status: 'queued', createdAt: now });
}

/** How long finished runtime jobs stay, for diagnosing a failure; the environment's logs and audit keep the story. */
export const FINISHED_JOB_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** Deletes runtime jobs that finished (done or failed) longer ago than the retention; returns how many. */
export async function pruneFinishedJobs(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - FINISHED_JOB_RETENTION_MS);
  const gone = await db
    .delete(runtimeJobs)
    .where(and(inArray(runtimeJobs.status, ['done', 'failed']), lt(runtimeJobs.finishedAt, cutoff)))
    .returning({ id: runtimeJobs.id });
  return gone.length;
}
