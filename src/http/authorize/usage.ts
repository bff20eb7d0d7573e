import { and, inArray, isNull, lt, or } from 'drizzle-orm';
import { HOUR } from '../../clock.js';
import type { AppContext } from '../../context.js';
import { collaborations, shares } from '../../db/schema/index.js';
import { effectiveAccess, type Grant } from '../../access/decide.js';
import type { Authorized } from './authorized.js';

/** How often one share's or one member's last use is written, at most. */
export const USAGE_WRITE_EVERY_MS = HOUR;
// Keys this node remembers writing; past this many it forgets them all (a few extra writes, never unbounded memory).
const REMEMBERED = 50_000;

/**
 * Remembers, per node, when each share and each member's last use was written, so the hot path mostly writes
 * nothing: a key is written at most once an hour by this node, and the UPDATE's own condition keeps it at most once
 * an hour across nodes.
 */
export class UsageThrottle {
  private readonly written = new Map<string, number>();

  /** The keys due for a write at `now`, marked as written. */
  due(keys: readonly string[], now: number): string[] {
    if (this.written.size > REMEMBERED) this.written.clear();
    return keys.filter((key) => {
      const last = this.written.get(key);
      if (last !== undefined && now - last < USAGE_WRITE_EVERY_MS && now >= last) return false;
      this.written.set(key, now);
      return true;
    });
  }
}

const throttles = new WeakMap<AppContext, UsageThrottle>();
const inFlight = new WeakMap<AppContext, Set<Promise<void>>>();

/** Resolves once the usage writes this node has started are done (closing the app, and tests that count statements). */
export async function usageWritesSettled(ctx: AppContext): Promise<void> {
  await Promise.all([...(inFlight.get(ctx) ?? [])]);
}

/**
 * The shares that decided what an allowed request was allowed to do, by the resource its rule decided on: the
 * environment's decision; where something new goes (the group walk, then the account share); a group; or, for a
 * manager's route, the account shares that give collaboration.manage. A route any member may use decided on none.
 */
function decidingShares(authorized: Authorized): readonly Grant[] {
  if (authorized.environment) return authorized.environment.access.via;
  const needs = authorized.rule.load.map((rule) => rule.kind);
  const snapshot = authorized.group?.snapshot ?? authorized.account?.snapshot;
  if (!snapshot) return [];
  if (authorized.destination && needs.includes('destination')) return effectiveAccess(snapshot, { kind: 'create', groupId: authorized.destination.groupId }).via;
  if (authorized.group && needs.includes('group')) return effectiveAccess(snapshot, { kind: 'create', groupId: authorized.group.group.id }).via;
  const managed = authorized.rule.load.some((rule) => rule.kind === 'account' && rule.needs === 'manager');
  return managed ? effectiveAccess(snapshot, { kind: 'account' }).via : [];
}

/** The shares that decided an allowed request, and the member who made it, coarsely (access review, issue 13). */
function usedBy(authorized: Authorized): { shareIds: string[]; collaborationId: string | null } {
  const snapshot = authorized.environment?.snapshot ?? authorized.group?.snapshot ?? authorized.account?.snapshot;
  const collaborationId = snapshot && snapshot.ownerId !== authorized.caller.user.id ? (snapshot.collaboration?.id ?? null) : null;
  const shareIds = collaborationId ? decidingShares(authorized).map((grant) => grant.shareId) : [];
  return { shareIds, collaborationId };
}

/**
 * Records, off the request's path, that an allowed request used these shares and this membership: at most one
 * conditional UPDATE per table an hour per key (`last_used_at < now - 1 h`). A failure is logged, never answered.
 */
export function noteUsage(ctx: AppContext, authorized: Authorized): void {
  const { shareIds, collaborationId } = usedBy(authorized);
  if (!collaborationId) return;
  let throttle = throttles.get(ctx);
  if (!throttle) throttles.set(ctx, (throttle = new UsageThrottle()));
  const now = ctx.clock.now();
  const due = throttle.due([`m:${collaborationId}`, ...shareIds.map((id) => `s:${id}`)], now.getTime());
  if (due.length === 0) return;
  const before = new Date(now.getTime() - USAGE_WRITE_EVERY_MS);
  const dueShares = due.filter((key) => key.startsWith('s:')).map((key) => key.slice(2));
  const dueMember = due.includes(`m:${collaborationId}`);
  const write = async () => {
    if (dueMember) {
      await ctx.db
        .update(collaborations)
        .set({ lastUsedAt: now })
        .where(and(inArray(collaborations.id, [collaborationId]), or(isNull(collaborations.lastUsedAt), lt(collaborations.lastUsedAt, before))));
    }
    if (dueShares.length > 0) {
      await ctx.db
        .update(shares)
        .set({ lastUsedAt: now })
        .where(and(inArray(shares.id, dueShares), or(isNull(shares.lastUsedAt), lt(shares.lastUsedAt, before))));
    }
  };
  let pending = inFlight.get(ctx);
  if (!pending) inFlight.set(ctx, (pending = new Set()));
  const running: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
    .then(write)
    .catch((error: unknown) => ctx.log.warn({ err: error }, 'could not record the last use of shares'))
    .finally(() => pending.delete(running));
  pending.add(running);
}
