import { asc, eq } from 'drizzle-orm';
import { isVisible, visibleGroupIds } from '../../access/load/groups.js';
import type { AppContext } from '../../context.js';
import { groups } from '../../db/schema/index.js';
import type { Authorized, AccountScope } from '../../http/authorize/authorized.js';
import { fieldError } from '../../http/errors.js';
import { presentGroup } from './present.js';
import type { GroupView } from './schemas.js';

/**
 * One owner's groups as the caller sees them (its own by default): all of them for the owner, and for a member the
 * shared groups, their subgroups and the groups of the environments it sees. By name, then id.
 */
export async function listGroups(
  ctx: AppContext,
  authorized: Authorized & { account: AccountScope },
  query: { limit: number; cursor?: string | undefined },
): Promise<{ items: GroupView[]; nextCursor: string | null }> {
  const { owner, snapshot } = authorized.account;
  const visible = await visibleGroupIds(ctx.db, snapshot);
  const rows = await ctx.db.select().from(groups).where(eq(groups.ownerId, owner.id)).orderBy(asc(groups.name), asc(groups.id));
  const seen = rows.filter((group) => isVisible(visible, group.id));
  // Groups are few per owner (at most MAX_GROUPS_PER_OWNER) and filtered by access, so the page is cut in memory.
  const at = query.cursor === undefined ? -1 : seen.findIndex((group) => group.id === query.cursor);
  // A cursor that names no group of this list is not ours: 400, never a silent first page.
  if (query.cursor !== undefined && at < 0) throw fieldError('cursor', 'is not a cursor from this list');
  const start = at + 1;
  const page = seen.slice(start, start + query.limit);
  const last = page.at(-1);
  return {
    items: page.map((group) => presentGroup(group, snapshot, visible)),
    nextCursor: start + query.limit < seen.length && last ? last.id : null,
  };
}
