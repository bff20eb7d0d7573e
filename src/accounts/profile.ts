import { eq } from 'drizzle-orm';
import type { AppContext } from '../context.js';
import { users } from '../db/schema/index.js';
import { recordAudit } from '../audit/record.js';
import type { RequestMeta } from '../http/request-meta.js';
import type { Caller, User } from './caller.js';

/** Changes the caller's display name. The email is the account's identity and is not changed here. */
export async function updateProfile(ctx: AppContext, meta: RequestMeta, caller: Caller, name: string): Promise<User> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [user] = await tx.update(users).set({ name }).where(eq(users.id, caller.user.id)).returning();
    if (!user) throw new Error('the signed-in account vanished');
    await recordAudit(tx, {
      at: now,
      actor: caller.user,
      ownerId: user.id,
      action: 'account.update',
      targetType: 'user',
      targetId: user.id,
      outcome: 'ok',
      requestId: meta.requestId,
    });
    return user;
  });
}
