import { asc, eq, inArray } from 'drizzle-orm';
import type { Caller, User } from '../../accounts/caller.js';
import { recordAudit } from '../../audit/record.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { environmentTransfers, environments, groupEnvironments, nodeGroups, users } from '../../db/schema/index.js';
import { lockAccessChange } from '../../http/authorize/lock.js';
import { invalidState, notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { revokeSharesOn } from '../../collaboration/shares/revoke.js';
import { assertWithinCaps, cloudletsOf } from '../caps.js';
import { assertOwnerMayRun } from '../dormant.js';
import { lockEnvironment } from '../transitions.js';
import { loadTransferAs, type TransferRow, transferView } from './load.js';
import { transferAcceptedNotice } from './notices.js';
import { assertPending, assertUnscoped } from './pending.js';
import type { TransferView } from './schemas.js';
import { tellTransfer } from './tell.js';

/** The giver as the actor of what the hand-over ends in its account (the shares it had given): it asked for it. */
function giverAsCaller(giver: User): Caller {
  return { user: giver, sessionId: null, apiTokenId: null, tokenScope: null, tokenLifetimeMs: null, viaCookie: false, trialExpired: false };
}

/**
 * Locks both accounts' collaborations (whose access moves: the old owner's members lose the environment, the new
 * owner's may gain it through their account shares), in owner id order so two crossing transfers never deadlock,
 * moving their access versions; then the environment; then both account rows, again in id order.
 */
async function lockBothSides(tx: Db, transfer: TransferRow) {
  const owners = [transfer.fromId, transfer.toId].sort();
  for (const ownerId of owners) await lockAccessChange(tx, ownerId, 'everyone');
  const env = await lockEnvironment(tx, transfer.environmentId);
  if (!env || env.ownerId !== transfer.fromId) throw invalidState('The environment is no longer in the account that offered it: this transfer cannot complete.');
  if (env.status === 'deleting') throw invalidState('The environment is being deleted: there is nothing to transfer.');
  const rows = await tx.select().from(users).where(inArray(users.id, owners)).orderBy(asc(users.id)).for('update');
  const giver = rows.find((row) => row.id === transfer.fromId);
  const recipient = rows.find((row) => row.id === transfer.toId);
  if (!giver || !recipient) throw notFound('transfer');
  return { env, giver, recipient };
}

/**
 * The recipient accepts: in one transaction, under the locks of both accounts and the environment, the recipient must
 * be able to own it (no collaborator account, no ended trial) and stay within its caps; the environment changes owner
 * and keeps running; the old owner's shares on it end as revocations (notice, mail, audit each, as when it is
 * deleted); it leaves the old owner's groups; both accounts' audit logs record it. From then on metering charges each
 * hour begun after this instant to the new owner (the accepted row is the ownership history it reads).
 */
export async function acceptTransfer(ctx: AppContext, caller: Caller, meta: RequestMeta, id: string): Promise<TransferView> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const transfer = await loadTransferAs(tx, id, caller.user.id, 'to', true);
    assertUnscoped(caller);
    assertPending(transfer, now);
    const { env, giver, recipient } = await lockBothSides(tx, transfer);
    await assertOwnerMayRun(tx, recipient.id, now);
    const nodes = await tx.select().from(nodeGroups).where(eq(nodeGroups.environmentId, env.id));
    await assertWithinCaps(tx, ctx.config, recipient.id, { environments: 1, cloudlets: cloudletsOf(nodes) });

    const action = 'environment.transfer_accept';
    const sharesEndedFor = await revokeSharesOn(tx, ctx, { caller: giverAsCaller(giver), meta, action }, giver.id, { environmentId: env.id });
    const leftGroups = await tx.delete(groupEnvironments).where(eq(groupEnvironments.environmentId, env.id)).returning({ groupId: groupEnvironments.groupId });
    await tx.update(environments).set({ ownerId: recipient.id, updatedAt: now }).where(eq(environments.id, env.id));
    await tx.update(environmentTransfers).set({ status: 'accepted', decidedAt: now }).where(eq(environmentTransfers.id, transfer.id));

    const details = {
      transferId: transfer.id,
      name: env.name,
      fromId: giver.id,
      toId: recipient.id,
      status: env.status,
      sharesEndedFor,
      leftGroups: leftGroups.map((row) => row.groupId),
    };
    for (const ownerId of [giver.id, recipient.id]) {
      await recordAudit(tx, { at: now, actor: caller.user, ownerId, action, targetType: 'environment', targetId: env.id, outcome: 'ok', requestId: meta.requestId, details });
    }
    await tellTransfer(tx, ctx, giver, transferAcceptedNotice({ environment: { id: env.id, name: env.name }, from: giver, to: recipient }));
  });
  ctx.wake.mail();
  return transferView(ctx.db, caller.user.id, id, now);
}
