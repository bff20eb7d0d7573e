import { z } from 'zod';
import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { inAccount, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { type App, idParams, noContent, page } from '../../http/types.js';
import { problems } from '../http.js';
import { ownerPageQuery, ownerQuery } from '../schemas.js';
import { scopeOf } from '../scope.js';
import { listActingTokens } from './acting.js';
import { presentPolicy, revokeActingToken, setAccountPolicy } from './manage.js';
import { actingTokenSchema } from './schemas.js';

const tags = ['Collaboration — owner side'];
const access = 'activeAccount' as const;
// The account's own policy and its members' credentials are the owner's alone: a manager gets 403.
const ownerOnly = (action: string) => ({ access, rule: rule(action, inAccount('owner')) });
const scope = (request: Parameters<typeof authorizedOf>[0]) => scopeOf(loaded(authorizedOf(request), 'account'));

const policySchema = z.object({
  tokenMaxLifetimeDays: z
    .number()
    .int()
    .nullable()
    .describe('The longest a token acting in this account may live (expiry minus creation), in days; null: no cap. A longer-lived token gets 403 token_lifetime_exceeded here'),
  accessRequestMaxHours: z.number().int().describe('The longest access a member may request (and an approval grant), in hours; 8 unless set, at most 720 (30 days)'),
  requireTwoFactor: z.boolean().describe('Members without a second factor get 403 two_factor_required on everything in this account'),
});


/** The owner's account policy and the members' tokens acting in the account. */
export function tokenPolicyRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/account/policy', {
    config: ownerOnly('account.policy.read'),
    schema: { tags, summary: "The owner's account policy", querystring: z.strictObject(ownerQuery), response: { 200: policySchema, ...problems } },
    handler: async (request) => presentPolicy(scope(request).owner),
  });

  app.patch('/api/v1/account/policy', {
    config: ownerOnly('account.policy.update'),
    schema: {
      tags,
      summary: "Change the owner's account policy: the token lifetime cap and whether members need two-factor sign-in",
      description:
        'Tokens scoped to the account are made within `tokenMaxLifetimeDays`; from the next request on, any member\'s API token (scoped or not) that lives longer than the cap gets 403 `token_lifetime_exceeded` on everything in the account (its holder\'s own account and others are not concerned). Switching `requireTwoFactor` on mails every member who has no second factor yet; from the next request on, such a member gets 403 `two_factor_required` on everything in the account, with sessions and API tokens alike.',
      querystring: z.strictObject(ownerQuery),
      body: z.strictObject({
        tokenMaxLifetimeDays: z.number().int().min(1).max(3650).nullable().optional(),
        requireTwoFactor: z.boolean().optional(),
        accessRequestMaxHours: z.number().int().min(1).max(720).optional(),
      }),
      response: { 200: policySchema, ...problems },
    },
    handler: async (request) => setAccountPolicy(ctx, scope(request), request.body),
  });

  app.get('/api/v1/collaboration/tokens', {
    config: ownerOnly('collaboration.tokens.list'),
    schema: {
      tags,
      summary: "The members' live API tokens that act in the owner's account, newest first (never their secrets)",
      querystring: ownerPageQuery,
      response: { 200: page(actingTokenSchema), ...problems },
    },
    handler: async (request) => listActingTokens(ctx.db, scope(request).owner.id, ctx.clock.now(), request.query.limit, request.query.cursor),
  });

  app.delete('/api/v1/collaboration/tokens/:id', {
    config: ownerOnly('collaboration.tokens.revoke'),
    schema: { tags, summary: "Revoke a member's token that acts in the owner's account", params: idParams, querystring: z.strictObject(ownerQuery), response: { 204: noContent, ...problems } },
    handler: async (request, reply) => {
      await revokeActingToken(ctx, scope(request), request.params.id);
      return reply.status(204).send(null);
    },
  });
}
