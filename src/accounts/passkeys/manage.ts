import { and, asc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { passkeys } from '../../db/schema/index.js';
import { notFound } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import type { User } from '../caller.js';
import { auditPasskey } from './audit.js';
import { presentPasskey } from './present.js';

/** A person's passkeys, oldest first. */
export async function listPasskeys(ctx: AppContext, user: User) {
  const rows = await ctx.db.select().from(passkeys).where(eq(passkeys.userId, user.id)).orderBy(asc(passkeys.createdAt), asc(passkeys.id));
  return { items: rows.map(presentPasskey) };
}

/** Renames one of the person's passkeys; another person's is not found. */
export async function renamePasskey(ctx: AppContext, meta: RequestMeta, user: User, id: string, name: string) {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [passkey] = await tx
      .update(passkeys)
      .set({ name })
      .where(and(eq(passkeys.id, id), eq(passkeys.userId, user.id)))
      .returning();
    if (!passkey) throw notFound('passkey');
    await auditPasskey(tx, now, meta, user, 'account.passkey_rename', passkey.id, { name });
    return presentPasskey(passkey);
  });
}

/** Removes one of the person's passkeys: it signs in no more. */
export async function removePasskey(ctx: AppContext, meta: RequestMeta, user: User, id: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const [passkey] = await tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, id), eq(passkeys.userId, user.id)))
      .returning();
    if (!passkey) throw notFound('passkey');
    await auditPasskey(tx, now, meta, user, 'account.passkey_remove', passkey.id, { name: passkey.name });
  });
}
