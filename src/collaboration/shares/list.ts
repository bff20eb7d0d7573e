import type { Caller } from '../../accounts/caller.js';
import type { AppContext } from '../../context.js';
import type { RequestMeta } from '../../http/request-meta.js';
import { loadMember } from '../members/load.js';
import { decodeCursor, encodeCursor } from '../../http/page-cursor.js';
import { resolveOwnerScope } from '../scope.js';
import { loadShares, presentShares } from './load.js';

/** A member's shares, oldest first; expired ones are listed (and marked) until someone deletes them. */
export async function listShares(
  ctx: AppContext,
  meta: RequestMeta,
  caller: Caller,
  ownerId: string | undefined,
  memberId: string,
  limit: number,
  cursor: string | undefined,
) {
  const scope = await resolveOwnerScope(ctx, meta, caller, ownerId, 'share.list');
  const member = await loadMember(ctx.db, scope.owner.id, memberId);
  // One row past the page tells whether another page follows.
  const all = await loadShares(ctx.db, member.collaboration.id, undefined, { after: decodeCursor(cursor), limit: limit + 1 });
  const kept = all.slice(0, limit);
  const last = kept.at(-1);
  return {
    items: await presentShares(ctx.db, scope.owner.id, kept, ctx.clock.now()),
    nextCursor: all.length > limit && last ? encodeCursor({ at: last.share.createdAt, id: last.share.id }) : null,
  };
}
