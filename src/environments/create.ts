import { and, eq, isNull } from 'drizzle-orm';
import { type AccountCaps, assertWithinCaps, cloudletsOf } from './caps.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { environments, groupEnvironments, nodeGroups } from '../db/schema/index.js';
import { conflict } from '../http/errors.js';
import { accessTo } from '../access/load/environments.js';
import { type Authorized, loaded } from '../http/authorize/authorized.js';
import { decideUnderLock } from '../http/authorize/lock.js';
import { assertOwnerMayRun } from './dormant.js';
import { assertSpendAllowed } from './spend-guard.js';
import { presentEnvironment } from './present.js';
import { type JobPayload, enqueueRuntimeJob } from './runtime/jobs.js';
import type { NodeSpec } from './runtime/driver.js';
import type { EnvironmentView } from './schemas.js';
import type { EnvironmentRow } from './transitions.js';

export interface CreateEnvironmentInput {
  name: string;
  displayName?: string | undefined;
  ownerId?: string | undefined;
  groupId?: string | undefined;
  nodes: NodeSpec[];
}

/** 409 for a name another live environment uses (names are domain prefixes, unique on the platform). */
export const nameTaken = (name: string) => conflict(`The name ${name} is taken: environment names are unique on the platform. Choose another.`, { field: 'name' });

export interface NewEnvironment {
  ownerId: string;
  createdBy: string;
  name: string;
  displayName: string;
  nodes: readonly NodeSpec[];
  groupIds: readonly string[];
  variables?: Record<string, string>;
  deployedSource?: string | null;
  provision: JobPayload;
}

/** Inserts an environment in `creating`, its topology and groups, and queues its provisioning, in the caller's transaction. */
export async function insertEnvironment(tx: Db, now: Date, input: NewEnvironment, caps: AccountCaps): Promise<EnvironmentRow> {
  await assertOwnerMayRun(tx, input.ownerId, now);
  await assertWithinCaps(tx, caps, input.ownerId, { environments: 1, cloudlets: cloudletsOf(input.nodes) });
  await assertSpendAllowed(tx, {
    ownerId: input.ownerId,
    creatorId: input.createdBy,
    actorId: input.createdBy,
    now,
    runningCloudlets: cloudletsOf(input.nodes),
    environmentId: null,
  });
  const [taken] = await tx
    .select({ id: environments.id })
    .from(environments)
    .where(and(eq(environments.name, input.name), isNull(environments.deletedAt)));
  if (taken) throw nameTaken(input.name);
  const [env] = await tx
    .insert(environments)
    .values({
      ownerId: input.ownerId,
      name: input.name,
      displayName: input.displayName,
      status: 'creating',
      createdBy: input.createdBy,
      variables: input.variables ?? {},
      deployedSource: input.deployedSource ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  if (!env) throw new Error('environment insert returned nothing');
  await tx.insert(nodeGroups).values(input.nodes.map((spec) => ({ environmentId: env.id, ...spec })));
  if (input.groupIds.length > 0) {
    await tx.insert(groupEnvironments).values(input.groupIds.map((groupId) => ({ groupId, environmentId: env.id })));
  }
  await enqueueRuntimeJob(tx, env.id, 'provision', input.provision, now);
  return env;
}

/**
 * Creates an environment in the account and group the route's rule decided `env.create` in (the caller's own by
 * default, or an owner's where a share grants it): the owner owns it and pays for it, the caller is its creator. It
 * answers at once in `creating`; the runtime worker provisions it.
 */
export async function createEnvironment(ctx: AppContext, authorized: Authorized, input: CreateEnvironmentInput): Promise<EnvironmentView> {
  const { caller, meta } = authorized;
  const now = ctx.clock.now();
  try {
    const { env, groupIds, access } = await ctx.db.transaction(async (tx) => {
      const fresh = loaded(await decideUnderLock(tx, now, authorized), 'account', 'destination');
      const owner = fresh.account.owner;
      const groupIds = fresh.destination.groupId ? [fresh.destination.groupId] : [];
      const created = await insertEnvironment(tx, now, {
        ownerId: owner.id,
        createdBy: caller.user.id,
        name: input.name,
        displayName: input.displayName ?? input.name,
        nodes: input.nodes,
        groupIds,
        provision: {},
      }, ctx.config);
      await recordAudit(tx, {
        at: now,
        actor: caller.user,
        ownerId: owner.id,
        action: authorized.rule.action,
        targetType: 'environment',
        targetId: created.id,
        outcome: 'ok',
        requestId: meta.requestId,
        details: { name: created.name, groupId: fresh.destination.groupId, nodes: input.nodes },
      });
      return { env: created, groupIds, access: accessTo(fresh.account.snapshot, created, groupIds) };
    });
    ctx.wake.runtime();
    return presentEnvironment(ctx.db, { env, groupIds, access });
  } catch (error) {
    // Two requests for one name at once: the partial unique index decides.
    if (isUniqueViolation(error, 'environments_name_key')) throw nameTaken(input.name);
    throw error;
  }
}
