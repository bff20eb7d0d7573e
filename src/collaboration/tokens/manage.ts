import { eq } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import { apiTokens, users } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import type { OwnerScope } from '../scope.js';
import { findActingToken } from './acting.js';
import { lockAccessChange } from '../../http/authorize/lock.js';
import { mailMembersWithoutSecondFactor } from './two-factor-mail.js';

/** The owner's account policy. */
export function presentPolicy(owner: { tokenMaxLifetimeDays: number | null; requireTwoFactor: boolean; accessRequestMaxHours: number }) {
  return { tokenMaxLifetimeDays: owner.tokenMaxLifetimeDays, requireTwoFactor: owner.requireTwoFactor, accessRequestMaxHours: owner.accessRequestMaxHours };
}

export interface PolicyChange {
  tokenMaxLifetimeDays?: number | null | undefined;
  requireTwoFactor?: boolean | undefined;
  accessRequestMaxHours?: number | undefined;
}

/**
 * Changes the owner's account policy: the longest a token may act in the account (null: no cap; tokens made from now
 * on obey it), whether members need a second factor (from the next request on) and the longest access a member may
 * request. Switching the second factor on mails, in the same transaction, every member who has none yet.
 */
export async function setAccountPolicy(ctx: AppContext, scope: OwnerScope, change: PolicyChange) {
  const now = ctx.clock.now();
  const answer = await ctx.db.transaction(async (tx) => {
    const set = {
      ...(change.tokenMaxLifetimeDays !== undefined ? { tokenMaxLifetimeDays: change.tokenMaxLifetimeDays } : {}),
      ...(change.requireTwoFactor !== undefined ? { requireTwoFactor: change.requireTwoFactor } : {}),
      ...(change.accessRequestMaxHours !== undefined ? { accessRequestMaxHours: change.accessRequestMaxHours } : {}),
    };
    const switchedOn = change.requireTwoFactor === true && !scope.owner.requireTwoFactor;
    // Members' writes decide again under their collaboration's lock: they serialize behind the switch.
    if (change.requireTwoFactor !== undefined) await lockAccessChange(tx, scope.owner.id, 'everyone');
    const [owner] = Object.keys(set).length > 0 ? await tx.update(users).set(set).where(eq(users.id, scope.owner.id)).returning() : [scope.owner];
    if (!owner) throw notFound('account');
    const mailed = switchedOn ? await mailMembersWithoutSecondFactor(ctx, tx, owner) : 0;
    await recordAudit(tx, {
      at: now,
      actor: scope.actor.user,
      ownerId: owner.id,
      action: 'account.policy.update',
      targetType: 'account',
      targetId: owner.id,
      outcome: 'ok',
      requestId: scope.meta.requestId,
      details: { ...set, ...(switchedOn ? { membersMailed: mailed } : {}) },
    });
    return { policy: presentPolicy(owner), mailed };
  });
  if (answer.mailed > 0) ctx.wake.mail();
  return answer.policy;
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
