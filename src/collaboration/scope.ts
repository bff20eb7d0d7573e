import { eq } from 'drizzle-orm';
import { permissions as allPermissions, type Permission } from '../access/catalog.js';
import { effectiveAccess } from '../access/decide.js';
import type { Caller, User } from '../accounts/caller.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import { type collaborations, users } from '../db/schema/index.js';
import { forbidden, missingPermission, notFound, type ProblemError } from '../http/errors.js';
import type { RequestMeta } from '../http/request-meta.js';
import { loadAccessSnapshot, loadRolePermissions, loadShares } from '../access/load/snapshot.js';

type Collaboration = typeof collaborations.$inferSelect;

/** Whose account an owner-side request acts on, who acts, and with which account-level permissions. */
export interface OwnerScope {
  owner: User;
  actor: Caller;
  meta: RequestMeta;
  /** True when a member with collaboration.manage acts for the owner. */
  managed: boolean;
  /** What the actor holds at account level: everything for the owner. */
  held: ReadonlySet<Permission>;
}

export interface DenialTarget {
  ownerId: string;
  action: string;
  targetType: string;
  targetId?: string | null;
}

/**
 * Records a refused attempt in the audit log and returns the problem to throw. Call it outside any transaction:
 * the refusal must be kept although the change is not.
 */
export async function denied(ctx: AppContext, meta: RequestMeta, actor: Caller, target: DenialTarget, problem: ProblemError): Promise<ProblemError> {
  await recordAudit(ctx.db, {
    at: ctx.clock.now(),
    actor: actor.user,
    ownerId: target.ownerId,
    action: target.action,
    targetType: target.targetType,
    targetId: target.targetId ?? null,
    outcome: 'denied',
    requestId: meta.requestId,
    details: { code: problem.code, ...(typeof problem.extra.permission === 'string' ? { permission: problem.extra.permission } : {}) },
  });
  return problem;
}

/**
 * Resolves `?ownerId=` for an owner-side route. The owner acts on its own account; a member whose account-level
 * access holds collaboration.manage acts as a manager; a member without it gets 403; anyone else gets the same 404
 * as for an account that does not exist, so strangers learn nothing.
 */
export async function resolveOwnerScope(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  ownerId: string | undefined,
  action: string,
): Promise<OwnerScope> {
  if (ownerId === undefined || ownerId === caller.user.id) {
    return { owner: caller.user, actor: caller, meta, managed: false, held: new Set(allPermissions) };
  }
  const [owner] = await ctx.db.select().from(users).where(eq(users.id, ownerId)).limit(1);
  if (!owner) throw notFound('account');
  const snapshot = await loadAccessSnapshot(ctx.db, ctx.clock.now(), { id: caller.user.id, trialExpired: caller.trialExpired }, owner.id);
  const access = effectiveAccess(snapshot, { kind: 'account' });
  if (access.permissions.includes('collaboration.manage')) {
    return { owner, actor: caller, meta, managed: true, held: new Set(access.permissions) };
  }
  // Only an active member learns that it lacks the permission; a suspended or former one gets what a stranger gets.
  if (snapshot.collaboration?.status === 'active') {
    throw await denied(ctx, meta, caller, { ownerId: owner.id, action, targetType: 'account', targetId: owner.id }, missingPermission('collaboration.manage'));
  }
  throw notFound('account');
}

/** Refuses owner-only work (custom roles) to managers. */
export async function requireOwner(ctx: AppContext, scope: OwnerScope, target: DenialTarget): Promise<void> {
  if (!scope.managed) return;
  throw await denied(ctx, scope.meta, scope.actor, target, forbidden('Only the account owner can create, change or delete roles.'));
}

/** Whether a collaboration's account-level shares hold collaboration.manage, whatever its status. */
export async function holdsManage(ctx: AppContext, collaboration: Collaboration): Promise<boolean> {
  if (!collaboration.memberId) return false;
  const [shares, rolePermissions] = await Promise.all([loadShares(ctx.db, collaboration.id), loadRolePermissions(ctx.db, collaboration.ownerId)]);
  // Judged as if active: a suspended manager is still one, and only the owner may reinstate or remove it.
  const access = effectiveAccess(
    {
      now: ctx.clock.now(),
      subject: { id: collaboration.memberId, trialExpired: false },
      ownerId: collaboration.ownerId,
      collaboration: { id: collaboration.id, status: 'active' },
      shares,
      groups: new Map(),
      rolePermissions,
    },
    { kind: 'account' },
  );
  return access.permissions.includes('collaboration.manage');
}

/** A manager may act on other members only: never itself, and never another member holding collaboration.manage. */
export async function assertManageable(ctx: AppContext, scope: OwnerScope, collaboration: Collaboration, action: string): Promise<void> {
  if (!scope.managed) return;
  const target = { ownerId: scope.owner.id, action, targetType: 'collaboration', targetId: collaboration.id };
  if (collaboration.memberId === scope.actor.user.id) {
    throw await denied(ctx, scope.meta, scope.actor, target, forbidden('You cannot manage your own membership; only the owner can.'));
  }
  if (await holdsManage(ctx, collaboration)) {
    throw await denied(
      ctx,
      scope.meta,
      scope.actor,
      target,
      forbidden('This member manages the account too; only the owner manages members who hold collaboration.manage.'),
    );
  }
}

/** A manager may never grant a permission it does not hold itself at account level. */
export async function assertCanGrant(ctx: AppContext, scope: OwnerScope, granted: Iterable<Permission>, target: DenialTarget): Promise<void> {
  if (!scope.managed) return;
  for (const permission of granted) {
    if (!scope.held.has(permission)) {
      throw await denied(
        ctx,
        scope.meta,
        scope.actor,
        target,
        missingPermission(permission, `You cannot grant ${permission}: you do not hold it on the whole account yourself.`),
      );
    }
  }
}
