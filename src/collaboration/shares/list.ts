import type { AppContext } from '../../context.js';
import { decodeCursor, encodeCursor } from '../../http/page-cursor.js';
import type { OwnerScope } from '../scope.js';
import { loadShares, presentShares, type ShareHolderKey } from './load.js';

/** A member's or a team's own shares, oldest first; expired ones are listed (and marked) until someone deletes them. */
export async function listShares(ctx: AppContext, scope: OwnerScope, holder: ShareHolderKey, limit: number, cursor: string | undefined) {
  // One row past the page tells whether another page follows.
  const all = await loadShares(ctx.db, holder, undefined, { after: decodeCursor(cursor), limit: limit + 1 });
  const kept = all.slice(0, limit);
  const last = kept.at(-1);
  return {
    items: await presentShares(ctx.db, scope.owner.id, kept, ctx.clock.now()),
    nextCursor: all.length > limit && last ? encodeCursor({ at: last.share.createdAt, id: last.share.id }) : null,
  };
}
