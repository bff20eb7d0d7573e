import { and, count, desc, eq } from 'drizzle-orm';
import { DAY } from '../clock.js';
import { recordAudit } from '../audit/record.js';
import type { AppContext } from '../context.js';
import type { Db } from '../db/client.js';
import { webhookEndpoints } from '../db/schema/index.js';
import type { AccountScope, Authorized } from '../http/authorize/authorized.js';
import { fieldError, limitReached, notFound, webhookTargetRefused } from '../http/errors.js';
import { isWebhookSubscription } from './events.js';
import { newWebhookSecret } from './sign.js';
import { targetProblem } from './target.js';

/** Endpoints one account may register. */
export const MAX_ENDPOINTS_PER_ACCOUNT = 20;
/** After a rotation, the old secret signs alongside the new one this long. */
export const ROTATION_GRACE_MS = DAY;

type EndpointRow = typeof webhookEndpoints.$inferSelect;
export type WebhookScope = Authorized & { account: AccountScope };

export interface EndpointInput {
  url?: string | undefined;
  events?: string[] | undefined;
  description?: string | undefined;
  enabled?: boolean | undefined;
}

/** An endpoint as its owner reads it: never the secret. */
export function presentEndpoint(row: EndpointRow) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: row.events,
    enabled: row.enabled,
    disabledReason: row.disabledReason,
    failingSince: row.failingSince?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

function checkInput(ctx: AppContext, input: EndpointInput): void {
  if (input.url !== undefined) {
    const problem = targetProblem(input.url, ctx.config.webhookAllowPrivate);
    if (problem) throw webhookTargetRefused(`The URL ${problem}.`);
  }
  const unknown = input.events?.findIndex((entry) => !isWebhookSubscription(entry)) ?? -1;
  if (unknown >= 0) throw fieldError(`body.events.${unknown}`, 'is no event type (see GET /api/v1/webhooks/event-types), family (share.*) or *');
}

async function audit(tx: Db, scope: WebhookScope, at: Date, action: string, endpointId: string, details: Record<string, unknown> = {}) {
  await recordAudit(tx, {
    at,
    actor: scope.caller.user,
    ownerId: scope.account.owner.id,
    action,
    targetType: 'webhook',
    targetId: endpointId,
    outcome: 'ok',
    requestId: scope.meta.requestId,
    details,
  });
}

/** The owner's endpoint `id`, locked for the transaction; 404 when it is not theirs. */
async function lockEndpoint(tx: Db, scope: WebhookScope, id: string): Promise<EndpointRow> {
  const [row] = await tx
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.ownerId, scope.account.owner.id)))
    .for('update');
  if (!row) throw notFound('webhook');
  return row;
}

/** The owner's endpoint `id` as read; 404 when it is not theirs. */
export async function findEndpoint(db: Db, scope: WebhookScope, id: string): Promise<EndpointRow> {
  const [row] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, id), eq(webhookEndpoints.ownerId, scope.account.owner.id)));
  if (!row) throw notFound('webhook');
  return row;
}

/** Registers an endpoint; the answer carries its secret, the only time it is shown. */
export async function createEndpoint(ctx: AppContext, scope: WebhookScope, input: Required<Pick<EndpointInput, 'url' | 'events'>> & EndpointInput) {
  checkInput(ctx, input);
  const now = ctx.clock.now();
  const secret = newWebhookSecret();
  const row = await ctx.db.transaction(async (tx) => {
    const [existing] = await tx.select({ n: count() }).from(webhookEndpoints).where(eq(webhookEndpoints.ownerId, scope.account.owner.id));
    if ((existing?.n ?? 0) >= MAX_ENDPOINTS_PER_ACCOUNT) throw limitReached(`An account has at most ${MAX_ENDPOINTS_PER_ACCOUNT} webhook endpoints.`, { limit: MAX_ENDPOINTS_PER_ACCOUNT });
    const [created] = await tx
      .insert(webhookEndpoints)
      .values({
        ownerId: scope.account.owner.id,
        url: input.url,
        events: [...new Set(input.events)],
        description: input.description ?? '',
        enabled: input.enabled ?? true,
        secret,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    if (!created) throw new Error('the endpoint was not inserted');
    await audit(tx, scope, now, 'webhook.create', created.id, { events: created.events });
    return created;
  });
  return { ...presentEndpoint(row), secret };
}

/** Changes an endpoint; enabling it again ends its failure streak, so its waiting deliveries go out. */
export async function updateEndpoint(ctx: AppContext, scope: WebhookScope, id: string, input: EndpointInput) {
  checkInput(ctx, input);
  const now = ctx.clock.now();
  const row = await ctx.db.transaction(async (tx) => {
    const before = await lockEndpoint(tx, scope, id);
    const reenabled = input.enabled === true && !before.enabled;
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({
        ...(input.url === undefined ? {} : { url: input.url }),
        ...(input.events === undefined ? {} : { events: [...new Set(input.events)] }),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
        ...(reenabled ? { failingSince: null, disabledReason: null } : {}),
        updatedAt: now,
      })
      .where(eq(webhookEndpoints.id, before.id))
      .returning();
    if (!updated) throw notFound('webhook');
    await audit(tx, scope, now, 'webhook.update', updated.id, { changed: Object.keys(input).filter((key) => input[key as keyof EndpointInput] !== undefined) });
    return updated;
  });
  return presentEndpoint(row);
}

/** Removes an endpoint and its delivery log. */
export async function deleteEndpoint(ctx: AppContext, scope: WebhookScope, id: string): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, scope, id);
    await tx.delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id));
    await audit(tx, scope, now, 'webhook.delete', row.id);
  });
}

/** A new secret signs from now on; the old one signs beside it for a day, so receivers switch without a gap. */
export async function rotateSecret(ctx: AppContext, scope: WebhookScope, id: string): Promise<{ secret: string; previousSecretValidUntil: string }> {
  const now = ctx.clock.now();
  const secret = newWebhookSecret();
  const until = new Date(now.getTime() + ROTATION_GRACE_MS);
  await ctx.db.transaction(async (tx) => {
    const row = await lockEndpoint(tx, scope, id);
    await tx
      .update(webhookEndpoints)
      .set({ secret, previousSecret: row.secret, previousSecretUntil: until, updatedAt: now })
      .where(eq(webhookEndpoints.id, row.id));
    await audit(tx, scope, now, 'webhook.rotate_secret', row.id);
  });
  return { secret, previousSecretValidUntil: until.toISOString() };
}

/** The owner's endpoints, newest first (at most MAX_ENDPOINTS_PER_ACCOUNT: one page). */
export async function listEndpoints(ctx: AppContext, scope: WebhookScope) {
  const rows = await ctx.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.ownerId, scope.account.owner.id))
    .orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
  return { items: rows.map(presentEndpoint), nextCursor: null };
}
