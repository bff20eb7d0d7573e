import type { AppContext } from '../../context.js';
import { loaded } from '../../http/authorize/authorized.js';
import { inAccount, onMember, rule } from '../../http/authorize/rules.js';
import { authorizedOf } from '../../http/authorize/step.js';
import { problemSchema } from '../../http/errors.js';
import { type App, idParams, noContent } from '../../http/types.js';
import { z } from 'zod';
import { budgetView } from './present.js';
import { budgetAnswer, budgetBody } from './schemas.js';
import { removeBudget, setBudget } from './set.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema };
const tags = ['Billing'];
const access = 'activeAccount' as const;
const ownerQuery = z.strictObject({ ownerId: z.string().min(1).max(100).optional() });
// The owner pays, so the owner alone sets what each member may spend: a manager gets 403.
const onMemberAsOwner = (action: string) => ({ access, rule: rule(action, inAccount('owner'), onMember(undefined, false)) });
const target = (request: Parameters<typeof authorizedOf>[0]) => loaded(authorizedOf(request), 'account', 'member');

/** Spend guardrails per member: a monthly budget for the environments it creates, and a cap on cloudlets at once. */
export function budgetRoutes(app: App, ctx: AppContext): void {
  app.get('/api/v1/collaboration/members/:id/budget', {
    config: onMemberAsOwner('collaboration.budget_read'),
    schema: {
      tags,
      summary: "A member's monthly budget and this month's spend (owner only)",
      params: idParams,
      querystring: ownerQuery,
      response: { 200: budgetAnswer, ...errors },
    },
    handler: async (request) => {
      const authorized = target(request);
      const memberId = authorized.member.user?.id;
      return { budget: memberId ? await budgetView(ctx.db, authorized.account.owner.id, memberId, ctx.clock.now()) : null };
    },
  });

  app.put('/api/v1/collaboration/members/:id/budget', {
    config: onMemberAsOwner('collaboration.budget_set'),
    schema: {
      tags,
      summary: "Set a member's monthly budget (money), optional cap on cloudlets running at once, and hard stop (owner only)",
      description:
        'At 80 % the owner and the member are told once a month; at 100 % the member can no longer create, start or scale up ' +
        'the environments it created here (409 `spend_cap_reached`) and, with `hardStop`, they are stopped. Raising it lifts the block at once.',
      params: idParams,
      querystring: ownerQuery,
      body: budgetBody,
      response: { 200: budgetAnswer, ...errors },
    },
    handler: async (request) => ({ budget: await setBudget(ctx, target(request), request.body) }),
  });

  app.delete('/api/v1/collaboration/members/:id/budget', {
    config: onMemberAsOwner('collaboration.budget_remove'),
    schema: { tags, summary: "Remove a member's budget (owner only)", params: idParams, querystring: ownerQuery, response: { 204: noContent, ...errors } },
    handler: async (request, reply) => {
      await removeBudget(ctx, target(request));
      return reply.status(204).send(null);
    },
  });
}
