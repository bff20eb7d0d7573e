import { eq, sql } from 'drizzle-orm';
import { recordAudit } from '../../audit/record.js';
import { DAY } from '../../clock.js';
import type { AppContext } from '../../context.js';
import { environmentTransfers, users } from '../../db/schema/index.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { EnvironmentAuthorized } from '../change.js';
import { decideUnderLock } from '../../http/authorize/lock.js';
import { loaded } from '../../http/authorize/authorized.js';
import { collaboratorCannotOwn, conflict, fieldError, invalidState, notFound } from '../../http/errors.js';
import { lockEnvironment } from '../transitions.js';
import { expireTransfersIn } from './expire.js';
import { transferView } from './load.js';
import { transferRequestedNotice } from './notices.js';
import { tellTransfer } from './tell.js';
import type { TransferView } from './schemas.js';

/** How long the recipient has to accept or decline. */
export const TRANSFER_TTL_MS = 7 * DAY;

const alreadyPending = () => conflict('This environment already has a pending transfer: cancel it before asking for another.');

/**
 * The owner asks to hand the environment the rule loaded to the account of `email`: a pending transfer for 7 days,
 * told to the recipient by mail and in-app. Nothing changes hands until the recipient accepts.
 */
export async function requestTransfer(ctx: AppContext, authorized: EnvironmentAuthorized, email: string): Promise<TransferView> {
  const now = ctx.clock.now();
  const { caller, meta } = authorized;
  try {
    const id = await ctx.db.transaction(async (tx) => {
      const fresh = loaded(await decideUnderLock(tx, now, authorized), 'environment');
      const env = await lockEnvironment(tx, fresh.environment.env.id);
      if (!env) throw notFound('environment');
      if (env.status === 'deleting') throw invalidState('The environment is being deleted: there is nothing to transfer.');
      const [to] = await tx.select().from(users).where(eq(sql`lower(${users.email})`, email.toLowerCase())).limit(1);
      if (!to) throw fieldError('email', 'No Shareplane account uses this email: the recipient must sign up first.');
      if (to.id === env.ownerId) throw fieldError('email', 'This is your own account: the environment is already yours.');
      if (to.type === 'collaborator') throw collaboratorCannotOwn('That account is a collaborator account: it cannot own environments.');
      await expireTransfersIn(tx, ctx, now, env.id);
      const expiresAt = new Date(now.getTime() + TRANSFER_TTL_MS);
      const [row] = await tx
        .insert(environmentTransfers)
        .values({ environmentId: env.id, environmentName: env.name, fromId: env.ownerId, toId: to.id, status: 'pending', createdAt: now, expiresAt })
        .returning();
      if (!row) throw new Error('transfer insert returned nothing');
      const from = caller.user;
      await tellTransfer(tx, ctx, to, transferRequestedNotice({ environment: { id: env.id, name: env.name }, from, to }, expiresAt));
      await recordAudit(tx, {
        at: now,
        actor: caller.user,
        ownerId: env.ownerId,
        action: authorized.rule.action,
        targetType: 'environment',
        targetId: env.id,
        outcome: 'ok',
        requestId: meta.requestId,
        details: { transferId: row.id, toId: to.id, toEmail: to.email, expiresAt: expiresAt.toISOString() },
      });
      return row.id;
    });
    ctx.wake.mail();
    return transferView(ctx.db, caller.user.id, id, now);
  } catch (error) {
    if (isUniqueViolation(error, 'environment_transfers_pending_key')) throw alreadyPending();
    throw error;
  }
}
