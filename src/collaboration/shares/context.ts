import { eq } from 'drizzle-orm';
import type { Caller } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import type { Db } from '../../db/client.js';
import { collaborations } from '../../db/schema/index.js';
import { fieldError, invalidState } from '../../http/errors.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { loadMember, type MemberRow, type Person } from '../members/load.js';
import { assertManageable, type OwnerScope, resolveOwnerScope } from '../scope.js';

export interface ShareTarget {
  scope: OwnerScope;
  member: MemberRow & { user: Person };
}

const SHAREABLE = new Set(['active', 'suspended']);

const notShareable = (status: string) =>
  invalidState(`Shares are for members who accepted: this member is ${status}. Share once the invitation is accepted.`);

/** Resolves who acts for which owner on which member's shares, refusing what a manager may not touch. */
export async function shareTarget(ctx: AppContext, meta: RequestMeta, caller: Caller, ownerId: string | undefined, memberId: string, action: string): Promise<ShareTarget> {
  const scope = await resolveOwnerScope(ctx, meta, caller, ownerId, action);
  const member = await loadMember(ctx.db, scope.owner.id, memberId);
  await assertManageable(ctx, scope, member.collaboration, action);
  const user = member.user;
  if (!SHAREABLE.has(member.collaboration.status) || !user) throw notShareable(member.collaboration.status);
  return { scope, member: { ...member, user } };
}

/** Locks the collaboration for the rest of the transaction and checks it can still hold shares (no remove or leave meanwhile). */
export async function lockShareable(tx: Db, collaborationId: string): Promise<void> {
  const [row] = await tx
    .select({ status: collaborations.status })
    .from(collaborations)
    .where(eq(collaborations.id, collaborationId))
    .limit(1)
    .for('share');
  if (!row || !SHAREABLE.has(row.status)) throw notShareable(row?.status ?? 'removed');
}

/** An expiry sent by a client: in the future, or null to never expire. */
export function futureExpiry(value: string | null | undefined, now: Date): Date | null | undefined {
  if (value === undefined || value === null) return value;
  const at = new Date(value);
  if (at.getTime() <= now.getTime()) throw fieldError('expiresAt', 'must be in the future');
  return at;
}
