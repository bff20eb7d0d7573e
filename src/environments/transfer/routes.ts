import { and, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { environmentTransfers } from '../../db/schema/index.js';
import { callerOf } from '../../http/auth.js';
import { loaded } from '../../http/authorize/authorized.js';
import { inAccount, onEnvironment, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { problemSchema } from '../../http/errors.js';
import { enforce } from '../../http/rate-limit.js';
import { requestMeta } from '../../http/request-meta.js';
import { type App, idParams, page } from '../../http/types.js';
import { environmentParams } from '../schemas.js';
import { cancelTransfer, declineTransfer } from './answer.js';
import { acceptTransfer } from './hand-over.js';
import { hasStatus, transfersOf } from './load.js';
import { requestTransfer } from './request.js';
import { listTransfersQuery, transferBody, transferSchema } from './schemas.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 410: problemSchema, 429: problemSchema };
const tags = ['Environments'];
const access = 'activeAccount' as const;

/** Environment ownership transfers: the owner asks, the recipient accepts or declines within 7 days, the owner may cancel. */
export function transferRoutes(app: App, ctx: AppContext): void {
  app.post('/api/v1/environments/:id/transfers', {
    // The owner alone gives an environment away: a manager manages members, not what the account owns.
    config: { access, rule: rule('environment.transfer_request', onEnvironment('env.view'), inAccount('owner')) },
    schema: {
      tags,
      summary: 'Ask to transfer the environment to another account (owner only); the recipient has 7 days to accept',
      description:
        'The recipient is told by mail and in-app. 400 `validation_failed` when no account uses the email or it is your own; ' +
        '403 `collaborator_cannot_own` for a collaborator account; 409 `conflict` while another transfer of it is pending.',
      params: environmentParams,
      body: transferBody,
      response: { 201: transferSchema, ...errors },
    },
    handler: async (request, reply) => {
      const authorized = loaded(authorizedOf(request), 'environment');
      await enforce(ctx.db, ctx.clock, `transfer.request:user:${authorized.caller.user.id}`, ctx.rateLimits.transferRequestsPerUser);
      return reply.status(201).send(await requestTransfer(ctx, authorized, request.body.email));
    },
  });

  app.get('/api/v1/transfers', {
    config: { access },
    schema: {
      tags,
      summary: 'Transfers I give or receive, newest first, a page at a time',
      querystring: listTransfersQuery,
      response: { 200: page(transferSchema), ...errors },
    },
    handler: async (request) => {
      const caller = callerOf(request);
      const { direction, status, environmentId, limit, cursor } = request.query;
      const now = ctx.clock.now();
      const mine = direction === 'incoming' ? eq(environmentTransfers.toId, caller.user.id) : direction === 'outgoing' ? eq(environmentTransfers.fromId, caller.user.id) : undefined;
      const where = and(mine, environmentId ? eq(environmentTransfers.environmentId, environmentId) : undefined, status ? hasStatus(status, now) : undefined);
      return transfersOf(ctx.db, caller.user.id, now, where, { limit, cursor });
    },
  });

  app.post('/api/v1/transfers/:id/accept', {
    config: { access },
    schema: {
      tags,
      summary: 'Accept a transfer made to me: the environment becomes mine, keeps running, and is billed to me from the next hour',
      description:
        "403 `collaborator_cannot_own` for a collaborator account, 409 `limit_reached` past this account's caps, 410 `transfer_expired` after 7 days.",
      params: idParams,
      response: { 200: transferSchema, ...errors },
    },
    handler: async (request) => acceptTransfer(ctx, callerOf(request), requestMeta(request), request.params.id),
  });

  app.post('/api/v1/transfers/:id/decline', {
    config: { access },
    schema: { tags, summary: 'Decline a transfer made to me', params: idParams, response: { 200: transferSchema, ...errors } },
    handler: async (request) => declineTransfer(ctx, callerOf(request), requestMeta(request), request.params.id),
  });

  app.post('/api/v1/transfers/:id/cancel', {
    config: { access },
    schema: { tags, summary: 'Cancel a transfer I asked for, before the recipient answers', params: idParams, response: { 200: transferSchema, ...errors } },
    handler: async (request) => cancelTransfer(ctx, callerOf(request), requestMeta(request), request.params.id),
  });
}
