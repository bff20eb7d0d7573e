import { z } from 'zod';
import { personLabel } from '../access/load/people.js';
import { DAY } from '../clock.js';
import type { AppContext } from '../context.js';
import { loaded } from '../http/authorize/authorized.js';
import { inAccount, rule } from '../http/authorize/rules.js';
import { authorizedOf } from '../http/authorize/step.js';
import { fieldError, problemSchema } from '../http/errors.js';
import { type App, instant } from '../http/types.js';
import { getBalance } from './balance.js';
import { usageReport } from './usage.js';
import { budgetRoutes } from './budgets/routes.js';
import { budgetSchema } from './budgets/schemas.js';

const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema };
const DEFAULT_RANGE_MS = 30 * DAY;
const MAX_RANGE_MS = 400 * DAY;

const ownerId = z.string().min(1).max(100).optional().describe("The owner's account id; defaults to the caller");
const money = z.string().describe('A decimal amount with up to six places, e.g. "0.048000"');
const person = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().optional().describe('Only for the owner, and for the caller itself'),
  label: personLabel,
});
const amounts = {
  hours: z.number().int().describe('Environment-hours charged'),
  cloudletHours: z.number().int(),
  cost: money,
};

const balanceSchema = z
  .object({ ownerId: z.string(), amount: money, pricePerCloudletHour: money, updatedAt: z.string().nullable() })
  .describe("An account's balance; metering debits it every hour its environments run");

const environmentUsage = z.object({
  environment: z.object({ id: z.string(), name: z.string(), displayName: z.string().nullable() }),
  creator: person.nullable(),
  ...amounts,
});
const creatorUsage = z.object({
  creator: person.nullable(),
  environments: z.number().int(),
  ...amounts,
  budget: budgetSchema.nullable().optional().describe("The creator's monthly budget and progress, for readers of the whole account's usage"),
  spentThisMonth: money.nullable().optional().describe("What the creator's environments cost this UTC month, when it has a budget"),
});

const usageSchema = z
  .object({
    ownerId: z.string(),
    groupBy: z.enum(['environment', 'creator']),
    from: z.string(),
    to: z.string(),
    scope: z.enum(['account', 'environments']),
    pricePerCloudletHour: money,
    items: z.array(z.union([environmentUsage, creatorUsage])),
    total: z.object(amounts),
  })
  .describe('Usage and cost over a time range, grouped by environment or by creator');

/** The window of a usage report: [from, to), by default the 30 days up to now; at most 400 days. */
function usageRange(now: Date, from: string | undefined, to: string | undefined): { from: Date; to: Date } {
  const end = to ? new Date(to) : now;
  const start = from ? new Date(from) : new Date(end.getTime() - DEFAULT_RANGE_MS);
  if (start.getTime() >= end.getTime()) throw fieldError('querystring.from', 'must be before to');
  if (end.getTime() - start.getTime() > MAX_RANGE_MS) throw fieldError('querystring.from', 'the range may cover at most 400 days');
  return { from: start, to: end };
}

/** Balance and usage reports: the owner's, or a member's with billing.view. */
export function billingRoutes(app: App, ctx: AppContext): void {
  budgetRoutes(app, ctx);
  app.get('/api/v1/billing/balance', {
    config: { access: 'activeAccount', rule: rule('billing.balance', inAccount('member')) },
    schema: {
      tags: ['Billing'],
      summary: "An account's balance (a member needs billing.view on the whole account)",
      querystring: z.strictObject({ ownerId }),
      response: { 200: balanceSchema, ...errors },
    },
    handler: async (request) => {
      return getBalance(ctx, loaded(authorizedOf(request), 'account').account.snapshot);
    },
  });

  app.get('/api/v1/billing/usage', {
    config: { access: 'activeAccount', rule: rule('billing.usage', inAccount('member')) },
    schema: {
      tags: ['Billing'],
      summary: 'Usage and cost per environment or per creator over [from, to) (default: the last 30 days)',
      description:
        'A member with billing.view on the whole account sees all of it; a member holding billing.view on some ' +
        'environments only sees those (`scope: "environments"`).',
      querystring: z.strictObject({
        ownerId,
        groupBy: z.enum(['environment', 'creator']).default('environment'),
        from: instant.optional(),
        to: instant.optional(),
      }),
      response: { 200: usageSchema, ...errors },
    },
    handler: async (request) => {
      const { from, to } = usageRange(ctx.clock.now(), request.query.from, request.query.to);
      const authorized = loaded(authorizedOf(request), 'account');
      const ownerId = authorized.account.owner.id;
      return usageReport(ctx, authorized.caller, authorized.account.snapshot, { ownerId, groupBy: request.query.groupBy, from, to });
    },
  });
}
