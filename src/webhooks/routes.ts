import type { AppContext } from '../context.js';
import { loaded } from '../http/authorize/authorized.js';
import { inAccount, rule } from '../http/authorize/rules.js';
import { authorizedOf } from '../http/authorize/step.js';
import { problemSchema } from '../http/errors.js';
import { enforce } from '../http/rate-limit.js';
import { type App, noContent, page } from '../http/types.js';
import { listDeliveries, redeliver } from './deliveries.js';
import { createEndpoint, deleteEndpoint, listEndpoints, rotateSecret, updateEndpoint } from './endpoints.js';
import {
  createdEndpointSchema,
  deliveriesQuery,
  deliveryParams,
  deliverySchema,
  endpointBody,
  endpointParams,
  endpointPatch,
  endpointSchema,
  eventTypes,
  ownerOnlyQuery,
  eventTypesSchema,
  rotatedSchema,
} from './schemas.js';

const tags = ['Webhooks'];
const problems = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema };
// The owner alone: an endpoint receives the account's whole event stream, aliases and every member's actions
// included, which is the owner's audit log. A manager reads only its own actions there, so letting it point that
// stream at a URL of its choosing would widen what it sees; members get 403 (forbidden, or collaboration.manage).
const ownerOnly = (action: string) => ({ access: 'activeAccount' as const, rule: rule(action, inAccount('owner')) });
const scope = (request: Parameters<typeof authorizedOf>[0]) => loaded(authorizedOf(request), 'account');

/** Counts one request that makes this server post somewhere new (429 past the limit). */
function webhookLimiter(ctx: AppContext) {
  return (request: Parameters<typeof authorizedOf>[0]) =>
    enforce(ctx.db, ctx.clock, `webhook.request:user:${scope(request).account.owner.id}`, ctx.rateLimits.webhookRequestsPerUser);
}

/** Webhook endpoints of the caller's account and their delivery log (Standard Webhooks). */
export function webhookRoutes(app: App, ctx: AppContext): void {
  const limit = webhookLimiter(ctx);
  app.get('/api/v1/webhooks/event-types', {
    config: { access: 'signedIn' },
    schema: { tags, summary: 'The event types an endpoint can subscribe to, by category', response: { 200: eventTypesSchema, 401: problemSchema } },
    handler: async () => eventTypes(),
  });

  app.get('/api/v1/webhooks', {
    config: ownerOnly('webhook.list'),
    schema: { tags, summary: "The account's webhook endpoints (owner only)", querystring: ownerOnlyQuery, response: { 200: page(endpointSchema), ...problems } },
    handler: async (request) => listEndpoints(ctx, scope(request)),
  });

  app.post('/api/v1/webhooks', {
    config: ownerOnly('webhook.create'),
    schema: {
      tags,
      summary: 'Register an endpoint; the answer carries its signing secret, shown only here',
      querystring: ownerOnlyQuery,
      body: endpointBody,
      response: { 201: createdEndpointSchema, ...problems },
    },
    handler: async (request, reply) => {
      await limit(request);
      return reply.status(201).send(await createEndpoint(ctx, scope(request), request.body));
    },
  });

  app.patch('/api/v1/webhooks/:id', {
    config: ownerOnly('webhook.update'),
    schema: {
      tags,
      summary: 'Change an endpoint; enabling a disabled one resumes its waiting deliveries',
      params: endpointParams,
      querystring: ownerOnlyQuery,
      body: endpointPatch,
      response: { 200: endpointSchema, ...problems },
    },
    handler: async (request) => updateEndpoint(ctx, scope(request), request.params.id, request.body),
  });

  app.delete('/api/v1/webhooks/:id', {
    config: ownerOnly('webhook.delete'),
    schema: { tags, summary: 'Remove an endpoint and its delivery log', params: endpointParams, querystring: ownerOnlyQuery, response: { 204: noContent, ...problems } },
    handler: async (request, reply) => {
      await deleteEndpoint(ctx, scope(request), request.params.id);
      return reply.status(204).send(null);
    },
  });

  app.post('/api/v1/webhooks/:id/rotate-secret', {
    config: ownerOnly('webhook.rotate_secret'),
    schema: {
      tags,
      summary: 'A new signing secret; the old one keeps signing beside it for a day',
      params: endpointParams,
      querystring: ownerOnlyQuery,
      response: { 200: rotatedSchema, ...problems },
    },
    handler: async (request) => rotateSecret(ctx, scope(request), request.params.id),
  });

  app.get('/api/v1/webhooks/:id/deliveries', {
    config: ownerOnly('webhook.deliveries'),
    schema: {
      tags,
      summary: "An endpoint's deliveries, newest first: event, attempts, status code, duration, response excerpt",
      params: endpointParams,
      querystring: deliveriesQuery,
      response: { 200: page(deliverySchema), ...problems },
    },
    handler: async (request) => listDeliveries(ctx, scope(request), request.params.id, request.query.limit, request.query.cursor),
  });

  app.post('/api/v1/webhooks/:id/deliveries/:deliveryId/redeliver', {
    config: ownerOnly('webhook.redeliver'),
    schema: {
      tags,
      summary: 'Send a delivered or failed delivery again, now, with the same webhook-id',
      params: deliveryParams,
      querystring: ownerOnlyQuery,
      response: { 200: deliverySchema, ...problems },
    },
    handler: async (request) => {
      await limit(request);
      return redeliver(ctx, scope(request), request.params.id, request.params.deliveryId);
    },
  });
}
