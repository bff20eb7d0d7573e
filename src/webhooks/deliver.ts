import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { DAY, HOUR, MINUTE, SECOND } from '../clock.js';
import type { AppContext } from '../context.js';
import { webhookDeliveries, webhookEndpoints } from '../db/schema/index.js';
import { newSecret } from '../secrets.js';
import { disableFailingEndpoint } from './disable.js';
import { postWebhook, WEBHOOK_TIMEOUT_MS } from './post.js';
import { signMessage } from './sign.js';
import { resolveTarget, WebhookTargetRefused } from './target.js';

/** Deliveries one pass makes at most, each claimed on its own just before it is sent. */
const BATCH = 20;
/** A claimed delivery is this node's until then; well above the attempt's timeout, so it never runs out mid-attempt. */
export const WEBHOOK_LEASE_MS = 2 * MINUTE + WEBHOOK_TIMEOUT_MS;
/** The Standard Webhooks retry schedule: the wait after the first, second... failed attempt; then it has failed. */
export const RETRY_SCHEDULE_MS = [5 * SECOND, 5 * MINUTE, 30 * MINUTE, 2 * HOUR, 5 * HOUR, 10 * HOUR, 10 * HOUR];
/** An endpoint that has failed every attempt for this long is disabled and its owner mailed. */
export const DISABLE_AFTER_MS = DAY;

type Delivery = typeof webhookDeliveries.$inferSelect;
type Endpoint = typeof webhookEndpoints.$inferSelect;

/** Claims the oldest due delivery to an enabled endpoint for this node alone: SKIP LOCKED, a lease and a fresh claim. */
async function claimNext(ctx: AppContext): Promise<{ delivery: Delivery; endpoint: Endpoint } | undefined> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const enabled = tx.select({ id: webhookEndpoints.id }).from(webhookEndpoints).where(eq(webhookEndpoints.enabled, true));
    const [due] = await tx
      .select({ id: webhookDeliveries.id })
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.status, 'pending'),
          lte(webhookDeliveries.nextAttemptAt, now),
          or(isNull(webhookDeliveries.lockedUntil), lte(webhookDeliveries.lockedUntil, now)),
          inArray(webhookDeliveries.endpointId, enabled),
        ),
      )
      .orderBy(asc(webhookDeliveries.id))
      .limit(1)
      .for('update', { skipLocked: true });
    if (!due) return undefined;
    const [delivery] = await tx
      .update(webhookDeliveries)
      .set({ lockedUntil: new Date(now.getTime() + WEBHOOK_LEASE_MS), claim: newSecret(), attempts: sql`${webhookDeliveries.attempts} + 1` })
      .where(eq(webhookDeliveries.id, due.id))
      .returning();
    if (!delivery) return undefined;
    const [endpoint] = await tx.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, delivery.endpointId));
    return endpoint ? { delivery, endpoint } : undefined;
  });
}

/** The secrets that sign now: the current one, and the previous one while its grace period lasts. */
function signingSecrets(endpoint: Endpoint, now: Date): string[] {
  const previous = endpoint.previousSecret && endpoint.previousSecretUntil && endpoint.previousSecretUntil > now ? [endpoint.previousSecret] : [];
  return [endpoint.secret, ...previous];
}

interface Outcome {
  ok: boolean;
  responseCode: number | null;
  durationMs: number | null;
  responseExcerpt: string | null;
  error: string | null;
}

/** One attempt: resolve and check the target, sign, POST. Any 2xx is a success; anything else is a failure. */
async function attempt(ctx: AppContext, delivery: Delivery, endpoint: Endpoint): Promise<Outcome> {
  const now = ctx.clock.now();
  const body = JSON.stringify({ type: delivery.type, timestamp: delivery.occurredAt.toISOString(), data: delivery.data });
  const signed = signMessage(signingSecrets(endpoint, now), delivery.eventId, now, body);
  try {
    const target = await resolveTarget(endpoint.url, ctx.config.webhookAllowPrivate);
    const result = await postWebhook(target, signed.headers, signed.body);
    const ok = result.status >= 200 && result.status < 300;
    return { ok, responseCode: result.status, durationMs: result.durationMs, responseExcerpt: result.excerpt, error: ok ? null : `answered ${result.status}` };
  } catch (error) {
    const reason = error instanceof WebhookTargetRefused ? `refused target: ${error.message}` : error instanceof Error ? error.message : String(error);
    return { ok: false, responseCode: null, durationMs: null, responseExcerpt: null, error: reason.slice(0, 500) };
  }
}

/** Records an attempt's outcome, only while the claim is still this node's; false when another node took it over. */
async function settle(ctx: AppContext, delivery: Delivery, outcome: Outcome): Promise<boolean> {
  const now = ctx.clock.now();
  const failures = outcome.ok ? delivery.failures : delivery.failures + 1;
  const wait = RETRY_SCHEDULE_MS[failures - 1];
  const status = outcome.ok ? 'delivered' : wait === undefined ? 'failed' : 'pending';
  const done = await ctx.db
    .update(webhookDeliveries)
    .set({
      status,
      failures,
      nextAttemptAt: new Date(now.getTime() + (wait ?? 0)),
      responseCode: outcome.responseCode,
      durationMs: outcome.durationMs,
      responseExcerpt: outcome.responseExcerpt,
      lastError: outcome.error,
      lastAttemptAt: now,
      ...(outcome.ok ? { deliveredAt: now } : {}),
      lockedUntil: null,
      claim: null,
    })
    .where(and(eq(webhookDeliveries.id, delivery.id), eq(webhookDeliveries.claim, delivery.claim ?? '')))
    .returning({ id: webhookDeliveries.id });
  if (done.length === 0) ctx.log.warn({ deliveryId: delivery.id }, 'webhook claim was taken over by another node; its outcome is theirs to record');
  return done.length > 0;
}

/** Keeps the endpoint's failure streak: a success ends it; a failure starts it, and one a day long disables the endpoint. */
async function trackEndpoint(ctx: AppContext, endpoint: Endpoint, ok: boolean): Promise<void> {
  const now = ctx.clock.now();
  if (ok) {
    if (endpoint.failingSince) await ctx.db.update(webhookEndpoints).set({ failingSince: null }).where(eq(webhookEndpoints.id, endpoint.id));
    return;
  }
  const [streak] = await ctx.db
    .update(webhookEndpoints)
    .set({ failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now.toISOString()}::timestamptz)` })
    .where(eq(webhookEndpoints.id, endpoint.id))
    .returning({ failingSince: webhookEndpoints.failingSince });
  if (streak?.failingSince && now.getTime() - streak.failingSince.getTime() >= DISABLE_AFTER_MS) {
    await disableFailingEndpoint(ctx, endpoint.id, streak.failingSince);
  }
}

/**
 * Delivers due webhooks, one claimed delivery at a time, outside any transaction, and records each outcome fenced
 * by its claim: delivered, retried on the Standard Webhooks schedule, or failed once the schedule is spent.
 * Returns how many deliveries it attempted.
 */
export async function deliverDueWebhooks(ctx: AppContext): Promise<number> {
  let handled = 0;
  for (; handled < BATCH; handled++) {
    const claimed = await claimNext(ctx);
    if (!claimed) break;
    const outcome = await attempt(ctx, claimed.delivery, claimed.endpoint);
    if (!outcome.ok) ctx.log.warn({ deliveryId: claimed.delivery.id, endpointId: claimed.endpoint.id, reason: outcome.error }, 'webhook delivery failed');
    if (await settle(ctx, claimed.delivery, outcome)) await trackEndpoint(ctx, claimed.endpoint, outcome.ok);
  }
  return handled;
}
