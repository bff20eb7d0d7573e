import { and, eq, isNull } from 'drizzle-orm';
import { type AccountCaps, assertWithinCaps, cloudletsOf } from './caps.js';
import type { Caller } from '../accounts/caller.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { isUniqueViolation } from '../db/errors.js';
import { environments, groupEnvironments, nodeGroups } from '../db/schema/index.js';
import { conflict } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { accessTo } from './access.js';
import { authorizeCreate } from './create-access.js';
import { assertOwnerMayRun } from './dormant.js';
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
 * Creates an environment in the caller's account or, with `ownerId`, in an owner's account where a share grants
 * `env.create`: the owner owns it and pays for it, the caller is its creator. It answers at once in `creating`;
 * the runtime worker provisions it.
 */
export async function createEnvironment(ctx: AppContext, meta: RequestMeta, caller: Caller, input: CreateEnvironmentInput): Promise<EnvironmentView> {
  const { owner, snapshot, groupId } = await authorizeCreate(ctx, meta, caller, 'environment.create', input.ownerId, input.groupId);
  const now = ctx.clock.now();
  const groupIds = groupId ? [groupId] : [];
  try {
    const env = await ctx.db.transaction(async (tx) => {
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
        action: 'environment.create',
        targetType: 'environment',
        targetId: created.id,
        outcome: 'ok',
        requestId: meta.requestId,
        details: { name: created.name, groupId, nodes: input.nodes },
      });
      return created;
    });
    ctx.wake.runtime();
    return presentEnvironment(ctx.db, { env, groupIds, access: accessTo(snapshot, env, groupIds) });
  } catch (error) {
    // Two requests for one name at once: the partial unique index decides.
    if (isUniqueViolation(error, 'environments_name_key')) throw nameTaken(input.name);
    throw error;
  }
}
