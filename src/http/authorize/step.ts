import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { callerOf } from '../auth.js';
import { ProblemError } from '../errors.js';
import { requestMeta } from '../request-meta.js';
import { type Authorized } from './authorized.js';
import { recordRefusal, refusalOutcome } from './refusal.js';
import { authorizationFor, resolveRule } from './resolve.js';
import { noteUsage, usageWritesSettled } from './usage.js';
import type { RouteRule } from './rules.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route loads for its caller and which permission it needs there (see rules.ts). */
    rule?: RouteRule;
  }
  interface FastifyRequest {
    authorized: Authorized | null;
  }
}

/**
 * The one shared step of every route that declares a rule: after validation, load the rule's resources for the
 * caller (404/403 as resolveRule decides) and hand them to the handler; when the request then ends refused — by the
 * step, or by the handler deciding again under the lock, or by a status that does not fit — audit the refusal in
 * the account the step reached.
 */
export function installRouteRules(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('authorized', null);
  // The last-use writes run off the requests' path: closing waits for those already started.
  app.addHook('onClose', () => usageWritesSettled(ctx));
  app.addHook('preHandler', async (request) => {
    const rule = request.routeOptions.config.rule;
    if (!rule) return;
    const input = { params: request.params, query: request.query, body: request.body };
    request.authorized = authorizationFor(callerOf(request), requestMeta(request), rule, input);
    await resolveRule(ctx.db, ctx.clock.now(), request.authorized);
    noteUsage(ctx, request.authorized);
  });
  app.addHook('onError', async (request, _reply, error) => {
    const authorized = request.authorized;
    if (!authorized?.ownerId || !(error instanceof ProblemError) || refusalOutcome(error) === null) return;
    const target = { ownerId: authorized.ownerId, action: authorized.rule.action, targetType: authorized.target.type, targetId: authorized.target.id };
    const level = authorized.environment?.access.level;
    await recordRefusal(ctx.db, ctx.clock.now(), authorized.meta, authorized.caller, target, error, level ? { level } : {});
  });
}

/** What the route's rule loaded; only routes that declare a rule may ask. */
export function authorizedOf(request: FastifyRequest): Authorized {
  if (!request.authorized) throw new Error(`route ${request.routeOptions.url ?? request.url} declares no rule`);
  return request.authorized;
}
