import { and, asc, eq, inArray, isNull, lt, lte, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { type EnvironmentStatus, environments, groupEnvironments, runtimeJobs, shares } from '../../db/schema/index.js';
import { recordAudit } from '../../audit/record.js';
import { type EnvironmentRow, moveStatus } from '../transitions.js';
import { type RuntimeDriver, RuntimeError } from './driver.js';
import { jobPayloadSchema, type RuntimeAction } from './jobs.js';
import { runtimeTarget } from './target.js';
import { alertRuntimeFailure } from './failure-alert.js';

type Job = typeof runtimeJobs.$inferSelect;

const BATCH = 10;
/** How long a claimed job stays with the node driving it; renewed while the driver works. */
export const RUNTIME_LEASE_MS = 60_000;
const HEARTBEAT_MS = 15_000;
/** A job whose node died this many times is given up, and the environment marked failed. */
export const MAX_RUNTIME_ATTEMPTS = 3;

/**
 * The statuses in which each action is still worth driving, and where success takes the environment. A lifecycle
 * request changes the status at once, while jobs asked for earlier still run first: a deploy queued before a
 * restart or a stop must still happen, so deploys and topology changes also run under the transitional statuses
 * that can follow them. A deletion overtakes everything.
 */
const plan: Record<RuntimeAction, { during: readonly EnvironmentStatus[]; success: EnvironmentStatus | null }> = {
  provision: { during: ['creating'], success: 'running' },
  start: { during: ['starting'], success: 'running' },
  stop: { during: ['stopping'], success: 'stopped' },
  restart: { during: ['restarting'], success: 'running' },
  destroy: { during: ['deleting'], success: null },
  deploy: { during: ['running', 'restarting', 'stopping'], success: null },
  scale: { during: ['running', 'stopped', 'starting', 'stopping', 'restarting'], success: null },
};

const LIFECYCLE: readonly RuntimeAction[] = ['provision', 'start', 'stop', 'restart', 'destroy'];

function isAction(value: string): value is RuntimeAction {
  return value in plan;
}

/**
 * Claims due jobs with a lease: queued ones, and running ones whose node stopped renewing its lease (it crashed).
 * `FOR UPDATE SKIP LOCKED` keeps two nodes off the same row, and a job waits while an earlier job of the same
 * environment is unfinished, so one environment's actions run one at a time and in order.
 */
export async function claimRuntimeJobs(ctx: AppContext, limit = BATCH): Promise<Job[]> {
  const now = ctx.clock.now();
  const earlier = alias(runtimeJobs, 'earlier');
  return ctx.db.transaction(async (tx) => {
    const due = await tx
      .select({ id: runtimeJobs.id })
      .from(runtimeJobs)
      .where(
        and(
          or(eq(runtimeJobs.status, 'queued'), and(eq(runtimeJobs.status, 'running'), lte(runtimeJobs.lockedUntil, now))),
          notExists(
            tx
              .select({ one: sql`1` })
              .from(earlier)
              .where(
                and(
                  eq(earlier.environmentId, runtimeJobs.environmentId),
                  inArray(earlier.status, ['queued', 'running']),
                  lt(earlier.seq, runtimeJobs.seq),
                ),
              ),
          ),
        ),
      )
      .orderBy(asc(runtimeJobs.seq))
      .limit(limit)
      .for('update', { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(runtimeJobs)
      .set({ status: 'running', lockedUntil: new Date(now.getTime() + RUNTIME_LEASE_MS), attempts: sql`${runtimeJobs.attempts} + 1` })
      .where(inArray(runtimeJobs.id, due.map((row) => row.id)))
      .returning();
  });
}

/** Claims due runtime jobs, drives each through the driver and settles the environment. Returns how many it handled. */
export async function driveRuntimeJobs(ctx: AppContext, driver: RuntimeDriver = ctx.runtime): Promise<number> {
  const claimed = await claimRuntimeJobs(ctx);
  // The claim holds at most one job per environment, so they can run side by side.
  await Promise.all(claimed.map((job) => driveJob(ctx, driver, job)));
  return claimed.length;
}

async function driveJob(ctx: AppContext, driver: RuntimeDriver, job: Job): Promise<void> {
  const [env] = await ctx.db.select().from(environments).where(eq(environments.id, job.environmentId));
  const action = job.action;
  if (!env || env.deletedAt || !isAction(action)) {
    await finishJob(ctx.db, job, ctx.clock.now(), 'done', env ? `nothing to do for ${action}` : 'environment gone');
    return;
  }
  if (!plan[action].during.includes(env.status)) {
    // Overtaken by a later request (deleted while it was starting...): the later job does what is needed.
    await finishJob(ctx.db, job, ctx.clock.now(), 'done', `superseded: the environment is ${env.status}`);
    return;
  }
  if (job.attempts > MAX_RUNTIME_ATTEMPTS) {
    await settle(ctx, job, action, env, `The runtime lost this ${action} ${MAX_RUNTIME_ATTEMPTS} times; try again.`);
    return;
  }
  const heartbeat = setInterval(() => void renewLease(ctx, job).catch(() => undefined), HEARTBEAT_MS);
  heartbeat.unref();
  let failure: string | null = null;
  try {
    await runAction(ctx, driver, job, action, env);
  } catch (error) {
    failure = error instanceof RuntimeError ? error.message : 'The runtime failed unexpectedly.';
    if (!(error instanceof RuntimeError)) ctx.log.error({ err: error, jobId: job.id, action }, 'runtime driver failed');
  } finally {
    clearInterval(heartbeat);
  }
  await settle(ctx, job, action, env, failure);
}

async function runAction(ctx: AppContext, driver: RuntimeDriver, job: Job, action: RuntimeAction, env: EnvironmentRow): Promise<void> {
  const payload = jobPayloadSchema.parse(job.payload);
  const target = await runtimeTarget(ctx.db, env);
  switch (action) {
    case 'provision':
      return driver.provision(target, { source: payload.source ?? null, clonedFrom: payload.clonedFrom ?? null });
    case 'start':
      return driver.start(target);
    case 'stop':
      return driver.stop(target);
    case 'restart':
      return driver.restart(target);
    case 'scale':
      // Whether the nodes ran when the change was asked for: a start or stop queued after it handles the rest.
      return driver.scale(target, payload.running ?? env.status === 'running');
    case 'deploy':
      if (!payload.source) throw new RuntimeError('The deployment names no source.');
      return driver.deploy(target, payload.source);
    case 'destroy':
      return driver.destroy(target);
  }
}

async function renewLease(ctx: AppContext, job: Job): Promise<void> {
  await ctx.db
    .update(runtimeJobs)
    .set({ lockedUntil: new Date(ctx.clock.now().getTime() + RUNTIME_LEASE_MS) })
    .where(and(eq(runtimeJobs.id, job.id), eq(runtimeJobs.attempts, job.attempts), eq(runtimeJobs.status, 'running')));
}

/** Marks the job finished, fenced by its attempt number: a node whose lease was taken over changes nothing. */
async function finishJob(db: Db, job: Job, now: Date, status: 'done' | 'failed', error: string | null): Promise<boolean> {
  const updated = await db
    .update(runtimeJobs)
    .set({ status, finishedAt: now, lockedUntil: null, error })
    .where(and(eq(runtimeJobs.id, job.id), eq(runtimeJobs.attempts, job.attempts), eq(runtimeJobs.status, 'running')))
    .returning({ id: runtimeJobs.id });
  return updated.length > 0;
}

/** Records the outcome: job finished, environment in its settled status (or failed, with the reason), runs kept exact. */
async function settle(ctx: AppContext, job: Job, action: RuntimeAction, env: EnvironmentRow, failure: string | null): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    if (!(await finishJob(tx, job, now, failure ? 'failed' : 'done', failure))) return;
    const { during, success } = plan[action];
    if (failure) {
      if (LIFECYCLE.includes(action)) await moveStatus(tx, env.id, during, 'failed', now, failure);
      await recordAudit(tx, {
        at: now,
        actor: null,
        ownerId: env.ownerId,
        action: `runtime.${action}`,
        targetType: 'environment',
        targetId: env.id,
        outcome: 'failed',
        details: { reason: failure, jobId: job.id },
      });
      await alertRuntimeFailure(tx, ctx, env, action, failure);
      return;
    }
    if (success) await moveStatus(tx, env.id, during, success, now);
    if (action === 'deploy') {
      const source = jobPayloadSchema.parse(job.payload).source ?? null;
      await tx.update(environments).set({ deployedSource: source, updatedAt: now }).where(eq(environments.id, env.id));
    }
    if (action === 'destroy') await forget(tx, env.id, now);
  });
  if (failure) ctx.wake.mail();
}

/**
 * The environment is gone for every API read. The row stays, hidden, so metering and usage reports can still read
 * its runs and topology; memberships and shares on it are removed, as a hard delete would have cascaded them.
 */
async function forget(tx: Db, environmentId: string, now: Date): Promise<void> {
  const [gone] = await tx
    .update(environments)
    .set({ deletedAt: now, updatedAt: now })
    .where(and(eq(environments.id, environmentId), eq(environments.status, 'deleting'), isNull(environments.deletedAt)))
    .returning({ id: environments.id });
  if (!gone) return;
  await tx.delete(groupEnvironments).where(eq(groupEnvironments.environmentId, environmentId));
  await tx.delete(shares).where(eq(shares.environmentId, environmentId));
}
