import { and, desc, eq, gte, like, lt, or, type SQL, sql } from 'drizzle-orm';
import type { Caller } from '../accounts/caller.js';
import type { AppContext } from '../context.js';
import { aliasesIn } from '../access/load/people.js';
import { anyOf } from '../db/any.js';
import { type AuditOutcome, auditEvents, collaborations, users } from '../db/schema/index.js';
import { fieldError, notFound } from '../http/errors.js';

export interface AuditFilter {
  /** Whose account log; the caller's own when absent. */
  ownerId?: string | undefined;
  environmentId?: string | undefined;
  actorId?: string | undefined;
  /** An exact action (`environment.stop`) or a prefix ending in `*` (`environment.*`). */
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  cursor?: string | undefined;
}

export interface AuditItem {
  id: string;
  at: string;
  actorId: string | null;
  actorEmail: string | null;
  ownerId: string | null;
  action: string;
  targetType: string;
  targetId: string | null;
  outcome: AuditOutcome;
  requestId: string | null;
  /** Only in the owner's own log: details may name things a member must not see (aliases...). */
  details?: Record<string, unknown> | null;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

function actionCondition(action: string | undefined) {
  if (action === undefined) return undefined;
  if (action.endsWith('*')) return like(auditEvents.action, `${escapeLike(action.slice(0, -1))}%`);
  return eq(auditEvents.action, action);
}

function cursorCondition(cursor: string | undefined) {
  if (cursor === undefined) return undefined;
  // Ids are a bigserial: the cursor is the last id seen, newest first (at most 15 digits: exact as a JS number).
  if (!/^\d{1,15}$/.test(cursor)) throw fieldError('querystring.cursor', 'is not a cursor from this list');
  return lt(auditEvents.id, Number(cursor));
}

type AuditRow = typeof auditEvents.$inferSelect;

/** One event as a log reader sees it: details only in the owner's own log. */
export function presentAuditEvent(row: AuditRow, isOwner: boolean): AuditItem {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actorId: row.actorId,
    actorEmail: row.actorEmail,
    ownerId: row.ownerId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    outcome: row.outcome,
    requestId: row.requestId,
    ...(isOwner ? { details: row.details } : {}),
  };
}

/**
 * Which events of which log a caller may read, as one condition, with the filter applied. An owner reads the whole
 * log of their account, members' actions included; a member reads only its own actions in an owner's account, and
 * only while its collaboration is active (404 otherwise). The one place this rule lives: the list and the export.
 */
export async function auditScope(ctx: AppContext, caller: Caller, filter: Omit<AuditFilter, 'limit' | 'cursor'>): Promise<{ where: SQL | undefined; isOwner: boolean }> {
  const ownerId = filter.ownerId ?? caller.user.id;
  const isOwner = ownerId === caller.user.id;
  if (!isOwner) {
    const [collaboration] = await ctx.db
      .select({ id: collaborations.id })
      .from(collaborations)
      .where(and(eq(collaborations.ownerId, ownerId), eq(collaborations.memberId, caller.user.id), eq(collaborations.status, 'active')))
      .limit(1);
    if (!collaboration) throw notFound('account');
  }
  const environmentId = filter.environmentId;
  const where = and(
    eq(auditEvents.ownerId, ownerId),
    isOwner ? undefined : eq(auditEvents.actorId, caller.user.id),
    filter.actorId === undefined ? undefined : eq(auditEvents.actorId, filter.actorId),
    environmentId === undefined ? undefined : aboutEnvironment(environmentId),
    actionCondition(filter.action),
    filter.outcome === undefined ? undefined : eq(auditEvents.outcome, filter.outcome),
    filter.from === undefined ? undefined : gte(auditEvents.at, filter.from),
    filter.to === undefined ? undefined : lt(auditEvents.at, filter.to),
  );
  return { where, isOwner };
}

/** Events about one environment: on it, or naming it in their details (shares on it...). */
export function aboutEnvironment(environmentId: string): SQL | undefined {
  return or(
    and(eq(auditEvents.targetType, 'environment'), eq(auditEvents.targetId, environmentId)),
    sql`${auditEvents.details} ->> 'environmentId' = ${environmentId}`,
  );
}

/** An event of the listed log, with the actor named as its reader names it. */
export interface LabelledAuditItem extends AuditItem {
  /** The actor's account name (null for the platform, or an account since deleted). */
  actorName: string | null;
  /** The one name to show for the actor: the owner's alias for a member in the owner's own log, else the name. */
  actorLabel: string | null;
}

/** Reads an audit log, newest first, as `auditScope` allows. */
export async function listAudit(ctx: AppContext, caller: Caller, filter: AuditFilter): Promise<{ items: LabelledAuditItem[]; nextCursor: string | null }> {
  const { where, isOwner } = await auditScope(ctx, caller, filter);
  const rows = await ctx.db
    .select()
    .from(auditEvents)
    .where(and(where, cursorCondition(filter.cursor)))
    .orderBy(desc(auditEvents.id))
    .limit(filter.limit + 1);
  const shown = rows.slice(0, filter.limit);
  const actorIds = [...new Set(shown.flatMap((row) => (row.actorId ? [row.actorId] : [])))];
  const [names, aliases] = await Promise.all([
    actorIds.length ? ctx.db.select({ id: users.id, name: users.name }).from(users).where(anyOf(users.id, actorIds)) : [],
    isOwner ? aliasesIn(ctx.db, caller.user.id, actorIds) : new Map<string, string>(),
  ]);
  const nameOf = new Map(names.map((row) => [row.id, row.name]));
  const items = shown.map((row) => ({
    ...presentAuditEvent(row, isOwner),
    actorName: (row.actorId && nameOf.get(row.actorId)) || null,
    actorLabel: (row.actorId && (aliases.get(row.actorId) ?? nameOf.get(row.actorId))) || row.actorEmail,
  }));
  const last = items.at(-1);
  return { items, nextCursor: rows.length > filter.limit && last ? last.id : null };
}
