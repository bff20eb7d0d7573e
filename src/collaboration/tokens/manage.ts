import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { apiTokens, users } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import type { OwnerScope } from '../scope.js';
import { findActingToken } from './acting.js';

/** The owner's account policy. */
export function presentPolicy(owner: { tokenMaxLifetimeDays: number | null; accessRequestMaxHours: number }) {
  return { tokenMaxLifetimeDays: owner.tokenMaxLifetimeDays, accessRequestMaxHours: owner.accessRequestMaxHours };
}

export interface PolicyChange {
  tokenMaxLifetimeDays?: number | null | undefined;
  accessRequestMaxHours?: number | undefined;
}

/**
 * Sets the longest a token may act in the owner's account (null: no cap) and the longest access a member may
 * request; tokens and requests made from now on obey it.
 */
export async function setAccountPolicy(ctx: AppContext, scope: OwnerScope, change: PolicyChange) {
  const now = ctx.clock.now();
  const set = {
    ...(change.tokenMaxLifetimeDays === undefined ? {} : { tokenMaxLifetimeDays: change.tokenMaxLifetimeDays }),
    ...(change.accessRequestMaxHours === undefined ? {} : { accessRequestMaxHours: change.accessRequestMaxHours }),
  };
  return ctx.db.transaction(async (tx) => {
    const [owner] = await tx.update(users).set(set).where(eq(users.id, scope.owner.id)).returning();
    if (!owner) throw notFound('account');
    await recordAudit(tx, {
      at: now,
      actor: scope.actor.user,
      ownerId: owner.id,
      action: 'account.policy.update',
      targetType: 'account',
      targetId: owner.id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: set,
    });
    return presentPolicy(owner);
  });
}

/** The owner revokes a member's token that acts in its account; any other token is a 404. */
export async function revokeActingToken(ctx: AppContext, scope: OwnerScope, id: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const found = await findActingToken(tx, scope.owner.id, now, id);
    if (!found) throw notFound('API token');
    await tx.update(apiTokens).set({ revokedAt: now }).where(eq(apiTokens.id, id));
    await recordAudit(tx, {
      at: now,
      actor: scope.actor.user,
      ownerId: scope.owner.id,
      action: 'api_token.revoke',
      targetType: 'api_token',
      targetId: id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: { holder: found.holderName, by: 'owner' },
    });
  });
}
