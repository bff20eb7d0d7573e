import type { AppContext } from '../../context.js';
import type { MemberRow } from '../members/load.js';
import { decodeCursor, encodeCursor } from '../../http/page-cursor.js';
import type { OwnerScope } from '../scope.js';
import { loadShares, presentShares } from './load.js';

/** A member's shares, oldest first; expired ones are listed (and marked) until someone deletes them. */
export async function listShares(ctx: AppContext, scope: OwnerScope, member: MemberRow, limit: number, cursor: string | undefined) {
  const position = decodeCursor(cursor);
  // A member has few shares: they are read whole and paged here, in the same (time, id) order as every list.
  const after = (at: Date, id: string) => !position || at > position.at || (at.getTime() === position.at.getTime() && id > position.id);
  const all = (await loadShares(ctx.db, member.collaboration.id)).filter((l) => after(l.share.createdAt, l.share.id));
  const kept = all.slice(0, limit);
  const last = kept.at(-1);
  return {
    items: await presentShares(ctx.db, scope.owner.id, kept, ctx.clock.now()),
    nextCursor: all.length > limit && last ? encodeCursor({ at: last.share.createdAt, id: last.share.id }) : null,
  };
}
