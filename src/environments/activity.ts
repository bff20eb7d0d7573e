import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import { effectiveAccess } from '../access/decide.js';
import { aboutEnvironment } from '../audit/list.js';
import type { AppContext } from '../context.js';
import { auditEvents, collaborations } from '../db/schema/index.js';
import type { EnvironmentFor } from '../http/authorize/authorized.js';
import type { Caller } from '../accounts/caller.js';
import { fieldError } from '../http/errors.js';

export type ActorKind = 'you' | 'owner' | 'member' | 'system';

export interface ActivityItem {
  id: string;
  at: string;
  actor: { kind: ActorKind; label: string };
  action: string;
  outcome: 'ok' | 'denied' | 'failed';
}

/**
 * Whom the viewer may know by name. The owner and managers (collaboration.manage at account level) know members by
 * the owner's alias for them; anyone else sees "a collaborator", never an alias (DESIGN.md section 4: the member
 * never sees it) nor another member's address.
 */
function labeller(viewer: Caller, ownerId: string, knowsMembers: boolean, aliases: Map<string, string>) {
  return (actorId: string | null, actorEmail: string | null): ActivityItem['actor'] => {
    if (actorId === null && actorEmail === null) return { kind: 'system', label: 'Shareplane' };
    if (actorId === viewer.user.id) return { kind: 'you', label: 'you' };
    if (actorId === ownerId) return { kind: 'owner', label: 'the owner' };
    if (!knowsMembers) return { kind: 'member', label: 'a collaborator' };
    const alias = actorId === null ? undefined : aliases.get(actorId);
    return { kind: 'member', label: alias ?? actorEmail ?? 'a former collaborator' };
  };
}

const cursorId = (cursor: string | undefined) => {
  if (cursor === undefined) return undefined;
  if (!/^\d{1,15}$/.test(cursor)) throw fieldError('querystring.cursor', 'is not a cursor from this list');
  return Number(cursor);
};

/** Who did what on one environment and when, newest first, for anyone who sees it; actors as the viewer may know them. */
export async function environmentActivity(
  ctx: AppContext,
  viewer: Caller,
  target: EnvironmentFor,
  limit: number,
  cursor: string | undefined,
): Promise<{ items: ActivityItem[]; nextCursor: string | null }> {
  const { env, snapshot } = target;
  const before = cursorId(cursor);
  const rows = await ctx.db
    .select({ id: auditEvents.id, at: auditEvents.at, actorId: auditEvents.actorId, actorEmail: auditEvents.actorEmail, action: auditEvents.action, outcome: auditEvents.outcome })
    .from(auditEvents)
    .where(and(eq(auditEvents.ownerId, env.ownerId), aboutEnvironment(env.id), before === undefined ? undefined : lt(auditEvents.id, before)))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const knowsMembers = env.ownerId === viewer.user.id || effectiveAccess(snapshot, { kind: 'account' }).permissions.includes('collaboration.manage');
  const actorIds = [...new Set(page.flatMap((row) => (row.actorId ? [row.actorId] : [])))];
  const aliases = new Map<string, string>();
  if (knowsMembers && actorIds.length > 0) {
    const named = await ctx.db
      .select({ memberId: collaborations.memberId, displayName: collaborations.displayName })
      .from(collaborations)
      .where(and(eq(collaborations.ownerId, env.ownerId), inArray(collaborations.memberId, actorIds)));
    for (const row of named) if (row.memberId && row.displayName) aliases.set(row.memberId, row.displayName);
  }
  const label = labeller(viewer, env.ownerId, knowsMembers, aliases);
  const items = page.map((row) => ({ id: String(row.id), at: row.at.toISOString(), actor: label(row.actorId, row.actorEmail), action: row.action, outcome: row.outcome }));
  return { items, nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null };
}
